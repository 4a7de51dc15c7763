"""Errors the signposting package raises on purpose."""

from core.errors import ConfigurationError, LlaisError


class DirectoryError(ConfigurationError):
    """A directory file or record is invalid; the message names the record and the field."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        listed = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(f"{source}: the directory is not valid:\n{listed}")


class SignpostInputError(LlaisError):
    """A signposting request named an unknown need, audience, language or time."""
