"""The site's language: the practitioner's by default, switched by the supervisor on any page.

The switch is a link to ``/-/language?to=fr&next=/the/page`` on every page (the sign-in page
included): it keeps the choice in the ``journal_language`` cookie and sends the reader back to the
page, which the gate then answers as usual (the switch opens nothing). The gate reads the cookie on
every request and speaks its language for the whole answer (:func:`journal.i18n.speaking`).
"""

from __future__ import annotations

from urllib.parse import urlencode

from journal.i18n import LANGUAGES, N_

LANGUAGE_COOKIE = "journal_language"
LANGUAGE_COOKIE_SECONDS = 365 * 24 * 60 * 60
SWITCH_PATH = "/-/language"
# Each language named in itself, so that a reader who cannot read the page still finds their own.
NAMES = {"en": "English", "fr": "Français"}
SWITCH_LABEL = N_("Language")


def chosen(cookie_value: str | None, default: str) -> str:
    """The language a request is answered in: the reader's choice if valid, else the report's."""
    if cookie_value in LANGUAGES:
        return cookie_value
    return default if default in LANGUAGES else "en"


def safe_next(value: str | None) -> str:
    """Where the switch sends the reader back: a path of this site only, never another site."""
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")) or any(
            ord(character) < 32 for character in value):
        return "/"
    return value


def switch_links(path: str, query: str, current: str) -> list[dict]:
    """One link per language for the page at ``path`` (with its ``query``), the current one marked."""
    here = path + (f"?{query}" if query else "")
    return [{"language": code, "name": NAMES[code], "current": code == current,
             "href": f"{SWITCH_PATH}?{urlencode({'to': code, 'next': here})}"} for code in LANGUAGES]
