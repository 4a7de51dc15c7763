"""Understanding learner messages: Rasa-format data, two NLU backends, language id."""

from nlu.result import NluBackend, NluResult

__all__ = ["NluBackend", "NluResult"]
