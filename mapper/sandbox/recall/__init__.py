"""Emulated Recall.ai API (bots, recordings, participant events, downloads).  See docs/sandbox/recall.md."""

from mapper.sandbox.recall.api import RecallApi

__all__ = ["RecallApi"]
