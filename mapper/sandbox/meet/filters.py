"""The Meet v2 ``filter`` parameter (the "EBNF" syntax of Google's AIP-160 list filters).

Grammar implemented (keywords upper-case, whitespace-insensitive)::

    expression := conjunct { "AND" conjunct }
    conjunct   := factor { "OR" factor }          -- AIP-160: OR binds tighter than AND
    factor     := "NOT" factor | "(" expression ")" | comparison
    comparison := FIELD op VALUE | FIELD "IS" [ "NOT" ] "NULL"
    op         := "=" | "!=" | "<" | "<=" | ">" | ">="
    VALUE      := "double-quoted string" | RFC3339-timestamp (bare or quoted)

Each list method declares its filterable fields and their kind: string fields (``space.name``,
case-sensitive; ``space.meeting_code``, case-insensitive like the meeting-code alias) accept only
``=`` / ``!=`` with a double-quoted value; time fields accept every operator with an RFC 3339 value.
A comparison against an unset field (an ongoing conference's ``end_time``) is false; ``IS NULL``
tests for it.  Unknown fields, snake/camel mix-ups (``startTime``) and bad syntax raise
:class:`FilterError`, which the handlers turn into 400 INVALID_ARGUMENT.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from mapper.clock import utc


class Kind(Enum):
    STRING = "string"
    STRING_CI = "string (case-insensitive)"
    TIME = "timestamp"


Value = str | datetime | None
Predicate = Callable[[Mapping[str, Value]], bool]

_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "=": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
_KEYWORDS = frozenset({"AND", "OR", "NOT", "IS", "NULL"})
_TOKEN = re.compile(
    r"""\s*(?:
        (?P<string>"(?:[^"\\]|\\.)*")
      | (?P<op><=|>=|!=|=|<|>)
      | (?P<paren>[()])
      | (?P<word>[^\s()"=<>!]+)
      | (?P<bad>\S)
    )""",
    re.VERBOSE,
)


class FilterError(ValueError):
    """The filter is not valid; the message names the problem."""


@dataclass(frozen=True)
class _Token:
    kind: str  # string | op | paren | word | end
    text: str
    pos: int


def parse_filter(text: str | None, fields: Mapping[str, Kind]) -> Predicate:
    """Compile ``text`` into a predicate over ``{field: value}``; an empty filter matches everything."""
    if text is None or not text.strip():
        return lambda _values: True
    parser = _Parser(text, fields)
    predicate = parser.expression()
    token = parser.peek()
    if token.kind != "end":
        raise parser.error(f"unexpected {token.text!r}", token)
    return predicate


class _Parser:
    def __init__(self, text: str, fields: Mapping[str, Kind]) -> None:
        self.text = text
        self.fields = fields
        self.tokens = self._tokenize(text)
        self.pos = 0

    # -- tokens ------------------------------------------------------------------------------
    def _tokenize(self, text: str) -> list[_Token]:
        tokens: list[_Token] = []
        pos = 0
        while True:
            match = _TOKEN.match(text, pos)
            if match is None:  # only trailing whitespace left
                break
            kind = match.lastgroup or "bad"
            start = match.start(kind)
            if kind == "bad":
                raise self.error(f"unexpected character {match.group(kind)!r}", _Token("bad", "", start))
            tokens.append(_Token(kind, match.group(kind), start))
            pos = match.end()
        tokens.append(_Token("end", "end of filter", len(text)))
        return tokens

    def peek(self) -> _Token:
        return self.tokens[self.pos]

    def take(self) -> _Token:
        token = self.tokens[self.pos]
        if token.kind != "end":
            self.pos += 1
        return token

    def keyword(self, word: str) -> bool:
        token = self.peek()
        if token.kind == "word" and token.text == word:
            self.pos += 1
            return True
        return False

    def error(self, message: str, token: _Token) -> FilterError:
        return FilterError(f'Invalid filter "{self.text}": {message} at position {token.pos}.')

    # -- grammar -----------------------------------------------------------------------------
    def expression(self) -> Predicate:
        parts = [self.conjunct()]
        while self.keyword("AND"):
            parts.append(self.conjunct())
        if len(parts) == 1:
            return parts[0]
        return lambda values: all(part(values) for part in parts)

    def conjunct(self) -> Predicate:
        parts = [self.factor()]
        while self.keyword("OR"):
            parts.append(self.factor())
        if len(parts) == 1:
            return parts[0]
        return lambda values: any(part(values) for part in parts)

    def factor(self) -> Predicate:
        if self.keyword("NOT"):
            inner = self.factor()
            return lambda values: not inner(values)
        token = self.peek()
        if token.kind == "paren" and token.text == "(":
            self.take()
            inner = self.expression()
            closing = self.take()
            if closing.kind != "paren" or closing.text != ")":
                raise self.error(f"expected ')', found {closing.text!r}", closing)
            return inner
        return self.comparison()

    def comparison(self) -> Predicate:
        token = self.take()
        if token.kind != "word" or token.text in _KEYWORDS:
            raise self.error(f"expected a field name, found {token.text!r}", token)
        field = token.text
        kind = self.fields.get(field)
        if kind is None:
            known = ", ".join(self.fields)
            raise self.error(f'unknown field "{field}" (filterable fields: {known})', token)
        if self.keyword("IS"):
            negate = self.keyword("NOT")
            null = self.take()
            if null.kind != "word" or null.text != "NULL":
                raise self.error(f"expected NULL after IS, found {null.text!r}", null)
            if negate:
                return lambda values: values.get(field) is not None
            return lambda values: values.get(field) is None
        op_token = self.take()
        if op_token.kind != "op":
            raise self.error(f"expected a comparison operator after {field}, found {op_token.text!r}", op_token)
        compare = _OPS[op_token.text]
        value_token = self.take()
        value = self.value(field, kind, op_token.text, value_token)

        def check(values: Mapping[str, Value]) -> bool:
            actual = values.get(field)
            if actual is None:
                return False
            if kind is Kind.STRING_CI and isinstance(actual, str):
                actual = actual.lower()
            return bool(compare(actual, value))

        return check

    def value(self, field: str, kind: Kind, op: str, token: _Token) -> str | datetime:
        if token.kind == "string":
            text = re.sub(r"\\(.)", r"\1", token.text[1:-1])
        elif token.kind == "word" and token.text not in _KEYWORDS and kind is Kind.TIME:
            text = token.text
        else:
            expected = "an RFC 3339 timestamp" if kind is Kind.TIME else "a double-quoted string"
            raise self.error(f"expected {expected} after {field} {op}, found {token.text!r}", token)
        if kind is Kind.TIME:
            try:
                return utc(text)
            except ValueError:
                raise self.error(f'invalid timestamp "{text}" for {field} (RFC 3339 expected)', token) from None
        if op not in {"=", "!="}:
            raise self.error(f"operator {op} is not supported for {field} (use = or !=)", token)
        return text.lower() if kind is Kind.STRING_CI else text


__all__ = ["FilterError", "Kind", "Predicate", "Value", "parse_filter"]


_TERM_EQUALS = re.compile(r'^\s*(space\.meeting_code|space\.name)\s*=\s*"((?:[^"\\]|\\.)*)"\s*$')


def required_equalities(text: str | None) -> dict[str, str]:
    """``field -> value`` equalities every match must satisfy, read off the filter's top level.

    AND has the lowest precedence (AIP-160: OR binds tighter), so each top-level AND term is a
    necessary condition; a term that is exactly ``space.meeting_code = "…"`` or ``space.name = "…"``
    lets the caller narrow the candidates with an index.  The full predicate still decides every
    candidate, so this never changes a result — it only skips records that cannot match.
    """
    if not text:
        return {}
    terms: list[str] = []
    depth, quoted, start, i = 0, False, 0, 0
    while i < len(text):
        char = text[i]
        if quoted:
            if char == "\\":
                i += 1
            elif char == '"':
                quoted = False
        elif char == '"':
            quoted = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif (
            depth == 0
            and text.startswith("AND", i)
            and (i == 0 or text[i - 1].isspace())
            and (i + 3 == len(text) or text[i + 3].isspace())
        ):
            terms.append(text[start:i])
            start = i + 3
            i += 2
        i += 1
    terms.append(text[start:])
    found: dict[str, str] = {}
    for term in terms:
        match = _TERM_EQUALS.match(term)
        if match:
            found[match.group(1)] = match.group(2).replace('\\"', '"').replace("\\\\", "\\")
    return found
