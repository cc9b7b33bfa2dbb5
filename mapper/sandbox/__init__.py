"""The sandbox: local HTTP emulators of Google Calendar v3, Meet v2, People v1 (+ Admin Directory)
and Recall.ai, serving a world described by a scenario file.  See docs/SANDBOX.md."""

from mapper.sandbox.auth import STATIC_GOOGLE_TOKEN
from mapper.sandbox.faults import FaultSpec
from mapper.sandbox.scenario import ScenarioError, read_scenario
from mapper.sandbox.server import SandboxServer

__all__ = ["STATIC_GOOGLE_TOKEN", "FaultSpec", "SandboxServer", "ScenarioError", "read_scenario"]
