"""The public surfaces of mapper.matching and mapper.synth stay small, sorted and complete."""

from __future__ import annotations

import types

import pytest

import mapper.matching
import mapper.synth


@pytest.mark.parametrize("module", [mapper.matching, mapper.synth], ids=["matching", "synth"])
def test_all_is_sorted_and_complete(module: types.ModuleType) -> None:
    names = module.__all__
    # isort-style, as ruff keeps it: CONSTANTS, then Classes, then functions.
    assert names == sorted(names, key=lambda n: (0 if n.isupper() else 1 if n[0].isupper() else 2, n))
    public = {n for n in vars(module) if not n.startswith("_") and not isinstance(getattr(module, n), types.ModuleType)}
    public -= {"annotations"}
    assert set(names) == public


def test_matching_contract_names() -> None:
    for name in (
        "ParticipantKind",
        "Status",
        "Method",
        "Participant",
        "Invitee",
        "Meeting",
        "Correction",
        "Prior",
        "MatchSettings",
        "Candidate",
        "Decision",
        "match_meeting",
        "normalize_name",
    ):
        assert name in mapper.matching.__all__
    labels = {m.value for m in mapper.matching.Method}
    assert labels >= {
        "correction",
        "learned",
        "people_api",
        "directory",
        "exact_email",
        "stable_id",
        "name_exact",
        "name_fuzzy",
        "email_pattern",
        "room_resource",
        "not_a_person",
        "ambiguous",
        "none",
    }
