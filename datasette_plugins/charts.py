"""Server-side SVG charts: /-/charts (all of them) and /-/charts/NAME.svg (one)."""

from __future__ import annotations

from datasette import hookimpl
from datasette.utils.asgi import NotFound, Response

from journal.supervisor.publish import DATABASE_NAME
from journal.supervisor.report import CHARTS


async def _svg(datasette, name: str) -> str:
    if name not in CHARTS:
        raise NotFound(f"No chart called {name}")
    return await datasette.get_database(DATABASE_NAME).execute_fn(CHARTS[name][1])


async def chart_svg(request, datasette):
    svg = await _svg(datasette, request.url_vars["name"])
    return Response(svg, content_type="image/svg+xml; charset=utf-8")


async def chart_page(request, datasette):
    charts = [(name, title, await _svg(datasette, name)) for name, (title, _) in CHARTS.items()]
    return Response.html(await datasette.render_template("charts.html", {"charts": charts}, request=request))


@hookimpl
def register_routes():
    return [
        (r"^/-/charts$", chart_page),
        (r"^/-/charts/(?P<name>[a-z-]+)\.svg$", chart_svg),
    ]
