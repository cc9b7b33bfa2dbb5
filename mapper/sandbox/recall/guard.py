"""What stands in front of every Recall endpoint: the WAF and API-key authentication.

- WAF: Recall's web application firewall answers **403 with an HTML page** (not JSON) to any GET
  that carries a body — even ``null`` (shared/reference/recall-api.md §10).  It runs before
  authentication and also guards the download URLs.
- Authentication (DRF ``TokenAuthentication`` plus Recall's bare-key form): ``Authorization: Token
  <key>`` (keyword case-insensitive) or ``Authorization: <key>``.  A wrong key — including a valid
  key of another region — is 401 ``{"detail": "Invalid token."}`` (observed).  The other messages
  are DRF's own for a missing header or a malformed ``Token`` header (inferred from DRF, UNCERTAIN
  for Recall).  401 responses carry ``WWW-Authenticate: Token`` as DRF sends it.
"""

from __future__ import annotations

import hmac

from mapper.sandbox.envelopes import recall_error
from mapper.sandbox.http import ApiError, Request, Response

WAF_PAGE = (
    "<html>\r\n<head><title>403 Forbidden</title></head>\r\n<body>\r\n"
    "<center><h1>403 Forbidden</h1></center>\r\n</body>\r\n</html>\r\n"
)
_CHALLENGE = {"WWW-Authenticate": "Token"}


def waf(request: Request) -> None:
    """Block a GET with a body the way Recall's WAF does."""
    if request.method in {"GET", "HEAD"} and request.body:
        raise ApiError(Response.text(WAF_PAGE, 403, "text/html"))


def authenticate(request: Request, api_key: str) -> None:
    header = (request.header("authorization") or "").strip()
    if not header:
        raise recall_error(401, "Authentication credentials were not provided.", headers=_CHALLENGE)
    parts = header.split()
    if parts[0].lower() == "token":
        if len(parts) == 1:
            raise recall_error(401, "Invalid token header. No credentials provided.", headers=_CHALLENGE)
        if len(parts) > 2:
            raise recall_error(401, "Invalid token header. Token string should not contain spaces.", headers=_CHALLENGE)
        key = parts[1]
    elif len(parts) == 1:
        key = parts[0]
    else:
        key = ""
    if not key or not hmac.compare_digest(key.encode(), api_key.encode()):
        raise recall_error(401, "Invalid token.", headers=_CHALLENGE)


__all__ = ["WAF_PAGE", "authenticate", "waf"]
