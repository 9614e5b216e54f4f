"""/-/language: the supervisor's language switch (see journal.supervisor.languages), and the words
of every page in the language of the request."""

from __future__ import annotations

from datasette import hookimpl
from jinja2 import Undefined
from markupsafe import Markup
from datasette.utils.asgi import Response

from journal.i18n import LANGUAGES, _, language, ngettext
from journal.supervisor.languages import (LANGUAGE_COOKIE, LANGUAGE_COOKIE_SECONDS, SWITCH_LABEL, safe_next,
                                          switch_links)


async def switch(request):
    """Remember the language asked for and go back to the page the reader was on."""
    response = Response.redirect(safe_next(request.args.get("next")))
    wanted = request.args.get("to")
    if wanted in LANGUAGES:
        response.set_cookie(LANGUAGE_COOKIE, wanted, max_age=LANGUAGE_COOKIE_SECONDS, path="/", samesite="lax",
                            secure=request.scheme == "https")
    return response


def _html(message: str) -> Markup:
    """A message whose English (and so its translation, from our own catalogue) holds markup such as
    ``<strong>``; ``.format()`` on it escapes what is put in."""
    return Markup(_(message))


def _html_plural(singular: str, plural: str, count: int) -> Markup:
    """:func:`_html` for a message with a plural."""
    return Markup(ngettext(singular, plural, count))


def _switches(request) -> list[dict]:
    """The switch's links for the page being drawn (back to the home page when it has no request)."""
    drawn = request is not None and not isinstance(request, Undefined)
    path, query = (request.path, request.query_string) if drawn else ("/", "")
    return switch_links(path, query, language())


@hookimpl
def register_routes():
    return [(r"^/-/language$", switch)]


@hookimpl
def prepare_jinja2_environment(env):
    env.globals.update({"_": _, "_h": _html, "_hn": _html_plural, "ngettext": ngettext, "language": language, "language_switches": _switches,
                        "SWITCH_LABEL": SWITCH_LABEL})
