"""/-/search: ranked full-text search over the shared reflections, linked from every page."""

from __future__ import annotations

from datasette import hookimpl
from datasette.utils.asgi import Response

from journal.supervisor.publish import DATABASE_NAME
from journal.supervisor.report import search


async def search_page(request, datasette):
    query = (request.args.get("q") or "").strip()
    results = await datasette.get_database(DATABASE_NAME).execute_fn(lambda conn: search(conn, query)) if query else []
    context = {"q": query, "results": results, "database": DATABASE_NAME}
    return Response.html(await datasette.render_template("search.html", context, request=request))


@hookimpl
def register_routes():
    return [(r"^/-/search$", search_page)]
