"""The Recall.ai emulator (``api="recall"``): scenario loading, routes and live patches.

Live patch shape (``POST /_sandbox/patch`` or ``SandboxServer.patch``)::

    {"recall": {"bots": [Bot, ...],            # upsert by id (same shape as the scenario)
                "delete_bots": ["<bot id>"],    # remove bots (sandbox-only; ids must exist)
                "api_key": "...", "page_size": 3, "media_expiry_by_clock": true}}

An upserted bot replaces the stored one entirely, except that when the patch gives none of the
child lists (``participants`` / ``participant_events`` / ``speaker_timeline``, on the bot or its
recordings) each recording keeps the downloads it had under the same recording id — so a patch can
move a bot to ``media_expired`` by resending it with one more status change.  A patch is
validated completely before anything changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any, ClassVar

from mapper.sandbox.http import Router
from mapper.sandbox.recall.handlers import RecallHandlers
from mapper.sandbox.recall.load import CHILD_KEYS, SECTION_KEYS, check_unique_ids, load_bots, load_section
from mapper.sandbox.recall.state import Bot, RecallState
from mapper.sandbox.scenario import at, expect_dict, expect_list, expect_str, fail
from mapper.sandbox.world import EmulatedApi

PATCH_KEYS = ("bots", "delete_bots", "api_key", "page_size", "media_expiry_by_clock")


class RecallApi(EmulatedApi):
    name: ClassVar[str] = "recall"
    sections: ClassVar[tuple[str, ...]] = ("recall",)

    state: RecallState

    def load(self, scenario: Mapping[str, Any]) -> None:
        self.state = load_section(scenario.get("recall"))

    def register(self, router: Router) -> None:
        RecallHandlers(self.world, lambda: self.state).register(router)

    def patch(self, patch: Mapping[str, Any]) -> None:
        path = "patch.recall"
        body = expect_dict(patch.get("recall"), path)
        for key in body:
            if key not in PATCH_KEYS:
                raise fail(at(path, key), f"unknown key (expected one of {', '.join(PATCH_KEYS)})")
        settings = {key: body[key] for key in SECTION_KEYS if key in body and key != "bots"}
        merged = {
            "api_key": self.state.api_key,
            "page_size": self.state.page_size,
            "media_expiry_by_clock": self.state.media_expiry_by_clock,
            **settings,
        }
        probe = load_section(merged, path)  # validates the settings with the scenario's rules
        bots = dict(self.state.bots)
        for index, ident in enumerate(expect_list(body.get("delete_bots", []), at(path, "delete_bots"))):
            key = expect_str(ident, at(at(path, "delete_bots"), index))
            if bots.pop(key, None) is None:
                raise fail(at(at(path, "delete_bots"), index), f"no bot with id {key}")
        raw_bots = expect_list(body.get("bots", []), at(path, "bots"))
        loaded = load_bots(raw_bots, at(path, "bots"), salt=f"patch{self.world.next_seq()}-")
        for raw, bot in zip(raw_bots, loaded, strict=True):
            old = bots.get(bot.id)
            if old is not None and not _gives_children(raw):
                _keep_downloads(old, bot)
            bots[bot.id] = bot
        candidate = replace(probe, bots=bots)
        check_unique_ids(candidate, path)
        self.state = candidate


def _gives_children(raw: Any) -> bool:
    if not isinstance(raw, dict):
        return False
    if any(key in raw for key in CHILD_KEYS):
        return True
    recordings = raw.get("recordings")
    return isinstance(recordings, list) and any(
        isinstance(rec, dict) and any(key in rec for key in CHILD_KEYS) for rec in recordings
    )


def _keep_downloads(old: Bot, new: Bot) -> None:
    before = {rec.id: rec.artifact for rec in old.recordings if rec.artifact is not None}
    for rec in new.recordings:
        previous = before.get(rec.id)
        if rec.artifact is not None and previous is not None:
            rec.artifact.participants = previous.participants
            rec.artifact.events = previous.events
            rec.artifact.speaker_timeline = previous.speaker_timeline


__all__ = ["PATCH_KEYS", "RecallApi"]
