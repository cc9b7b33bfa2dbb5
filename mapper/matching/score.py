"""The person × invitee score matrix of the name levels.

Each cell holds the best score any rule gives the pair, and the code of that rule in
:data:`RULES`.  Exact hypotheses come from :mod:`mapper.matching.keys` through dict look-ups
(blocking: no pairwise loop); only persons without a strong key match (below
:data:`FUZZY_SKIP`) are compared approximately, all at once with ``rapidfuzz.process.cdist``.

Scores are on the confidence scale: roughly the share of such matches that are right when the
invitee has no equally good competitor (docs/MATCHING.md shows the benchmark's calibration).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray
from rapidfuzz import fuzz, process

from mapper.matching.keys import DERIVED, NATIVE, NICK, PAIR, email_keys, email_tokens, name_keys
from mapper.matching.normalize import fold_variants, loose, script_key
from mapper.matching.residual import add_residual
from mapper.matching.types import Method


@dataclass(frozen=True, slots=True)
class Rule:
    """One way a participant's name can fit an invitee: its label, score and evidence source."""

    method: Method
    rule: str
    score: float
    source: str
    """``"display_name"`` (the invitee's calendar name) or ``"email"`` (its address)."""


NO_RULE = Rule(Method.NONE, "none", 0.0, "")
_NAME, _EMAIL = "display_name", "email"
RULES: tuple[Rule, ...] = (
    NO_RULE,
    Rule(Method.NAME_EXACT, "exact", 0.97, _NAME),
    Rule(Method.NAME_EXACT, "same_script", 0.97, _NAME),
    Rule(Method.NAME_PARTIAL, "middle_name", 0.92, _NAME),
    Rule(Method.NICKNAME, "nickname", 0.90, _NAME),
    Rule(Method.NAME_PARTIAL, "joined", 0.93, _NAME),
    Rule(Method.NAME_PARTIAL, "initial", 0.86, _NAME),
    Rule(Method.NAME_PARTIAL, "one_word", 0.80, _NAME),
    Rule(Method.NAME_PARTIAL, "single_name", 0.84, _NAME),
    Rule(Method.EMAIL_PATTERN, "first_last", 0.95, _EMAIL),
    Rule(Method.EMAIL_PATTERN, "first_middle_last", 0.92, _EMAIL),
    Rule(Method.EMAIL_PATTERN, "nickname", 0.88, _EMAIL),
    Rule(Method.EMAIL_PATTERN, "firstlast", 0.94, _EMAIL),
    Rule(Method.EMAIL_PATTERN, "initial", 0.87, _EMAIL),
    Rule(Method.EMAIL_PATTERN, "one_word", 0.80, _EMAIL),
    Rule(Method.EMAIL_PATTERN, "single_name", 0.84, _EMAIL),
    Rule(Method.NAME_FUZZY, "fuzzy", 0.0, _NAME),
    Rule(Method.EMAIL_PATTERN, "fuzzy", 0.0, _EMAIL),
    Rule(Method.EMAIL_PATTERN, "word_in_address", 0.80, _EMAIL),
    Rule(Method.NICKNAME, "nickname_middle_name", 0.86, _NAME),
    Rule(Method.EMAIL_PATTERN, "nickname_middle_name", 0.84, _EMAIL),
    Rule(Method.NAME_PARTIAL, "initials", 0.80, _NAME),
    Rule(Method.EMAIL_PATTERN, "initials", 0.80, _EMAIL),
)
_RULE_INDEX = {(r.method, r.rule, r.source): i for i, r in enumerate(RULES)}
FUZZY_NAME = _RULE_INDEX[Method.NAME_FUZZY, "fuzzy", _NAME]
FUZZY_EMAIL = _RULE_INDEX[Method.EMAIL_PATTERN, "fuzzy", _EMAIL]
_RESIDUAL_CODES = {
    "prefix": _RULE_INDEX[Method.EMAIL_PATTERN, "word_in_address", _EMAIL],
    "initial": _RULE_INDEX[Method.EMAIL_PATTERN, "initial", _EMAIL],
    "nickname": _RULE_INDEX[Method.EMAIL_PATTERN, "nickname", _EMAIL],
    "fuzzy": FUZZY_EMAIL,
}

FUZZY_SKIP = 0.92
"""Persons whose best key score reaches this are not compared approximately."""
FUZZY_CUTOFF = 82.0
"""Lowest rapidfuzz ratio kept; it maps to score ``0.90 - (100 - ratio) / 100`` (0.72)."""
WEAK_EMAIL = 0.93
"""Email evidence below this is overruled by a contradicting full calendar name."""
CONTRADICTED = 0.6
"""Factor applied to weak email evidence the invitee's calendar name contradicts."""


