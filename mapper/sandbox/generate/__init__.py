"""The scenario generator: a synthetic organisation's calendars, calls and the truth about them.

``generate(users, days, seed, recall_share)`` returns ``(scenario, truth)``: a sandbox scenario
(shared/reference/sandbox-scenario.md) and the ground truth naming the person behind every
participant.  ``write`` saves both; ``mapper sandbox generate`` is the command line.  See
docs/sandbox/generator.md.
"""

from mapper.sandbox.generate.scenario import DEFAULT_NOW, FORMAT_VERSION, dumps, generate, truth_file_for, write

__all__ = ["DEFAULT_NOW", "FORMAT_VERSION", "dumps", "generate", "truth_file_for", "write"]
