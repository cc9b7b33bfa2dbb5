"""Partial responses: Google's ``fields`` system parameter.

Syntax (shared by One Platform and the legacy APIs): a comma-separated list of selectors; a
selector is a ``/``-separated path, optionally followed by a parenthesised sub-selection, and
``*`` selects every field at its level: ``participants,nextPageToken``,
``participants(name,signedinUser/user)``, ``*``.  Names may be written camelCase or snake_case.

What it mirrors: unselected fields are dropped from the response, arrays apply the selection to
each element, and a selector naming an absent field selects nothing.  Simplification: names are
not checked against the response schema (Google answers an unknown name with 400).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from mapper.sandbox.http import ApiError, Request, Response
from mapper.sandbox.meet.common import camel

#: ``name -> sub-selection``; ``None`` as a sub-selection means "the whole value".
Selection = dict[str, "Selection | None"]

_TOKEN = re.compile(r"\s*([(),/]|[A-Za-z0-9_.$@*-]+)")


class FieldsError(ValueError):
    """The ``fields`` parameter is not valid syntax."""


def parse_fields(text: str) -> Selection | None:
    """The selection described by ``text``; ``None`` when it selects everything (``*`` alone)."""
    tokens = _tokenize(text)
    selection, pos = _parse_list(tokens, 0, text)
    if pos != len(tokens):
        raise FieldsError(f"Invalid field selection {text!r}: unexpected {tokens[pos]!r}")
    return selection


def apply_fields(value: Any, selection: Selection | None) -> Any:
    """Keep only the selected parts of ``value`` (arrays: of each element)."""
    if selection is None:
        return value
    if isinstance(value, list):
        return [apply_fields(item, selection) for item in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for key, item in value.items():
        if key in selection:
            out[key] = apply_fields(item, selection[key])
        elif "*" in selection:
            out[key] = apply_fields(item, selection["*"])
    return out


def _tokenize(text: str) -> list[str]:
    tokens: list[str] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            raise FieldsError(f"Invalid field selection {text!r}: unexpected character {text[pos]!r}")
        tokens.append(match.group(1))
        pos = match.end()
    if not tokens:
        raise FieldsError("Invalid field selection: empty")
    return tokens


def _parse_list(tokens: list[str], pos: int, text: str) -> tuple[Selection | None, int]:
    selection: Selection = {}
    everything = False
    while True:
        path, sub, pos = _parse_selector(tokens, pos, text)
        if path == ["*"] and sub is None:
            everything = True
        _insert(selection, path, sub)
        if pos < len(tokens) and tokens[pos] == ",":
            pos += 1
            continue
        return (None if everything else selection), pos


def _parse_selector(tokens: list[str], pos: int, text: str) -> tuple[list[str], Selection | None, int]:
    path: list[str] = []
    while True:
        if pos >= len(tokens) or tokens[pos] in "(),/":
            found = tokens[pos] if pos < len(tokens) else "end of input"
            raise FieldsError(f"Invalid field selection {text!r}: expected a field name, found {found!r}")
        path.append(camel(tokens[pos]))
        pos += 1
        if pos < len(tokens) and tokens[pos] == "/":
            pos += 1
            continue
        break
    sub: Selection | None = None
    if pos < len(tokens) and tokens[pos] == "(":
        sub, pos = _parse_list(tokens, pos + 1, text)
        if pos >= len(tokens) or tokens[pos] != ")":
            raise FieldsError(f"Invalid field selection {text!r}: missing ')'")
        pos += 1
    return path, sub, pos


def _insert(selection: Selection, path: list[str], sub: Selection | None) -> None:
    node = selection
    for name in path[:-1]:
        child = node.get(name, {})
        if child is None:  # already selected whole
            return
        node[name] = child
        node = child
    last = path[-1]
    if last in node:
        node[last] = _merge(node[last], sub)
    else:
        node[last] = sub


def _merge(left: Selection | None, right: Selection | None) -> Selection | None:
    if left is None or right is None:
        return None
    merged: Selection = dict(left)
    for key, value in right.items():
        merged[key] = _merge(merged[key], value) if key in merged else value
    return merged


def partial_response(
    request: Request,
    body: dict[str, Any],
    *,
    invalid: Callable[[str], ApiError],
    default_hidden: Iterable[str] = (),
) -> Response:
    """``body`` as JSON, reduced to the request's ``fields`` selection.

    Without ``fields`` the method's default mask applies: keys in ``default_hidden`` are dropped
    (e.g. ``totalSize``, which participants.list returns only when asked for).
    """
    text = request.arg("fields")
    if text is None:
        return Response.json({key: value for key, value in body.items() if key not in set(default_hidden)})
    try:
        selection = parse_fields(text)
    except FieldsError as exc:
        raise invalid(str(exc)) from None
    return Response.json(apply_fields(body, selection))


__all__ = ["FieldsError", "Selection", "apply_fields", "parse_fields", "partial_response"]
