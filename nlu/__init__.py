"""Understanding learner messages: Rasa-format data, two NLU backends, language id.

``nlu.understand`` (Understander, build_understander) is the entry point: the safeguarding
detector (``nlu.safeguarding``) first, then intent and language from ``nlu.builtin``
(scikit-learn, in process) or ``nlu.rasa_client`` (a Rasa server, falling back to builtin).
Only the light result types are re-exported here, so importing a sub-package stays cheap.
"""

from nlu.result import NluBackend, NluResult

__all__ = ["NluBackend", "NluResult"]
