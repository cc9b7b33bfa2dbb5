"""Recall.ai: a typed client (:class:`RecallClient`) and the objects it returns."""

from mapper.sources.recall.client import ArtifactNotReadyError, RecallClient
from mapper.sources.recall.convert import Artifact, Bot, ParticipantEvent, RecallParticipant, Recording, StatusChange

__all__ = [
    "Artifact",
    "ArtifactNotReadyError",
    "Bot",
    "ParticipantEvent",
    "RecallClient",
    "RecallParticipant",
    "Recording",
    "StatusChange",
]