def _table() -> dict[tuple[str, int, int, bool], int]:
    def rule(method: Method, name: str, source: str) -> int:
        return _RULE_INDEX[method, name, source]

    table: dict[tuple[str, int, int, bool], int] = {}
    for email, src in ((False, _NAME), (True, _EMAIL)):
        exact = rule(Method.EMAIL_PATTERN, "first_last", src) if email else rule(Method.NAME_EXACT, "exact", src)
        middle = (
            rule(Method.EMAIL_PATTERN, "first_middle_last", src)
            if email
            else rule(Method.NAME_PARTIAL, "middle_name", src)
        )
        nick = rule(Method.EMAIL_PATTERN, "nickname", src) if email else rule(Method.NICKNAME, "nickname", src)
        method = Method.EMAIL_PATTERN if email else Method.NAME_PARTIAL
        joined = rule(method, "firstlast" if email else "joined", src)
        initial = rule(method, "initial", src)
        one_word = rule(method, "one_word", src)
        single = rule(method, "single_name", src)
        table["N", NATIVE, NATIVE, email] = exact
        for a, b in ((NATIVE, PAIR), (PAIR, NATIVE)):
            table["N", a, b, email] = middle
        for a, b in ((NATIVE, NICK), (NICK, NATIVE)):
            table["N", a, b, email] = nick
        method = Method.EMAIL_PATTERN if email else Method.NICKNAME
        for a, b in ((PAIR, NICK), (NICK, PAIR)):
            table["N", a, b, email] = rule(method, "nickname_middle_name", src)
        table["J", NATIVE, NATIVE, email] = rule(
            Method.EMAIL_PATTERN if email else Method.NAME_PARTIAL, "initials", src
        )
        for a, b in ((NATIVE, DERIVED), (DERIVED, NATIVE)):
            table["C", a, b, email] = joined
        for a, b in ((NATIVE, DERIVED), (DERIVED, NATIVE), (NATIVE, NATIVE)):
            table["I", a, b, email] = initial
        table["T", NATIVE, DERIVED, email] = one_word
        table["T", DERIVED, NATIVE, email] = one_word
        table["T", NATIVE, NATIVE, email] = single
        if not email:
            table["X", NATIVE, NATIVE, email] = rule(Method.NAME_EXACT, "same_script", src)
    return table


_TABLE = _table()
_RULE_SCORES: tuple[float, ...] = tuple(r.score for r in RULES)


@dataclass(slots=True)
class ScoreTable:
    """Sparse scores: for each person (row), invitee column → best score and its rule code."""

    n_cols: int
    scores: list[dict[int, float]]
    rules: list[dict[int, int]]

    def lift(self, row: int, column: int, score: float, code: int) -> None:
        """Keep ``score`` (from rule ``code``) for the cell if it beats what the cell has."""
        if score > self.scores[row].get(column, 0.0):
            self.scores[row][column] = score
            self.rules[row][column] = code

    def best(self, row: int) -> float:
        """The row's best score (0 when empty)."""
        return max(self.scores[row].values(), default=0.0)

    def dense(self) -> NDArray[np.float64]:
        """The scores as a dense (persons × invitees) array."""
        out = np.zeros((len(self.scores), self.n_cols))
        for row, cells in enumerate(self.scores):
            for column, value in cells.items():
                out[row, column] = value
        return out


@lru_cache(maxsize=65536)
def _fuzzy_text(display_name: str) -> str:
    variants = fold_variants(display_name)
    tokens = [t for t in variants[0] if len(t) > 1] if variants else []
    return loose(" ".join(tokens)) if len(tokens) >= 2 else ""


@lru_cache(maxsize=65536)
def _email_fuzzy_text(email: str, personal: bool) -> str:
    tokens = [t for t in email_tokens(email, personal=personal) if len(t) > 1]
    return loose(" ".join(tokens)) if len(tokens) >= 2 else ""


@lru_cache(maxsize=65536)
def _is_full_name(display_name: str) -> bool:
    """A Latin-script name of two words or more (other scripts cannot be compared reliably)."""
    variants = fold_variants(display_name)
    return bool(variants) and sum(len(t) > 1 for t in variants[0]) >= 2 and script_key(display_name) is None


def _personal(emails: Sequence[str]) -> list[bool]:
    """Whether each address's domain is its own in this meeting (shared domains are companies)."""
    domains = [e.rpartition("@")[2] for e in emails]
    counts: dict[str, int] = {}
    for domain in domains:
        counts[domain] = counts.get(domain, 0) + 1
    return [counts[d] == 1 for d in domains]


@lru_cache(maxsize=65536)
def _invitee_entries(name: str | None, email: str, personal: bool) -> tuple[tuple[str, int, bool], ...]:
    """An invitee's keys from its calendar name and its address, each key once.

    When both give the same key the calendar name's entry is kept (it also shows that the name
    agrees, which :func:`_overrule` relies on), unless the address's is more native.
    """
    entries: dict[str, tuple[int, bool]] = {}
    if name:
        for key, derivation in name_keys(name, False):
            entries[key] = (derivation, False)
    for key, derivation in email_keys(email, personal):
        known = entries.get(key)
        if known is None or derivation < known[0]:
            entries[key] = (derivation, True)
    return tuple((key, derivation, email_source) for key, (derivation, email_source) in entries.items())


