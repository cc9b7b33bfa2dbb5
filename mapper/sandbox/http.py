"""Transport-free HTTP primitives for the emulators: requests, responses, routing.

Handlers are plain functions ``(request, params) -> Response``; they raise :class:`ApiError` to
answer with an error.  Nothing here knows about sockets, so handlers are easy to test.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote


@dataclass(frozen=True)
class Request:
    method: str
    path: str  # raw (still percent-encoded) path, without the query string
    query: Mapping[str, list[str]]
    headers: Mapping[str, str]  # keys lower-cased
    body: bytes = b""
    base_url: str = "http://127.0.0.1"  # scheme://host:port the client used (for self links)

    def arg(self, name: str, default: str | None = None) -> str | None:
        """The last value of query parameter ``name`` (Google's rule for repeated scalars)."""
        values = self.query.get(name)
        return values[-1] if values else default

    def args(self, name: str) -> list[str]:
        return list(self.query.get(name, []))

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    def json(self) -> Any:
        return json.loads(self.body or b"null")


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, data: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
        return cls(status, body, {"Content-Type": "application/json; charset=UTF-8", **(headers or {})})

    @classmethod
    def text(cls, text: str, status: int = 200, content_type: str = "text/plain; charset=utf-8") -> Response:
        return cls(status, text.encode(), {"Content-Type": content_type})


class ApiError(Exception):
    """Raised by handlers to answer with ``response`` (an error envelope)."""

    def __init__(self, response: Response) -> None:
        super().__init__(f"HTTP {response.status}")
        self.response = response


Handler = Callable[[Request, Mapping[str, str]], Response]


@dataclass(frozen=True)
class Route:
    method: str
    regex: re.Pattern[str]
    name: str  # the API method, e.g. "calendar.events.list" (used for stats and faults)
    api: str  # calendar | meet | people | directory | recall | oauth | sandbox
    handler: Handler


_PARAM = re.compile(r"\{(\w+)(?::([^}]+))?\}")


def _compile(pattern: str) -> re.Pattern[str]:
    out, last = [], 0
    for match in _PARAM.finditer(pattern):
        out.append(re.escape(pattern[last : match.start()]))
        out.append(f"(?P<{match.group(1)}>{match.group(2) or '[^/]+'})")
        last = match.end()
    out.append(re.escape(pattern[last:]))
    return re.compile("".join(out) + r"\Z")


class Router:
    """Maps ``METHOD /path/{param}`` patterns to handlers; first match wins."""

    def __init__(self) -> None:
        self._routes: list[Route] = []

    def add(self, method: str, pattern: str, *, name: str, api: str, handler: Handler) -> None:
        """Register ``handler``; ``{param}`` matches one segment, ``{param:regex}`` a custom regex."""
        self._routes.append(Route(method.upper(), _compile(pattern), name, api, handler))

    def resolve(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        allowed = False
        for route in self._routes:
            match = route.regex.match(path)
            if match is None:
                continue
            if route.method == method.upper():
                return route, {key: unquote(value) for key, value in match.groupdict().items()}
            allowed = True
        if allowed:
            raise MethodNotAllowedError(path)
        return None

    @property
    def routes(self) -> list[Route]:
        return list(self._routes)


class MethodNotAllowedError(Exception):
    pass


__all__ = ["ApiError", "Handler", "MethodNotAllowedError", "Request", "Response", "Route", "Router"]
