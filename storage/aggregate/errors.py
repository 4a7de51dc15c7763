"""The aggregation layer's own errors (it imports nothing else of Llais, not even its errors)."""


class AggregateError(Exception):
    """Base of every error the aggregation layer raises on purpose."""


class DisclosureInputError(AggregateError):
    """Rows or a table specification cannot be published as given; the message says why."""


class CalendarError(AggregateError):
    """The term calendar is invalid or lacks a period; the message names the file or the period."""


class NaiveDatetimeError(AggregateError, ValueError):
    """A datetime without a time zone was given where only timezone-aware ones make sense."""
