"""/-/login and /-/logout: the sign-in form (CSRF-protected, throttled) and signing out.

The checks and sessions are journal.supervisor.site's; this plugin reads the form and sets cookies.
"""

from __future__ import annotations

from datasette import hookimpl
from datasette.utils.asgi import Response

from journal.i18n import N_, _
from journal.supervisor.site import DEVICE_COOKIE, DEVICE_COOKIE_SECONDS, SESSION_COOKIE, site_of

WRONG = N_("Invalid username or password")
NO_TOKEN = N_("This form had expired or came from elsewhere. Please sign in again.")


def _cookie_options(request) -> dict:
    return {"httponly": True, "samesite": "strict", "secure": request.scheme == "https", "path": "/"}


async def _form(request, datasette, *, error: str | None = None, name: str = "", status: int = 200,
                headers: dict | None = None) -> Response:
    sessions = site_of(datasette).sessions
    context = {"error": error, "username": name, "idle_minutes": sessions.idle // 60,
               "lifetime_hours": sessions.lifetime // 3600}
    html = await datasette.render_template("login.html", context, request=request)
    return Response.html(html, status=status, headers=headers)


async def login(request, datasette):
    site = site_of(datasette)
    if not site.login_required or site.actor(request.cookies.get(SESSION_COOKIE)):
        return Response.redirect("/")
    if request.method != "POST":
        return await _form(request, datasette)
    # Datasette's asgi-csrf has matched the form's token against this cookie; a POST without it
    # (asgi-csrf lets cookie-less POSTs through) is refused here. The gate took only a url-encoded form.
    if "ds_csrftoken" not in request.cookies:
        return await _form(request, datasette, error=_(NO_TOKEN), status=403)
    form = await request.post_vars()
    name = (form.get("username") or "").strip().lower()
    address = (request.scope.get("client") or ("unknown", 0))[0]
    outcome = await site.sign_in(name, form.get("password") or "", address, request.cookies.get(DEVICE_COOKIE))
    if outcome.wait:
        error = _("Too many failed sign-ins for this name or from this address. Try again in {wait} s.").format(
            wait=outcome.wait)
        return await _form(request, datasette, error=error, name=name, status=429,
                           headers={"Retry-After": str(outcome.wait)})
    if outcome.token is None:
        return await _form(request, datasette, error=_(WRONG), name=name)
    response = Response.redirect("/")
    options = _cookie_options(request)
    response.set_cookie(SESSION_COOKIE, outcome.token, max_age=site.sessions.seconds_left(outcome.token), **options)
    response.set_cookie(DEVICE_COOKIE, outcome.device, max_age=DEVICE_COOKIE_SECONDS, **options)
    return response


async def logout(request, datasette):
    """POST (from the sign-out button, CSRF-checked) ends the session; GET shows the button."""
    if request.method != "POST":
        html = await datasette.render_template("logout.html", {}, request=request)
        return Response.html(html)
    site_of(datasette).sessions.end(request.cookies.get(SESSION_COOKIE) or "")
    response = Response.redirect("/-/login")
    response.set_cookie(SESSION_COOKIE, "", max_age=0, **_cookie_options(request))
    return response


@hookimpl
def register_routes():
    return [(r"^/-/login$", login), (r"^/-/logout$", logout)]
