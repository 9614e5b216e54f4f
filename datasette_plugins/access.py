"""The login gate around every request (journal.supervisor.gate), and who the signed-in actor is."""

from __future__ import annotations

from datasette import hookimpl

from journal.supervisor.gate import guard
from journal.supervisor.site import site_of


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def gated(scope, receive, send):
            # Looked up per request: Datasette builds its app before `make_datasette` attaches the site.
            await guard(app, site_of(datasette))(scope, receive, send)

        return gated

    return wrap


@hookimpl
def actor_from_request(request):
    """The supervisor the gate found a live session for; nothing else makes an actor here."""
    return request.scope.get("journal.actor")


@hookimpl
def permission_allowed(datasette, actor, action):
    """Belt and braces behind the gate: without a login, nothing is viewable."""
    if site_of(datasette).login_required and actor is None and action.startswith("view-"):
        return False
    return None
