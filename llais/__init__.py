"""The Llais application: conversation services, alert delivery, wiring and the command line."""
