"""The global assignment and its abstentions, on hand-made score tables."""

from __future__ import annotations

import pytest

from mapper.matching.assign import Outcome, _solve, assign


def run(rows: list[dict[int, float]]) -> list[tuple[Outcome, int]]:
    return [(r.outcome, r.column) for r in assign(rows, threshold=0.8, margin=0.06, max_candidates=3)]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param([{0: 0.97}, {1: 0.95}], [(Outcome.RESOLVED, 0), (Outcome.RESOLVED, 1)], id="independent"),
        pytest.param([{0: 0.97, 1: 0.97}], [(Outcome.AMBIGUOUS, -1)], id="row-tie"),
        pytest.param([{0: 0.85}, {0: 0.85}], [(Outcome.AMBIGUOUS, -1), (Outcome.AMBIGUOUS, -1)], id="column-tie"),
        pytest.param([{0: 0.97}, {0: 0.80}], [(Outcome.RESOLVED, 0), (Outcome.UNRESOLVED, -1)], id="taken-by-better"),
        pytest.param([{0: 0.79}], [(Outcome.UNRESOLVED, -1)], id="below-threshold"),
        pytest.param([{}], [(Outcome.UNRESOLVED, -1)], id="no-candidate"),
        pytest.param(
            [{0: 0.95, 1: 0.86}, {0: 0.90}],
            [(Outcome.AMBIGUOUS, -1), (Outcome.AMBIGUOUS, -1)],
            id="global-choice-still-contested",
        ),
        pytest.param(
            [{0: 0.97, 1: 0.80}, {1: 0.97}],
            [(Outcome.RESOLVED, 0), (Outcome.RESOLVED, 1)],
            id="weak-rival-in-row",
        ),
        pytest.param(
            [{0: 0.95, 1: 0.86}],
            [(Outcome.AMBIGUOUS, -1)],
            id="second-viable-invitee-is-a-namesake",
        ),
    ],
)
def test_assign(rows: list[dict[int, float]], expected: list[tuple[Outcome, int]]) -> None:
    assert run(rows) == expected


def test_the_assignment_is_global() -> None:
    # Greedy would give column 0 to row 0 and leave row 1 without a viable column.
    rows = [{0: 0.90, 1: 0.82}, {0: 0.88}]
    assert _solve(rows, [[0, 1], [0]], {0: 2, 1: 1}) == [1, 0]
    # ... and row 0, not getting its best column, abstains rather than guess.
    assert run(rows) == [(Outcome.AMBIGUOUS, -1), (Outcome.AMBIGUOUS, -1)]


def test_ambiguous_lists_the_close_candidates_best_first() -> None:
    (result,) = assign([{2: 0.90, 0: 0.93, 1: 0.50}], threshold=0.8, margin=0.06, max_candidates=3)
    assert result.outcome is Outcome.AMBIGUOUS
    assert result.candidates == (0, 2)
