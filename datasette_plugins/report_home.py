"""The home page: a supervision report (who, which period, totals, requirements), not a table list."""

from __future__ import annotations

from datasette import hookimpl
from datasette.utils.asgi import Response

from journal.supervisor.publish import DATABASE_NAME
from journal.supervisor.report import CHARTS, summary


async def report(request, datasette):
    data = await datasette.get_database(DATABASE_NAME).execute_fn(summary)
    context = {**data, "database": DATABASE_NAME, "charts": CHARTS}
    return Response.html(await datasette.render_template("report.html", context, request=request))


@hookimpl
def register_routes():
    return [(r"^/$", report)]
