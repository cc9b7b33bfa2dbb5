"""The sandbox HTTP server: every emulated API on one port, plus ``/_sandbox/*`` control endpoints.

``SandboxServer(scenario).start()`` runs it in a background thread (tests); ``serve_forever()``
blocks (the CLI).  :meth:`SandboxServer.dispatch` answers a :class:`Request` without sockets.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Mapping
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from mapper.clock import Clock
from mapper.errors import ConfigError
from mapper.sandbox.envelopes import generic_error, legacy_error
from mapper.sandbox.faults import FaultInjector, FaultSpec
from mapper.sandbox.http import ApiError, MethodNotAllowedError, Request, Response, Route, Router
from mapper.sandbox.scenario import ScenarioError, read_scenario
from mapper.sandbox.stats import Stats
from mapper.sandbox.world import World

log = logging.getLogger("mapper.sandbox")

_GARBAGE = b'{"error": <html><body>502 Bad Gateway</body></html>'


class SandboxServer:
    """Serves a scenario's world over HTTP on ``host:port`` (port 0 picks a free one)."""

    def __init__(
        self,
        scenario: Mapping[str, Any] | str | Path,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        faults: FaultSpec | str | None = None,
        clock: Clock | None = None,
    ) -> None:
        data = read_scenario(scenario) if isinstance(scenario, str | Path) else scenario
        self.world = World(data, clock=clock)
        self.stats = Stats()
        self.faults = FaultInjector(FaultSpec.parse(faults) if isinstance(faults, str) else faults)
        self.router = self.world.routes()
        self._control_routes(self.router)
        self._httpd = _HTTPServer((host, port), _Handler)
        self._httpd.sandbox = self
        self._thread: threading.Thread | None = None
        self._serving = False  # serve_forever() running in a caller's thread

    # -- lifecycle ---------------------------------------------------------------------------
    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> SandboxServer:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="sandbox", daemon=True
        )  # a short poll interval makes close() take 50 ms instead of 500 ms
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._serving = True
        self._httpd.serve_forever()

    def close(self) -> None:
        if self._thread is not None or self._serving:  # shutdown() would wait forever on a server never started
            self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- programmatic control (same as the /_sandbox endpoints) ------------------------------
    def patch(self, patch: Mapping[str, Any]) -> None:
        self.world.patch(patch)

    def set_faults(self, spec: FaultSpec | str) -> None:
        self.faults.set_spec(FaultSpec.parse(spec) if isinstance(spec, str) else spec)

    def stats_snapshot(self) -> dict[str, Any]:
        return self.stats.snapshot()

    def reset_stats(self) -> None:
        self.stats.reset()

    # -- dispatch ----------------------------------------------------------------------------
    def dispatch(self, request: Request) -> Response:
        request = _method_override(request)
        try:
            found = self.router.resolve(request.method, request.path)
        except MethodNotAllowedError:
            return Response.json({"error": {"code": 405, "message": "Method Not Allowed"}}, 405)
        if found is None:
            return Response.json({"error": {"code": 404, "message": f"Not Found: {request.path}"}}, 404)
        route, params = found
        if route.api == "sandbox":
            return self._call(route, request, params)
        self.stats.request(route.name)
        response = self._with_faults(route, request, params)
        self.stats.status(route.name, response.status)
        return response

    def _call(self, route: Route, request: Request, params: Mapping[str, str]) -> Response:
        try:
            with self.world.lock:
                return route.handler(request, params)
        except ApiError as exc:
            return exc.response
        except (ScenarioError, ConfigError) as exc:
            return Response.json({"error": str(exc)}, 400)
        except Exception as exc:
            log.exception("sandbox handler %s failed", route.name)
            return Response.json({"error": {"code": 500, "message": f"sandbox internal error: {exc!r}"}}, 500)

    def _with_faults(self, route: Route, request: Request, params: Mapping[str, str]) -> Response:
        rule = self.faults.spec.rule(route.api)
        if rule.latency_ms:
            time.sleep(rule.latency_ms / 1000)
        if self.faults.spec.active:
            query = "&".join(f"{k}={v}" for k, values in sorted(request.query.items()) for v in values)
            pick, flavour, damage = self.faults.draw(f"{route.name}|{request.method}|{request.path}?{query}")
            threshold = rule.rate_429
            if pick < threshold:
                return self._fault(
                    route,
                    "429",
                    generic_error(
                        route.api, 429, _throttled(route.api), headers={"Retry-After": str(round(rule.retry_after))}
                    ),
                )
            threshold += rule.rate_5xx
            if pick < threshold:
                code = 503 if flavour < 0.5 else 500
                return self._fault(route, str(code), generic_error(route.api, code, _server_error(code)))
            expire_band = threshold <= pick < threshold + rule.rate_expire
            threshold += rule.rate_expire
            sync_band = threshold <= pick < threshold + rule.rate_sync410
            if expire_band:  # each draw falls in one band only
                token = self.world.tokens.bearer(request)
                if token is not None and token.expires_at is not None:
                    self.stats.fault(route.name, "expire")
                    self.world.tokens.expire(token.value)
            if sync_band and route.api == "calendar" and request.arg("syncToken"):
                return self._fault(
                    route,
                    "sync410",
                    legacy_error(
                        410,
                        "fullSyncRequired",
                        "Sync token is no longer valid, a full sync is required.",
                        domain="calendar",
                        location="syncToken",
                    ),
                )
            response = self._call(route, request, params)
            if response.status == 200 and response.body:
                if damage < rule.rate_truncate:
                    self.stats.fault(route.name, "truncate")
                    return Response(200, response.body[: len(response.body) // 2], dict(response.headers))
                if damage < rule.rate_truncate + rule.rate_malformed:
                    self.stats.fault(route.name, "malformed")
                    return Response(200, _GARBAGE, dict(response.headers))
            return response
        return self._call(route, request, params)

    def _fault(self, route: Route, kind: str, error: ApiError) -> Response:
        self.stats.fault(route.name, kind)
        return error.response

    # -- control endpoints -------------------------------------------------------------------
    def _control_routes(self, router: Router) -> None:
        def health(_req: Request, _p: Mapping[str, str]) -> Response:
            return Response.json({"ok": True, "apis": sorted(self.world.apis)})

        def stats(_req: Request, _p: Mapping[str, str]) -> Response:
            return Response.json(self.stats.snapshot())

        def reset(_req: Request, _p: Mapping[str, str]) -> Response:
            self.stats.reset()
            return Response.json({"ok": True})

        def patch(req: Request, _p: Mapping[str, str]) -> Response:
            try:
                body = req.json()
            except ValueError as exc:
                return Response.json({"error": f"patch: invalid JSON: {exc}"}, 400)
            self.world.patch(body)
            return Response.json({"ok": True})

        def faults(req: Request, _p: Mapping[str, str]) -> Response:
            if req.method == "PUT":
                body = req.json()
                spec = body.get("spec", "") if isinstance(body, dict) else ""
                self.faults.set_spec(FaultSpec.parse(spec))
            return Response.json({"seed": self.faults.spec.seed, "rules": self.faults.spec.rules})

        router.add("GET", "/_sandbox/health", name="sandbox.health", api="sandbox", handler=health)
        router.add("GET", "/_sandbox/stats", name="sandbox.stats", api="sandbox", handler=stats)
        router.add("POST", "/_sandbox/stats/reset", name="sandbox.stats.reset", api="sandbox", handler=reset)
        router.add("POST", "/_sandbox/patch", name="sandbox.patch", api="sandbox", handler=patch)
        router.add("GET", "/_sandbox/faults", name="sandbox.faults", api="sandbox", handler=faults)
        router.add("PUT", "/_sandbox/faults", name="sandbox.faults.set", api="sandbox", handler=faults)


def _method_override(request: Request) -> Request:
    """Google's ``X-HTTP-Method-Override``: google-api-python-client turns a GET whose URL exceeds
    2048 characters into a POST carrying the query string as a form body."""
    override = request.header("x-http-method-override")
    if request.method != "POST" or not override:
        return request
    query = {key: list(values) for key, values in request.query.items()}
    if (request.header("content-type") or "").startswith("application/x-www-form-urlencoded"):
        for key, values in parse_qs(request.body.decode("utf-8", "replace"), keep_blank_values=True).items():
            query.setdefault(key, []).extend(values)
    return replace(request, method=override.upper(), query=query, body=b"")


def _throttled(api: str) -> str:
    if api == "recall":
        return "Request was throttled."
    if api in {"meet", "people"}:
        return "Resource has been exhausted (e.g. check quota)."
    return "Rate Limit Exceeded"


def _server_error(code: int) -> str:
    if code == 503:
        return "The service is currently unavailable."
    return "Internal error encountered." if code == 500 else "Backend Error"


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256
    sandbox: SandboxServer


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are separate writes: avoid 40 ms delayed-ACK stalls
    server: _HTTPServer
    server_version = "mapper-sandbox"

    def _handle(self) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        host = self.headers.get("Host") or "{}:{}".format(*self.server.server_address[:2])
        request = Request(
            method=self.command,
            path=parts.path,
            query=parse_qs(parts.query, keep_blank_values=True),
            headers={key.lower(): value for key, value in self.headers.items()},
            body=body,
            base_url=f"http://{host}",
        )
        response = self.server.sandbox.dispatch(request)
        self.send_response(response.status)
        headers = {"Content-Type": "application/json; charset=UTF-8", **response.headers}
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _handle  # noqa: N815

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s " + format, self.address_string(), *args)


def fetch_json(url: str) -> Any:
    """GET a sandbox control endpoint (used by the CLI and benchmarks)."""
    from urllib.request import urlopen

    with urlopen(url, timeout=10) as response:  # noqa: S310  (our own local sandbox)
        return json.loads(response.read())


__all__ = ["SandboxServer", "fetch_json"]
