"""Countersigning pages: each month's page, the months awaiting a signature, signing and
withdrawing (POST, CSRF-checked, the password retyped), and the invite page where a supervisor
chooses their password. The logic is journal.supervisor.countersign's; this plugin reads forms."""

from __future__ import annotations

from datasette import hookimpl
from datasette.utils.asgi import NotFound, Response

from journal.i18n import N_, _, carried
from journal.supervisor import countersign as signing
from journal.supervisor import pages
from journal.supervisor.publish import DATABASE_NAME
from journal.supervisor.site import site_of

NO_TOKEN = N_("This form had expired or came from elsewhere. Nothing was done; please try again.")


async def _page(datasette, request, template: str, context: dict, status: int = 200) -> Response:
    db = datasette.get_database(DATABASE_NAME)
    about = await db.execute_fn(carried(pages.about))
    html = await datasette.render_template(template, {"about": about, "order": about["date_order"], **context},
                                           request=request)
    return Response.html(html, status=status)


def _actor(request) -> str | None:
    return (request.actor or {}).get("id")


async def month(request, datasette):
    return await _month_page(request, datasette, request.url_vars["month"])


async def _month_page(request, datasette, name: str, outcome: signing.Outcome | None = None):
    since = signing.received(site_of(datasette))
    actor = _actor(request)
    view = await datasette.get_database(DATABASE_NAME).execute_fn(carried(
        lambda conn: signing.month_view(conn, since, name, actor)))
    if view is None or not signing.MONTH.match(name):
        raise NotFound(_("This report has no shared sessions in that month."))
    return await _page(datasette, request, "month.html", {**view, "outcome": outcome},
                       status=outcome.status if outcome else 200)


async def awaiting(request, datasette):
    actor = _actor(request)
    since = signing.received(site_of(datasette))
    found = await datasette.get_database(DATABASE_NAME).execute_fn(carried(
        lambda conn: signing.awaiting(conn, since, actor or "")))
    return await _page(datasette, request, "countersign.html", {**found, "signing": actor is not None})


async def _refused(datasette, request, message: str, status: int = 403):
    return await _page(datasette, request, "error.html", {"title": _("Nothing was signed"), "error": message,
                                                          "status": status}, status=status)


async def _form(request) -> dict | None:
    """The posted form, or None when it came without the CSRF cookie (asgi-csrf has checked the
    token against that cookie when it was sent, and lets cookie-less posts through)."""
    if "ds_csrftoken" not in request.cookies:
        return None
    return await request.post_vars()


async def _supervisor_form(request, datasette, action: str) -> tuple[str, dict] | Response:
    """The signed-in supervisor and the form they posted, or the answer refusing it: a form without
    its CSRF token, without a session, or naming anyone but the supervisor signed in."""
    if request.method != "POST":
        return Response.redirect("/countersign")
    form = await _form(request)
    if form is None:
        return await _refused(datasette, request, _(NO_TOKEN))
    actor = _actor(request)
    if actor is None:
        return await _refused(datasette, request, _("Sign in to {action}.").format(action=_(action)))
    if (form.get("supervisor") or actor).strip() != actor:
        return await _refused(datasette, request, _("You are signed in as {actor}: you can {action} only as yourself.").format(
            actor=actor, action=_(action)))
    return actor, form


async def countersign_post(request, datasette):
    posted = await _supervisor_form(request, datasette, N_("countersign"))
    if isinstance(posted, Response):
        return posted
    actor, form = posted
    name = form.get("month") or ""
    outcome = await signing.countersign(site_of(datasette), datasette.get_database(DATABASE_NAME), actor, name,
                                        form.get("password") or "", form.get("comment") or "")
    try:
        return await _month_page(request, datasette, name, outcome)
    except NotFound:  # not a month of this report: say what went wrong instead
        return await _refused(datasette, request, outcome.message, outcome.status)


async def withdraw_post(request, datasette):
    posted = await _supervisor_form(request, datasette, N_("withdraw a countersignature"))
    if isinstance(posted, Response):
        return posted
    actor, form = posted
    outcome, name = await signing.withdraw(site_of(datasette), datasette.get_database(DATABASE_NAME), actor,
                                           form.get("ref") or "", form.get("password") or "", form.get("reason") or "")
    if name is None:
        return await _refused(datasette, request, outcome.message, outcome.status)
    return await _month_page(request, datasette, name, outcome)


async def invite(request, datasette):
    site = site_of(datasette)
    if request.method == "POST":
        form = await _form(request)
        if form is None:
            return await _refused(datasette, request, _(NO_TOKEN))
        token = form.get("token") or ""
        outcome = await signing.choose_password(site, token, form.get("password") or "", form.get("again") or "")
    else:
        token = request.args.get("token") or ""
        outcome = None
    name = signing.invite_name(site, token)
    if outcome is None and name is None:
        outcome = signing.Outcome(410, _("This invite link has expired or was used already. "
                                         "Ask the practitioner for a new one."))
    html = await datasette.render_template("invite.html", {"name": name, "token": token, "outcome": outcome},
                                           request=request)
    return Response.html(html, status=outcome.status if outcome else 200)


@hookimpl
def register_routes():
    return [
        (r"^/months/(?P<month>[0-9]{4}-[0-9]{2})$", month),
        (r"^/countersign$", awaiting),
        (r"^/-/countersign$", countersign_post),
        (r"^/-/withdraw$", withdraw_post),
        (r"^/-/invite$", invite),
    ]
