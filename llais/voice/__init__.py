"""Learner voice both ways: check-in invitation windows, polls and their results, "you said, we
did" posts, and the campaign sender that carries them to learners through one queue."""

from llais.voice.campaigns import CampaignPlanner, PlanReport, quiet_hours
from llais.voice.job import VoiceJob, add_voice_job
from llais.voice.sender import (
    Blocked,
    CampaignSender,
    RetryLater,
    SendReport,
    Transport,
    Undeliverable,
)

__all__ = [
    "Blocked",
    "CampaignPlanner",
    "CampaignSender",
    "PlanReport",
    "RetryLater",
    "SendReport",
    "Transport",
    "Undeliverable",
    "VoiceJob",
    "add_voice_job",
    "quiet_hours",
]
