"""The gate in front of every request Datasette could answer (ASGI middleware).

In order: WebSocket upgrades are refused (the site has none), whether the server hands them over
as WebSocket connections or as HTTP requests with an ``Upgrade`` header; the Host header must name
this site; only GET and HEAD, and POST to the site's forms (sign-in, sign-out, invite, countersign,
withdraw), are taken; Datasette's introspection pages
are closed; an address held up by failed sign-ins gets its wait at once, before any form is read or
drawn (see :mod:`.throttle`); any credentials Datasette or another plugin could read
(``Authorization``, the ``ds_actor`` cookie) are removed, so the only way in is a session from our
sign-in form; without a live session, everything but the sign-in form and its stylesheets
redirects there. Every answer, the gate's own included, carries the security headers below.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from journal.i18n import _, speaking
from journal.supervisor.access import FORM_PATHS, MAX_FORM_BYTES, is_closed, is_open_to_anonymous
from journal.supervisor.hosts import host_name
from journal.supervisor.languages import LANGUAGE_COOKIE, chosen
from journal.supervisor.site import DEVICE_COOKIE, SESSION_COOKIE, Site

ASGIApp = Callable[[dict, Callable, Callable], Awaitable[None]]

# Scripts, styles and images from the site itself only (our pages carry no inline script).
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = {
    b"content-security-policy": CONTENT_SECURITY_POLICY.encode(),
    b"x-frame-options": b"DENY",
    b"x-content-type-options": b"nosniff",
    b"referrer-policy": b"same-origin",
}
STATIC_PREFIX = "/-/static"
FORM_TYPE = b"application/x-www-form-urlencoded"
LOGIN_PATH = "/-/login"
DROPPED_COOKIES = ("ds_actor",)  # Datasette's own actor cookie: never a way in here


def cookie(scope: dict, name: str) -> str | None:
    """The value of cookie ``name`` in the request, if sent."""
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            for part in value.decode("latin-1").split(";"):
                cookie_name, _, cookie_value = part.strip().partition("=")
                if cookie_name == name:
                    return cookie_value
    return None


def _without_credentials(headers: list) -> list:
    kept = []
    for key, value in headers:
        if key == b"authorization":
            continue
        if key == b"cookie":
            parts = [part for part in value.decode("latin-1").split(";")
                     if part.strip().partition("=")[0] not in DROPPED_COOKIES]
            value = ";".join(parts).encode("latin-1")
        kept.append((key, value))
    return kept


def _with_security_headers(send: Callable, path: str) -> Callable:
    async def send_with_headers(message: dict) -> None:
        if message["type"] == "http.response.start":
            headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in SECURITY_HEADERS]
            headers += SECURITY_HEADERS.items()
            if not path.startswith(STATIC_PREFIX):  # pages behind a login: never cached
                headers = [(k, v) for k, v in headers if k.lower() != b"cache-control"]
                headers.append((b"cache-control", b"private, no-store"))
            message = {**message, "headers": headers}
        await send(message)

    return send_with_headers


async def _answer(send: Callable, status: int, text: str, headers: tuple = ()) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"), *headers]})
    await send({"type": "http.response.body", "body": text.encode("utf-8")})


async def _refuse_websocket(receive: Callable, send: Callable) -> None:
    """Close before accepting: the server answers the upgrade with 403."""
    await receive()
    await send({"type": "websocket.close", "code": 1008})


def guard(app: ASGIApp, site: Site) -> ASGIApp:
    """``app`` behind the gate described above."""

    async def gate(scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] == "lifespan":
            return await app(scope, receive, send)
        if scope["type"] != "http":
            return await _refuse_websocket(receive, send)
        with speaking(chosen(cookie(scope, LANGUAGE_COOKIE), site.language)):
            await check(scope, receive, send)

    async def check(scope: dict, receive: Callable, send: Callable) -> None:
        path = scope.get("path", "/")
        # Datasette routes on the raw (still percent-encoded) path: judge both, so that no encoding
        # can make a path look open here and reach something else there.
        raw = scope.get("raw_path")
        paths = (path, raw.decode("ascii", "replace").partition("?")[0]) if raw else (path,)
        send = _with_security_headers(send, path)
        headers = dict(scope.get("headers", []))
        if host_name(headers.get(b"host", b"").decode("latin-1")) not in site.hosts:
            return await _answer(send, 400, _("This site does not answer to that host name."))
        if b"upgrade" in headers:  # a WebSocket upgrade the server did not take itself
            return await _answer(send, 403, _("This site has no WebSocket."))
        method = scope["method"]
        if method == "POST" and all(p in FORM_PATHS for p in paths):
            length = headers.get(b"content-length", b"0")
            if not length.isdigit() or int(length) > MAX_FORM_BYTES:
                return await _answer(send, 413, _("That form is too large."))
            if headers.get(b"content-type", b"").split(b";")[0].strip() != FORM_TYPE:
                return await _answer(send, 415, _("Send the form as a web page does."))
        elif method not in ("GET", "HEAD"):
            allow = "GET, HEAD, POST" if path in FORM_PATHS else "GET, HEAD"
            return await _answer(send, 405, _("This site only shows pages."), ((b"allow", allow.encode()),))
        if any(is_closed(p) for p in paths):
            return await _answer(send, 404, _("Not found"))
        if LOGIN_PATH in paths and site.login_required:
            wait = site.address_wait((scope.get("client") or ("",))[0], cookie(scope, DEVICE_COOKIE))
            if wait:
                return await _answer(send, 429, _("Too many failed sign-ins from this address. Try again in {wait} s.").format(wait=wait),
                                     ((b"retry-after", str(wait).encode()),))
        token = cookie(scope, SESSION_COOKIE)
        actor = site.actor(token)
        if site.login_required and actor is None and not all(is_open_to_anonymous(p) for p in paths):
            expire = ((b"set-cookie", f"{SESSION_COOKIE}=; Max-Age=0; Path=/".encode()),) if token else ()
            return await _answer(send, 302, "", ((b"location", b"/-/login"), *expire))
        scope = {**scope, "headers": _without_credentials(scope.get("headers", [])), "journal.actor": actor}
        await app(scope, receive, send)

    return gate
