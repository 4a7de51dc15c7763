"""Tell "the database cannot be reached" apart from every other error a turn may raise."""

from __future__ import annotations

from sqlalchemy import exc as sa_exc


def unavailable(error: BaseException) -> bool:
    """Whether ``error`` (or what caused it) says the database is unreachable: refused or dropped
    connections, timeouts, a file that cannot be opened. A constraint or programming error is not
    an outage, and trying the same thing again later would not help."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError | TimeoutError | sa_exc.DisconnectionError):
            return True
        if isinstance(current, sa_exc.TimeoutError):  # no pooled connection came free
            return True
        if isinstance(current, sa_exc.DBAPIError) and (
            current.connection_invalidated
            or isinstance(current, sa_exc.OperationalError | sa_exc.InterfaceError)
        ):
            return True
        kind = type(current)
        if kind.__module__.startswith("asyncpg") and "Connection" in kind.__name__:
            return True  # e.g. ConnectionDoesNotExistError, raised as it is by some paths
        current = current.__cause__ or current.__context__
    return False
