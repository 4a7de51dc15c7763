"""Alembic migrations for Llais (run with ``llais db upgrade``)."""