def _index(
    names: Sequence[str | None], emails: Sequence[str], personal: Sequence[bool]
) -> dict[str, list[tuple[int, int, bool]]]:
    index: dict[str, list[tuple[int, int, bool]]] = {}
    for column, (name, email) in enumerate(zip(names, emails, strict=True)):
        for key, derivation, email_source in _invitee_entries(name, email, personal[column]):
            hits = index.get(key)
            if hits is None:
                index[key] = [(column, derivation, email_source)]
            else:
                hits.append((column, derivation, email_source))
    return index


def score_matrix(
    person_names: Sequence[Sequence[str]],
    invitee_names: Sequence[str | None],
    invitee_emails: Sequence[str],
) -> ScoreTable:
    """Score every person (given as the display names it showed) against every invitee."""
    n_persons = len(person_names)
    table = ScoreTable(len(invitee_names), [{} for _ in range(n_persons)], [{} for _ in range(n_persons)])
    if not n_persons or not invitee_names:
        return table
    personal = _personal(invitee_emails)
    index = _index(invitee_names, invitee_emails, personal)
    lookup, rule_scores = _TABLE, _RULE_SCORES
    named: set[tuple[int, int]] = set()
    for row, names in enumerate(person_names):
        scores, rules = table.scores[row], table.rules[row]
        for name in names:
            for key, derivation in name_keys(name):
                hits = index.get(key)
                if not hits:
                    continue
                namespace = key[0]
                for column, other, email in hits:
                    code = lookup.get((namespace, derivation, other, email))
                    if code is None:
                        continue
                    if not email:
                        named.add((row, column))
                    value = rule_scores[code]
                    if value > scores.get(column, 0.0):
                        scores[column] = value
                        rules[column] = code
    weak = [row for row in range(n_persons) if table.best(row) < FUZZY_SKIP]
    if weak:
        _add_fuzzy(table, person_names, invitee_names, invitee_emails, personal, weak, named)
        words = [
            (column, tokens[0])
            for column, email in enumerate(invitee_emails)
            if len(tokens := email_tokens(email, personal=personal[column])) == 1 and len(tokens[0]) >= 5
        ]
        add_residual(table, person_names, words, weak, _RESIDUAL_CODES, rule_scores)
        _overrule(table, person_names, invitee_names, weak, named)
    return table


def _overrule(
    table: ScoreTable,
    person_names: Sequence[Sequence[str]],
    invitee_names: Sequence[str | None],
    rows: Sequence[int],
    named: set[tuple[int, int]],
) -> None:
    """Weak email evidence loses when the invitee's full calendar name does not fit at all."""
    for row in rows:
        scores = table.scores[row]
        if not scores or not any(_is_full_name(name) for name in person_names[row]):
            continue
        for column, value in list(scores.items()):
            name = invitee_names[column]
            if (
                value < WEAK_EMAIL
                and name
                and (row, column) not in named
                and RULES[table.rules[row][column]].source == _EMAIL
                and _is_full_name(name)
            ):
                scores[column] = value * CONTRADICTED


def _add_fuzzy(
    table: ScoreTable,
    person_names: Sequence[Sequence[str]],
    invitee_names: Sequence[str | None],
    invitee_emails: Sequence[str],
    personal: Sequence[bool],
    weak: Sequence[int],
    named: set[tuple[int, int]],
) -> None:
    rows: list[int] = []
    queries: list[str] = []
    for row in weak:
        for name in person_names[row]:
            text = _fuzzy_text(name)
            if text:
                rows.append(row)
                queries.append(text)
    if not queries:
        return
    columns: list[int] = []
    choices: list[str] = []
    codes: list[int] = []
    for column, (invitee_name, email) in enumerate(zip(invitee_names, invitee_emails, strict=True)):
        for text, code in (
            (_fuzzy_text(invitee_name) if invitee_name else "", FUZZY_NAME),
            (_email_fuzzy_text(email, personal[column]), FUZZY_EMAIL),
        ):
            if text:
                columns.append(column)
                choices.append(text)
                codes.append(code)
    if not choices:
        return
    ratios = process.cdist(queries, choices, scorer=fuzz.token_set_ratio, score_cutoff=FUZZY_CUTOFF, workers=1)
    hit_q, hit_c = np.nonzero(ratios)
    for q, c in zip(hit_q.tolist(), hit_c.tolist(), strict=True):
        row, column = rows[q], columns[c]
        if codes[c] == FUZZY_NAME:
            named.add((row, column))
        table.lift(row, column, 0.90 - (100.0 - float(ratios[q, c])) / 100.0, codes[c])


__all__ = ["FUZZY_CUTOFF", "FUZZY_SKIP", "NO_RULE", "RULES", "Rule", "ScoreTable", "score_matrix"]
