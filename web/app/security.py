"""Security headers on every response, and login throttling.

The Content-Security-Policy allows scripts and styles from this server only (no 'unsafe-inline': pages carry no
inline script, style or event handler), no frames around the app (frame-ancestors 'none') and no form posted
elsewhere. Referrer-Policy, nosniff and X-Frame-Options are Django's SecurityMiddleware and clickjacking middleware
(web/settings.py); HSTS is set when the app is served over TLS (SPUR_HTTPS=1).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from threading import Lock

from django.http import HttpRequest, HttpResponse

MAX_REQUEST_BYTES = 3 * 1024 * 1024
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


class SecurityHeaders:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_REQUEST_BYTES:  # refused before Django reads the body (an upload is at most 1 MB)
            response = HttpResponse(
                "För stor begäran: en fil får vara högst 1 MB.", status=413, content_type="text/plain; charset=utf-8"
            )
        else:
            response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CSP)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if request.user.is_authenticated if hasattr(request, "user") else False:
            response.setdefault("Cache-Control", "private, no-store")
        return response


# Login throttling: at most MAX_FAILURES failed logins per user name and per client address within WINDOW seconds;
# then the login is refused until the window has passed. Kept in the process (a gunicorn worker each): an attacker
# gets at most MAX_FAILURES tries per worker and window.
MAX_FAILURES = 5
WINDOW = 15 * 60
_failures: dict[str, list[float]] = {}
_lock = Lock()


def _keys(request: HttpRequest, username: str) -> list[str]:
    return [f"user:{username.casefold()}", f"addr:{request.META.get('REMOTE_ADDR', '')}"]


def throttled(request: HttpRequest, username: str) -> int:
    """Seconds until the next login may be tried (0: now)."""
    now = time.monotonic()
    wait = 0
    with _lock:
        for key in _keys(request, username):
            recent = [t for t in _failures.get(key, []) if now - t < WINDOW]
            _failures[key] = recent
            if len(recent) >= MAX_FAILURES:
                wait = max(wait, int(WINDOW - (now - recent[0])) + 1)
    return wait


def failed(request: HttpRequest, username: str) -> None:
    now = time.monotonic()
    with _lock:
        for key in _keys(request, username):
            _failures.setdefault(key, []).append(now)


def succeeded(request: HttpRequest, username: str) -> None:
    with _lock:
        _failures.pop(_keys(request, username)[0], None)


def reset() -> None:
    with _lock:
        _failures.clear()
