"""Data-access functions: keyword arguments and an explicit session, no commits of their own."""
