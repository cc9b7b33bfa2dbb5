"""The emulated world: every API's state behind one lock, built from a scenario."""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from mapper.clock import Clock, FixedClock, SystemClock
from mapper.sandbox.auth import STATIC_GOOGLE_TOKEN, TokenRegistry
from mapper.sandbox.http import Router
from mapper.sandbox.scenario import at, expect_dict, expect_list, expect_str, expect_time, fail

#: Scenario-level settings of the sandbox itself (not an API resource).
SANDBOX_SECTION = "sandbox"


class EmulatedApi(ABC):
    """One emulated API: validates and owns its part of the scenario, registers its routes."""

    name: ClassVar[str]  # calendar | meet | people | recall | oauth
    sections: ClassVar[tuple[str, ...]] = ()  # top-level scenario keys this API owns

    def __init__(self, world: World) -> None:
        self.world = world

    @abstractmethod
    def load(self, scenario: Mapping[str, Any]) -> None:
        """Validate and build state from the scenario; raise ``ScenarioError`` naming the path."""

    @abstractmethod
    def register(self, router: Router) -> None:
        """Add this API's routes (``api=`` the API name, ``name=`` the method id) to ``router``."""

    def patch(self, patch: Mapping[str, Any]) -> None:
        """Apply a live change (same shapes as the scenario); default: not supported."""
        if any(section in patch for section in self.sections):
            raise fail(self.sections[0], f"the {self.name} emulator does not support live patches")


class World:
    """All emulated state.  Request handlers run while holding :attr:`lock`."""

    def __init__(
        self,
        scenario: Mapping[str, Any],
        *,
        api_classes: Sequence[type[EmulatedApi]] | None = None,
        clock: Clock | None = None,
    ) -> None:
        from mapper.sandbox.registry import api_classes as registered

        self.lock = threading.RLock()
        self._seq = 0
        settings = expect_dict(scenario.get(SANDBOX_SECTION, {}), SANDBOX_SECTION)
        self.clock: Clock = clock or self._clock_from(settings)
        tokens = [STATIC_GOOGLE_TOKEN]
        for index, token in enumerate(expect_list(settings.get("google_tokens", []), "sandbox.google_tokens")):
            tokens.append(expect_str(token, at("sandbox.google_tokens", index)))
        self.tokens = TokenRegistry(tokens)
        self.settings = settings
        self.apis: dict[str, EmulatedApi] = {}
        for cls in api_classes if api_classes is not None else registered():
            self.apis[cls.name] = cls(self)
        known = {SANDBOX_SECTION} | {section for api in self.apis.values() for section in api.sections}
        for key in scenario:
            if key not in known:
                raise fail(key, f"unknown section (expected one of {', '.join(sorted(known))})")
        with self.lock:
            for api in self.apis.values():
                api.load(scenario)

    @staticmethod
    def _clock_from(settings: Mapping[str, Any]) -> Clock:
        if settings.get("now") is None:
            return SystemClock()
        return FixedClock(expect_time(settings["now"], "sandbox.now"))

    def next_seq(self) -> int:
        """A world-wide, strictly increasing change number (for sync tokens and ordering)."""
        with self.lock:
            self._seq += 1
            return self._seq

    def api(self, name: str) -> EmulatedApi:
        return self.apis[name]

    def patch(self, patch: Mapping[str, Any]) -> None:
        """Apply a live change to the world (see docs/SANDBOX.md for each section's shape)."""
        patch = expect_dict(patch, "patch")
        known = {section for api in self.apis.values() for section in api.sections}
        for key in patch:
            if key not in known:
                raise fail(f"patch.{key}", f"unknown section (expected one of {', '.join(sorted(known))})")
        with self.lock:
            for api in self.apis.values():
                if any(section in patch for section in api.sections):
                    api.patch(patch)

    def routes(self) -> Router:
        router = Router()
        for api in self.apis.values():
            api.register(router)
        return router


__all__ = ["SANDBOX_SECTION", "EmulatedApi", "World"]
