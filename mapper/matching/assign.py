"""One invitee per person and one person per invitee, solved globally, abstaining when unsure.

1. Pairs at or above the threshold are *viable*.  A person with exactly one viable invitee that
   no other person finds viable is paired directly; the rest go to
   ``scipy.optimize.linear_sum_assignment`` (maximising the total score).
2. An assigned pair stays ``resolved`` only when its score beats every competitor by the
   ambiguity margin: the person's next best invitee, and every other person's score for the
   same invitee — except persons who are clearly someone else (their own assignment beats
   this invitee by the margin) — and when the person has no second *viable* invitee (two
   invitees that each fit on their own are namesakes, whatever the margin).  Otherwise it is
   ``ambiguous``.
3. A person left without an invitee although one was viable is ``ambiguous``, unless the
   invitee went to someone who fits it better by the margin (then ``unresolved``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from scipy.optimize import linear_sum_assignment

CANDIDATE_FLOOR = 0.5
"""Lowest score listed as a candidate of an unresolved person."""
_EPSILON = 1e-9


class Outcome(StrEnum):
    """The assignment's verdict for one person."""

    RESOLVED = "resolved"
    AMBIGUOUS = "ambiguous"
    UNRESOLVED = "unresolved"


@dataclass(frozen=True, slots=True)
class RowResult:
    """The verdict for one person (row): the chosen column, its score and its competition."""

    outcome: Outcome
    column: int
    """The assigned invitee column, or ``-1``."""
    score: float
    competitor: float
    """The best competing score that was held against the choice (0 when none)."""
    candidates: tuple[int, ...]
    """Columns worth listing, best first (for ambiguous / unresolved persons)."""


def _solve(rows: Sequence[Mapping[int, float]], viable: list[list[int]], col_viable: dict[int, int]) -> list[int]:
    """Return the assigned column per row (``-1`` for none) among viable pairs."""
    assigned = [-1] * len(rows)
    rest: list[int] = []
    for row, columns in enumerate(viable):
        if len(columns) == 1 and col_viable[columns[0]] == 1:
            assigned[row] = columns[0]
        elif columns:
            rest.append(row)
    if rest:
        taken = {c for c in assigned if c >= 0}
        rest_cols = sorted({c for row in rest for c in viable[row] if c not in taken})
        if rest_cols:
            where = {c: i for i, c in enumerate(rest_cols)}
            sub = np.zeros((len(rest), len(rest_cols)))
            for i, row in enumerate(rest):
                for c in viable[row]:
                    if c in where:
                        sub[i, where[c]] = rows[row][c]
            picked_rows, picked_cols = linear_sum_assignment(sub, maximize=True)
            for i, j in zip(picked_rows.tolist(), picked_cols.tolist(), strict=True):
                if sub[i, j] > 0:
                    assigned[rest[i]] = rest_cols[j]
    return assigned


def assign(
    rows: Sequence[Mapping[int, float]], *, threshold: float, margin: float, max_candidates: int
) -> list[RowResult]:
    """Assign columns to rows (each a sparse column → score map) and judge each choice.

    See the module docstring for the rules.
    """
    floor = threshold - _EPSILON
    viable = [[c for c, v in cells.items() if v >= floor] for cells in rows]
    col_viable: dict[int, int] = {}
    for columns in viable:
        for c in columns:
            col_viable[c] = col_viable.get(c, 0) + 1
    assigned = _solve(rows, viable, col_viable)
    own = [rows[r][c] if c >= 0 else 0.0 for r, c in enumerate(assigned)]
    owner = {c: r for r, c in enumerate(assigned) if c >= 0}
    by_col: dict[int, list[tuple[int, float]]] = {}
    for r, cells in enumerate(rows):
        for c, v in cells.items():
            by_col.setdefault(c, []).append((r, v))

    def contest(column: int, me: int) -> float:
        """Best score another person has for ``column``, unless clearly matched elsewhere."""
        rival = 0.0
        for r, v in by_col.get(column, ()):
            if r != me and v > rival and not (assigned[r] >= 0 and own[r] - v >= margin - _EPSILON):
                rival = v
        return rival

    results: list[RowResult] = []
    for row, cells in enumerate(rows):
        column = assigned[row]
        if column >= 0:
            score = own[row]
            runner_up = max((v for c, v in cells.items() if c != column), default=0.0)
            competitor = max(runner_up, contest(column, row))
            # A second invitee that would be accepted on its own — and is not clearly someone
            # else's — makes the choice not "clearly" better: namesakes, however their addresses
            # are spelled.
            namesake = any(
                v >= floor and not (c in owner and owner[c] != row and own[owner[c]] - v >= margin - _EPSILON)
                for c, v in cells.items()
                if c != column
            )
            if score - competitor >= margin - _EPSILON and not namesake:
                results.append(RowResult(Outcome.RESOLVED, column, score, competitor, ()))
                continue
            # List every invitee within the margin — and, for namesakes, every viable one.
            picks = _ranked(cells, min(score - margin, floor) if namesake else score - margin, max_candidates)
            if column not in picks:
                picks = (column, *picks)[:max_candidates]
            results.append(RowResult(Outcome.AMBIGUOUS, -1, score, competitor, picks))
            continue
        best = max(cells.values(), default=0.0)
        if best >= floor:
            wanted = min(c for c, v in cells.items() if v == best)
            holder = owner.get(wanted, -1)
            held = rows[holder][wanted] if holder >= 0 else 0.0
            if holder >= 0 and held - best >= margin - _EPSILON:
                results.append(
                    RowResult(Outcome.UNRESOLVED, -1, best, held, _ranked(cells, CANDIDATE_FLOOR, max_candidates))
                )
            else:
                picks = _ranked(cells, best - margin, max_candidates)
                results.append(RowResult(Outcome.AMBIGUOUS, -1, best, max(held, best), picks))
            continue
        results.append(RowResult(Outcome.UNRESOLVED, -1, best, 0.0, _ranked(cells, CANDIDATE_FLOOR, max_candidates)))
    return results


def _ranked(cells: Mapping[int, float], floor: float, limit: int) -> tuple[int, ...]:
    bar = max(floor, CANDIDATE_FLOOR) - _EPSILON
    picks = sorted((c for c, v in cells.items() if v >= bar), key=lambda c: (-cells[c], c))
    return tuple(picks[:limit]) if limit > 0 else ()


__all__ = ["CANDIDATE_FLOOR", "Outcome", "RowResult", "assign"]
