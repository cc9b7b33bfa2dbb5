"""Second look at email addresses written as one word, for persons no key matched well.

``darrenrodriguez@`` holds "Darren" as a prefix, ``whitneyhahn@`` holds "W. Hahn" as an
initial plus a suffix, ``robertlacombe@`` holds "Rob Lacombe" through a nickname and
``pverdejo@`` holds "Pili Verdjeo" up to a typo.  Keys cannot enumerate every split of a word,
so only persons left below :data:`~mapper.matching.score.FUZZY_SKIP` get this look: prefixes and
suffixes through a dict of the addresses' prefixes / suffixes, joined forms through one
``rapidfuzz.process.cdist`` call.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
from rapidfuzz import fuzz, process

from mapper.matching.nicknames import related_names
from mapper.matching.normalize import fold_variants

if TYPE_CHECKING:
    from mapper.matching.score import ScoreTable

MIN_PART = 3
"""Shortest name part looked for as a prefix or suffix of an address."""
COMPACT_CUTOFF = 88.0
"""Lowest rapidfuzz ratio kept between a joined name form and a one-word address."""


def _affix_index(words: Sequence[tuple[int, str]]) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    prefixes: dict[str, list[int]] = {}
    suffixes: dict[str, list[int]] = {}
    for column, word in words:
        for cut in range(MIN_PART, len(word) - 1):
            prefixes.setdefault(word[:cut], []).append(column)
        for cut in range(2, len(word) - MIN_PART + 1):
            suffixes.setdefault(word[cut:], []).append(column)
    return prefixes, suffixes


@lru_cache(maxsize=65536)
def _compact_forms(tokens: tuple[str, ...]) -> list[tuple[str, bool]]:
    """Joined spellings of a two-or-more-word name: (form, uses a nickname).

    Only the full joined forms are compared approximately; the nickname forms (and their
    ``flast`` shapes) must match exactly.
    """
    full = [t for t in tokens if len(t) > 1]
    if len(full) < 2:
        return []
    first, last = full[0], full[-1]
    forms = [(form, False) for form in (first + last, last + first) if len(form) >= 8]
    for other in sorted(related_names(first))[:8]:
        forms.extend(((other + last, True), (other[0] + last, True)))
    return forms


def add_residual(
    table: ScoreTable,
    person_names: Sequence[Sequence[str]],
    words: Sequence[tuple[int, str]],
    rows: Sequence[int],
    codes: dict[str, int],
    rule_scores: Sequence[float],
) -> None:
    """Raise cells of ``rows`` where an affix or joined form fits a one-word address.

    ``words`` lists (column, one-word address).  ``codes`` maps ``"prefix"``, ``"initial"``,
    ``"nickname"`` and ``"fuzzy"`` to rule codes; ``rule_scores`` gives each code's score.
    """
    if not words or not rows:
        return
    prefixes, suffixes = _affix_index(words)
    word_of = dict(words)
    columns_of: dict[str, list[int]] = {}
    for column, word in words:
        columns_of.setdefault(word, []).append(column)

    def lift(row: int, column: int, code: int, value: float) -> None:
        table.lift(row, column, value, code)

    queries: list[str] = []
    query_rows: list[int] = []
    for row in rows:
        for name in person_names[row]:
            for tokens in fold_variants(name)[:2]:
                full = [t for t in tokens if len(t) > 1]
                initials = [t for t in tokens if len(t) == 1]
                if len(full) == 1 and len(full[0]) >= MIN_PART:
                    word = full[0]
                    for column in prefixes.get(word, ()):
                        rest = word_of[column][len(word) :]
                        code = "initial" if initials and rest[:1] in initials else "prefix"
                        lift(row, column, codes[code], float(rule_scores[codes[code]]))
                    for column in suffixes.get(word, ()):
                        head = word_of[column][: -len(word)]
                        code = "initial" if initials and head[:1] in initials else "prefix"
                        lift(row, column, codes[code], float(rule_scores[codes[code]]))
                for form, nickname in _compact_forms(tokens):
                    if nickname:
                        for column in columns_of.get(form, ()):
                            lift(row, column, codes["nickname"], float(rule_scores[codes["nickname"]]))
                    else:
                        queries.append(form)
                        query_rows.append(row)
    if not queries:
        return
    columns = [column for column, _ in words]
    ratios = process.cdist(queries, [w for _, w in words], scorer=fuzz.ratio, score_cutoff=COMPACT_CUTOFF, workers=1)
    for q, c in zip(*np.nonzero(ratios), strict=True):
        value = 0.90 - (100.0 - float(ratios[q, c])) / 100.0
        lift(query_rows[int(q)], columns[int(c)], codes["fuzzy"], value)


__all__ = ["COMPACT_CUTOFF", "MIN_PART", "add_residual"]
