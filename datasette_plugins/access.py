"""Logins for every page: anonymous requests are sent to the login form and get nothing else.

Datasette's introspection pages (metadata, plugins, settings, ...) are closed to everyone:
they could echo configuration, and a supervisor has no use for them.
"""

from __future__ import annotations

from datasette import hookimpl
from datasette.utils.asgi import Request, Response

from journal.supervisor.access import is_closed, is_open_to_anonymous


def login_required(datasette) -> bool:
    return bool((datasette.plugin_config("journal") or {}).get("login", True))


def known_logins(datasette) -> set[str]:
    """The logins configured at start-up: a removed supervisor's old cookie stops working."""
    config = datasette.plugin_config("datasette-auth-passwords") or {}
    return {key[: -len("_password_hash")] for key in config if key.endswith("_password_hash")}


async def _actor(datasette, scope, receive):
    from datasette.plugins import pm
    from datasette.utils import await_me_maybe

    request = Request(scope, receive)
    for actor in pm.hook.actor_from_request(datasette=datasette, request=request):
        actor = await await_me_maybe(actor)
        if actor:
            return actor
    return None


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def gate(scope, receive, send):
            if scope["type"] != "http":
                return await app(scope, receive, send)
            path = scope.get("path", "/")
            if is_closed(path):
                return await Response.text("Not found", status=404).asgi_send(send)
            if login_required(datasette) and not is_open_to_anonymous(path):
                actor = await _actor(datasette, scope, receive)
                if not actor or actor.get("id") not in known_logins(datasette):
                    return await Response.redirect("/-/login").asgi_send(send)
            return await app(scope, receive, send)

        return gate

    return wrap


@hookimpl
def permission_allowed(datasette, actor, action):
    """Belt and braces behind the gate: without a login, nothing is viewable."""
    if login_required(datasette) and actor is None and action.startswith("view-"):
        return False
    return None
