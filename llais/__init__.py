"""Llais core: settings, wiring, the conversation service and the command line."""
