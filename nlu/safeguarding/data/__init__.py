"""Packaged training data for the safeguarding model (not the held-out evaluation set)."""
