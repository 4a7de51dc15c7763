"""Llais's own small exception hierarchy."""


class LlaisError(Exception):
    """Base of every error Llais raises on purpose."""


class ConfigurationError(LlaisError):
    """Settings or data files are wrong; the message names the file and what is wrong."""


class FlowDefinitionError(ConfigurationError):
    """A flow file is invalid; the message names the file and the path inside it."""


class NotFoundError(LlaisError):
    """A record that was asked for does not exist."""
