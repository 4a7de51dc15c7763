"""Flows: conversation definitions (YAML, validated at start-up) and the engine that runs them."""

from flows.engine import Engine, Outcome
from flows.loader import FlowSet, load_flowset
from flows.state import ConversationState, Frame

__all__ = ["ConversationState", "Engine", "FlowSet", "Frame", "Outcome", "load_flowset"]
