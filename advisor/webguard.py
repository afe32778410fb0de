"""The web app's guard, as ASGI middleware around every request, so that web.py stays thin.

- Host: only the names the app is served under (loopback by default: 127.0.0.1, localhost, ::1;
  `serve --host` and `serve --allow-host` add names). Another Host is refused (400): a page on the
  internet that makes its name resolve to 127.0.0.1 (DNS rebinding) cannot read the advisor.
- Cross-origin posts: a POST whose Origin is another site, or that the browser marks
  `Sec-Fetch-Site: cross-site` or `same-site`, is refused (403): another page cannot submit
  forms to the advisor on the user's behalf. Tools that send neither header (curl) are served.
- Size: a request body above MAX_BODY is refused (413) before it is read; a body without a
  length is read up to that limit and no further.
- Every answer carries the security headers below; nothing is cached (advice and drafts hold
  what the user typed).
"""
from __future__ import annotations

import html
import json
from typing import Any, Callable, Iterable
from urllib.parse import urlsplit

from fastapi.routing import APIRoute

from advisor.intake import MAX_DOCUMENT_BYTES

LOOPBACK = ("127.0.0.1", "localhost", "::1")
ANY_HOST = "*"
MAX_BODY = MAX_DOCUMENT_BYTES + 64 * 1024  # statutes to check and the form around them; intents: 1 MiB
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def _script_hashes() -> str:
    """The CSP sources of the pages' own inline scripts (templates/web, e.g. opening collapsed parts
    for printing): each allowed by the hash of its text, so that no other script can run. A script
    with Jinja inside would have no fixed hash: it is not allowed."""
    import base64
    import hashlib
    import re

    from advisor.paths import TEMPLATES_DIR
    found = set()
    for path in sorted((TEMPLATES_DIR / "web").glob("*.j2")):
        for body in re.findall(r"<script>(.*?)</script>", path.read_text(encoding="utf-8"), re.S):
            if "{{" not in body and "{%" not in body:
                found.add("'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'")
    return " ".join(sorted(found)) or "'none'"


HEADERS = {
    "x-content-type-options": "nosniff",
    # no script but the pages' own, by hash; styles are the pages' own (inline <style>)
    "content-security-policy": f"default-src 'none'; script-src {_script_hashes()}; style-src 'self' 'unsafe-inline'; "
                               "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "referrer-policy": "same-origin",  # not "no-referrer": with it a browser sends "Origin: null" on its own forms
    "x-frame-options": "DENY",
    "cross-origin-resource-policy": "same-origin",
    "cache-control": "no-store",
}

Scope = dict[str, Any]
Receive = Callable[[], Any]
Send = Callable[[dict[str, Any]], Any]


def host_name(value: str) -> str:
    """The name in a Host header or an address, without port, brackets or final dot."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:value.find("]")] if "]" in value else value
    if value.count(":") == 1:
        value = value.split(":", 1)[0]
    return value.rstrip(".")


class Guard:
    def __init__(self, app: Any, allowed_hosts: Iterable[str] = LOOPBACK, max_body: int = MAX_BODY):
        self.app = app
        self.hosts = {host_name(h) for h in allowed_hosts}
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        send = _with_headers(send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        problem = self._refusal(scope, headers)
        if problem is not None:
            await _refuse(scope, send, *problem)
            return
        if scope["method"] not in SAFE_METHODS and "content-length" not in headers:
            body = await _read_limited(receive, self.max_body)
            if body is None:
                await _refuse(scope, send, 413, "body", _too_large(self.max_body))
                return
            receive = _replay(body)
        await self.app(scope, receive, send)

    def _refusal(self, scope: Scope, headers: dict[str, str]) -> tuple[int, str, str] | None:
        host = headers.get("host", "")
        if ANY_HOST not in self.hosts and host_name(host) not in self.hosts:
            return 400, "Host", (f"deze toepassing wordt niet aangeboden onder de naam {host[:60]!r}; "
                                 "open ze via http://127.0.0.1 (of start ze met --allow-host NAAM)")
        if scope["method"] not in SAFE_METHODS:
            site = headers.get("sec-fetch-site", "")
            origin = headers.get("origin")
            foreign = site in ("cross-site", "same-site") or (
                origin is not None and urlsplit(origin).netloc.lower() != host.strip().lower())
            if foreign:
                return 403, "Origin", ("een formulier van een andere website mag niets naar deze toepassing "
                                       "sturen; gebruik de pagina's van de toepassing zelf")
            length = headers.get("content-length", "")
            if length and (not length.isdigit() or len(length) > 12 or int(length) > self.max_body):
                return 413, "body", _too_large(self.max_body)
        return None


def _too_large(limit: int) -> str:
    return f"de aanvraag is groter dan {limit // (1024 * 1024)} MB"


def _with_headers(send: Send) -> Send:
    async def sending(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            present = {k.lower() for k, _ in message.get("headers", [])}
            extra = [(k.encode(), v.encode()) for k, v in HEADERS.items() if k.encode() not in present]
            message = {**message, "headers": list(message.get("headers", [])) + extra}
        await send(message)
    return sending


async def _read_limited(receive: Receive, limit: int) -> bytes | None:
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b""
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}
    return receive


async def _refuse(scope: Scope, send: Send, status: int, field: str, message: str) -> None:
    if scope.get("path", "").startswith("/api/"):
        body = json.dumps({"detail": [{"field": field, "message": message}]}, ensure_ascii=False).encode()
        kind = b"application/json"
    else:
        body = ("<!doctype html><html lang=\"nl\"><meta charset=\"utf-8\"><title>Geweigerd - igs-advisor</title>"
                "<style>body { font-family: system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; }</style>"
                f"<h1>Geweigerd</h1><p>{html.escape(field)}: {html.escape(message)}</p>"
                "<p><a href=\"/\">Naar het begin van igs-advisor</a></p></html>").encode()
        kind = b"text/html; charset=utf-8"
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


class ClosingRoute(APIRoute):
    """A route that closes the request's form when its handler is done, whatever it did: a file
    sent where a text field was expected is never left open."""

    def get_route_handler(self) -> Callable[[Any], Any]:
        handler = super().get_route_handler()

        async def handle(request: Any) -> Any:
            try:
                return await handler(request)
            finally:
                await request.close()
        return handle
