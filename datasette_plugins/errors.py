"""No address answers 500: an unexpected error becomes a plain 400 page, without its text.

Datasette raises KeyError, JSONDecodeError, sqlite3 errors and the like on addresses it was never
meant to get (``/report.csv``, ``?_sort=`` a column that is not there, ``?_through=`` junk).
The published file is read-only and every page is a GET, so such an error says the address is
wrong, not that the server is. Its details go to the server's log in one line, never to the page.
"""

from __future__ import annotations

import logging

from datasette import hookimpl
from datasette.utils.asgi import Base400, Response
from datasette.views.base import DatasetteError

MESSAGE = "The report cannot show this address. Go back to the report's home page and follow its links."
log = logging.getLogger("journal.serve")


def _expected(exception: Exception) -> bool:
    """Errors Datasette already answers with their own status below 500."""
    return isinstance(exception, Base400) or (isinstance(exception, DatasetteError) and exception.status < 500)


@hookimpl
def handle_exception(datasette, request, exception):
    if _expected(exception):
        return None
    log.warning("400 for %s: %s", request.path, type(exception).__name__)
    if request.path.endswith(".json"):
        return Response.json({"ok": False, "error": MESSAGE, "status": 400}, status=400)

    async def page():
        context = {"title": "This address is not one the report knows", "error": MESSAGE, "status": 400}
        return Response.html(await datasette.render_template("error.html", context, request=request), status=400)

    return page
