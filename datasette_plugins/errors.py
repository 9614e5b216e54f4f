"""Every error page is ours, in the reader's language, and no address answers 500.

Datasette raises KeyError, JSONDecodeError, sqlite3 errors and the like on addresses it was never
meant to get (``/report.csv``, ``?_sort=`` a column that is not there, ``?_through=`` junk).
The published file is read-only and every page is a GET, so such an error says the address is
wrong, not that the server is: a plain 400 page. Its details go to the server's log in one line,
never to the page. Datasette's own 4xx answers (its words, in English, sometimes naming tables or
columns) become our page for their status too; their ``.json`` answers stay Datasette's, for scripts.
"""

from __future__ import annotations

import logging

from datasette import hookimpl
from datasette.utils.asgi import Base400, Response
from datasette.views.base import DatasetteError

from journal.i18n import N_, _

MESSAGE = N_("The report cannot show this address. Go back to the report's home page and follow its links.")
# What each status says on the page, whatever Datasette's message was.
PAGES = {
    400: (N_("This address is not one the report knows"), MESSAGE),
    403: (N_("Not available"), N_("You cannot open this page of the report.")),
    404: (N_("Not found"), N_("There is no such page in this report.")),
}
log = logging.getLogger("journal.serve")


def _status(exception: Exception) -> int | None:
    """The status Datasette gives ``exception`` when it is below 500, else None."""
    if isinstance(exception, Base400) or (isinstance(exception, DatasetteError) and exception.status < 500):
        return exception.status
    return None


@hookimpl
def handle_exception(datasette, request, exception):
    status = _status(exception)
    if status is None:
        log.warning("400 for %s: %s", request.path, type(exception).__name__)
        status = 400
        if request.path.endswith(".json"):
            return Response.json({"ok": False, "error": _(MESSAGE), "status": 400}, status=400)
    elif request.path.endswith(".json"):
        return None  # Datasette's JSON error, for scripts
    title, message = PAGES.get(status, PAGES[400])

    async def page():
        context = {"title": _(title), "error": _(message), "status": status}
        return Response.html(await datasette.render_template("error.html", context, request=request), status=status)

    return page
