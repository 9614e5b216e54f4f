"""The supervisor's pages: the report, the logs, reflections, requirements, charts and date ranges.

Each route reads its data with one call into ``journal.supervisor`` and renders one template of
``data/templates/``. Datasette's own HTML pages for the published file answer with a redirect here.
"""

from __future__ import annotations

from urllib.parse import urlencode

from datasette import hookimpl
from datasette.utils.asgi import NotFound, Response

from journal.i18n import _, carried
from journal.supervisor import pages, wording
from journal.supervisor.countersign import month_states, received
from journal.supervisor.publish import DATABASE_NAME
from journal.resources import site_folder
from journal.supervisor.ranges import DayRange, RangeError, parse_range
from journal.supervisor.report import CHARTS, search
from journal.supervisor.routes import REFUSED_ARGUMENTS, our_page
from journal.supervisor.site import site_of


def _number(request, name: str) -> int:
    value = request.args.get(name) or "1"
    return int(value) if value.isdigit() and len(value) < 7 else 1


async def _render(datasette, request, template: str, read, status: int = 200) -> Response:
    """Read with ``read(conn)`` (a dict for the template) in one call, then render ``template``."""
    def collect(conn):
        return {"about": pages.about(conn), **read(conn)}

    context = await datasette.get_database(DATABASE_NAME).execute_fn(carried(collect))
    context["order"] = context["about"]["date_order"]
    html = await datasette.render_template(template, context, request=request)
    return Response.html(html, status=status)


def _span(request, order: str) -> dict:
    """The date range asked for: read, or a message for the page; the inputs keep what was typed
    when it is wrong, else show the dates as the browser's date inputs want them."""
    since, until = request.args.get("since") or "", request.args.get("until") or ""
    try:
        span = parse_range(since, until, order)
    except RangeError as error:
        return {"span": DayRange(None, None), "error": str(error), "since": since, "until": until, "asked": False}
    return {"span": span, "error": None, "since": span.since.isoformat() if span.since else "",
            "until": span.until.isoformat() if span.until else "", "asked": bool(span.since or span.until)}


async def _order(datasette) -> str:
    return await datasette.get_database(DATABASE_NAME).execute_fn(carried(lambda conn: pages.about(conn)["date_order"]))


async def report(request, datasette):
    since = received(site_of(datasette))
    return await _render(datasette, request, "report.html", lambda conn: {
        **pages.home(conn), "charts": CHARTS, "signoffs": month_states(conn, since)})


async def supervision(request, datasette):
    since = received(site_of(datasette))

    def read(conn, page, span):
        return {**pages.supervision_log(conn, page, span), "signoffs": month_states(conn, since)}

    return await _log(request, datasette, "supervision.html", read)


async def client_work(request, datasette):
    year = request.args.get("year")
    return await _render(datasette, request, "client_work.html", lambda conn: pages.client_work(conn, year))


async def therapy(request, datasette):
    return await _log(request, datasette, "therapy.html", pages.therapy)


async def cpd(request, datasette):
    return await _log(request, datasette, "cpd.html", pages.cpd)


async def _log(request, datasette, template: str, read):
    """A log of one kind: a page of it, within the date range asked for."""
    asked = _span(request, await _order(datasette))
    page = _number(request, "page")
    return await _render(datasette, request, template,
                         lambda conn: {**read(conn, page, asked["span"]), **asked},
                         status=400 if asked["error"] else 200)


async def reflections(request, datasette):
    query = (request.args.get("q") or "").strip()
    page = _number(request, "page")
    if query:
        return await _render(datasette, request, "reflections.html",
                             lambda conn: {"q": query, "results": search(conn, query)})
    return await _render(datasette, request, "reflections.html",
                         lambda conn: {"q": "", **pages.reflections(conn, page)})


async def reflection(request, datasette):
    number = int(request.url_vars["number"])

    def read(conn):
        found = pages.reflection(conn, number)
        if found is None:
            raise NotFound(_("There is no such shared reflection."))
        return {"reflection": found}

    return await _render(datasette, request, "reflection.html", read)


async def requirements(request, datasette):
    return await _render(datasette, request, "requirements.html",
                         lambda conn: {"profiles": pages.requirement_profiles(conn)})


async def hours(request, datasette):
    asked = _span(request, await _order(datasette))

    def read(conn):
        return {**asked, "found": pages.hours_in_range(conn, asked["span"]) if asked["asked"] else None}

    return await _render(datasette, request, "hours.html", read, status=400 if asked["error"] else 200)


async def chart_page(request, datasette):
    def read(conn):
        return {"charts": [(name, title, draw(conn)) for name, (title, draw) in CHARTS.items()]}

    return await _render(datasette, request, "charts.html", read)


async def chart_svg(request, datasette):
    name = request.url_vars["name"]
    if name not in CHARTS:
        raise NotFound(_("There is no such chart."))
    svg = await datasette.get_database(DATABASE_NAME).execute_fn(carried(CHARTS[name][1]))
    return Response(svg, content_type="image/svg+xml; charset=utf-8")


async def datasette_page(request, datasette):
    """Datasette's HTML for the published file: refused for SQL, else sent to the page of ours."""
    args = {key: request.args.get(key) for key in request.args}
    if any(key in args for key in REFUSED_ARGUMENTS):
        return await _forbidden(datasette, request)
    table, row = request.url_vars.get("table"), request.url_vars.get("row")
    if args.get("_format"):  # the JSON or CSV of a page: Datasette's own answer, at its address
        path = f"{request.path}.{args.pop('_format')}"
        return Response.redirect(path + (f"?{urlencode(args)}" if args else ""))
    return Response.redirect(our_page(table, row, args))


async def _forbidden(datasette, request):
    html = await datasette.render_template("error.html", {
        "title": _("Not available"), "error": _("The report answers its own questions; it does not run SQL."),
        "status": 403}, request=request)
    return Response.html(html, status=403)


async def stylesheet(request, datasette):
    css = (site_folder("data") / "static" / "site.css").read_text(encoding="utf-8")
    return Response(css, content_type="text/css; charset=utf-8", headers={"Cache-Control": "max-age=3600"})


async def old_search(request, datasette):
    return Response.redirect(our_page("reflections", None, {"q": request.args.get("q") or ""}))


@hookimpl
def register_routes():
    database = DATABASE_NAME
    return [
        (r"^/$", report),
        (r"^/supervision$", supervision),
        (r"^/client-work$", client_work),
        (r"^/therapy$", therapy),
        (r"^/cpd$", cpd),
        (r"^/reflections$", reflections),
        (r"^/reflections/(?P<number>[0-9]{1,9})$", reflection),
        (r"^/requirements$", requirements),
        (r"^/hours$", hours),
        (r"^/charts$", chart_page),
        (r"^/charts/(?P<name>[a-z-]+)\.svg$", chart_svg),
        (r"^/-/search$", old_search),
        (r"^/-/static-plugins/journal/site\.css$", stylesheet),
        (rf"^/{database}$", datasette_page),
        (rf"^/{database}/(?P<table>[^/.]+)$", datasette_page),
        (rf"^/{database}/(?P<table>[^/.]+)/(?P<row>[^/.]+)$", datasette_page),
    ]


@hookimpl
def prepare_jinja2_environment(env):
    """Dates, months, periods and hours written for people, in the practitioner's date order."""
    env.filters.update({
        "day": wording.day, "month": wording.month, "hours": wording.hours, "minutes": wording.minutes,
        "readable": wording.readable, "amount": wording.amount, "moment": wording.moment,
    })
    env.globals["status_word"] = wording.status_word
