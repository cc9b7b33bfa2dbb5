"""Error bodies exactly as each real API shapes them (see shared/reference).

- Legacy Google envelope (Calendar, Admin SDK):
  ``{"error": {"code", "message", "errors": [{"domain", "reason", "message", "location"?, "locationType"?}]}}``
- AIP-193 envelope (Meet, People): ``{"error": {"code", "message", "status", "details"?: [ErrorInfo]}}``
- Recall: ``{"detail": "..."}``; OAuth token endpoint: ``{"error", "error_description"}``.
"""

from __future__ import annotations

from collections.abc import Mapping

from mapper.sandbox.http import ApiError, Response

LEGACY_APIS = frozenset({"calendar", "directory"})
RPC_APIS = frozenset({"meet", "people"})

_RPC_STATUS = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ABORTED",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}


def legacy_error(
    code: int,
    reason: str,
    message: str,
    *,
    domain: str = "global",
    location: str | None = None,
    location_type: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> ApiError:
    item: dict[str, str] = {"domain": domain, "reason": reason, "message": message}
    if location is not None:
        item["location"] = location
        item["locationType"] = location_type or "parameter"
    body = {"error": {"code": code, "message": message, "errors": [item]}}
    return ApiError(Response.json(body, code, headers))


def rpc_error(
    code: int,
    message: str,
    *,
    status: str | None = None,
    reason: str | None = None,
    metadata: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
) -> ApiError:
    error: dict[str, object] = {
        "code": code,
        "message": message,
        "status": status or _RPC_STATUS.get(code, "UNKNOWN"),
    }
    if reason is not None:
        error["details"] = [
            {
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                "reason": reason,
                "domain": "googleapis.com",
                "metadata": dict(metadata or {}),
            }
        ]
    return ApiError(Response.json({"error": error}, code, headers))


def recall_error(code: int, detail: str, *, headers: Mapping[str, str] | None = None) -> ApiError:
    return ApiError(Response.json({"detail": detail}, code, headers))


def oauth_error(code: int, error: str, description: str) -> ApiError:
    return ApiError(Response.json({"error": error, "error_description": description}, code))


def generic_error(api: str, code: int, message: str, *, headers: Mapping[str, str] | None = None) -> ApiError:
    """An error in ``api``'s own envelope, for faults and cross-cutting checks (auth, rate limits)."""
    if api in RPC_APIS:
        return rpc_error(code, message, headers=headers)
    if api in LEGACY_APIS:
        reason = {
            400: "badRequest",
            401: "authError",
            403: "forbidden",
            404: "notFound",
            429: "rateLimitExceeded",
            500: "backendError",
            503: "backendError",
        }.get(code, "unknown")
        domain = "usageLimits" if code == 429 else "global"
        location = ("Authorization", "header") if code == 401 else (None, None)
        return legacy_error(
            code,
            reason,
            message,
            domain=domain,
            location=location[0],
            location_type=location[1],
            headers=headers,
        )
    if api == "oauth":
        return ApiError(
            Response.json({"error": "temporarily_unavailable", "error_description": message}, code, headers)
        )
    return recall_error(code, message, headers=headers)


__all__ = ["generic_error", "legacy_error", "oauth_error", "recall_error", "rpc_error"]
