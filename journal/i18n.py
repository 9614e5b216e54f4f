"""Translation of every word the practitioner reads: our gettext catalogue and Click's own words.

The catalogues are compiled ``.mo`` files under ``journal/locale/`` (built from the committed ``.po``
files by ``python -m journal.catalogues compile``; a test fails when they are stale). Loading one is
a single file read through the standard library's :mod:`gettext`: no Babel on the fast path.
"""

from __future__ import annotations

import gettext as _gettext
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "journal"
CLICK_DOMAIN = "click"
LANGUAGES = ("en", "fr")

_active: _gettext.NullTranslations = _gettext.NullTranslations()
_language = "en"


def activate(language: str) -> None:
    """Make ``language`` the language of our messages and of Click's ("Usage", "Options", "Error")."""
    global _active, _language
    _language = language if language in LANGUAGES else "en"
    _active = _gettext.translation(DOMAIN, LOCALE_DIR, languages=[_language], fallback=True)
    # Click asks the standard library's global domain; LANGUAGE is gettext's own way to choose.
    _gettext.bindtextdomain(CLICK_DOMAIN, str(LOCALE_DIR))
    _gettext.textdomain(CLICK_DOMAIN)
    os.environ["LANGUAGE"] = _language


@contextmanager
def activated(language: str) -> Iterator[None]:
    """``language`` active inside the block; the previous language (and $LANGUAGE) restored after."""
    previous, environment = _language, os.environ.get("LANGUAGE")
    activate(language)
    try:
        yield
    finally:
        activate(previous)
        if environment is None:
            os.environ.pop("LANGUAGE", None)
        else:
            os.environ["LANGUAGE"] = environment


def language() -> str:
    """The active language, ``en`` or ``fr``."""
    return _language


def _(message: str) -> str:
    """``message`` in the active language."""
    return _active.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return _active.ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it yet (it is translated where shown)."""
    return message


def locale_language(environ: os._Environ | dict | None = None) -> str:
    """French when the first of $LC_ALL, $LC_MESSAGES, $LANG that is set is French, else English."""
    environ = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    return "en"


def stored_language(db_path: Path) -> str | None:
    """The journal's ``language`` setting read without opening (or migrating) the journal."""
    import sqlite3

    if not db_path.is_file():
        return None
    try:
        connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            row = connection.execute("SELECT value FROM settings WHERE key = 'language'").fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        return None
    return row[0] if row and row[0] in LANGUAGES else None


# Showing dates and numbers: Babel's French conventions (tests/test_i18n.py compares these with
# babel.dates and babel.numbers), written with the catalogue's month and day names so that the fast
# path does not import Babel.
MONTHS = (N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"), N_("July"),
          N_("August"), N_("September"), N_("October"), N_("November"), N_("December"))
WEEKDAY_NAMES = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"),
                 N_("Saturday"), N_("Sunday"))


def month_name(month: int) -> str:
    return _(MONTHS[month - 1])


def weekday_name(day: date) -> str:
    return _(WEEKDAY_NAMES[day.weekday()])


def format_long_date(day: date) -> str:
    """``12 March 2026`` / ``12 mars 2026``."""
    return f"{day.day} {month_name(day.month)} {day.year}"


def format_moment(moment: datetime) -> str:
    """``Tuesday 3 March 2026 at 15:00`` / ``mardi 3 mars 2026 à 15:00``."""
    return _("{weekday} {date} at {time}").format(
        weekday=weekday_name(moment.date()), date=format_long_date(moment.date()), time=f"{moment:%H:%M}"
    )


def format_decimal(value: float, digits: int = 1, *, trim: bool = True) -> str:
    """``1.5`` / ``1,5``; without trailing zeros unless ``trim`` is false (``1.50`` for aligned columns)."""
    text = f"{value:.{digits}f}"
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",") if _language == "fr" else text
