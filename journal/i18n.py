"""Translation of every word the practitioner reads: our gettext catalogue and Click's own words.

The catalogues are compiled ``.mo`` files under ``journal/locale/`` (built from the committed ``.po``
files by ``python -m journal.catalogues compile``; a test fails when they are stale). Loading one is
a single file read through the standard library's :mod:`gettext`: no Babel on the fast path.
"""

from __future__ import annotations

import gettext as _gettext
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "journal"
CLICK_DOMAIN = "click"
LANGUAGES = ("en", "fr")

_active: _gettext.NullTranslations = _gettext.NullTranslations()
_language = "en"
# One request's language on the supervisor site (None: the process-wide language above).
_speaking: ContextVar[tuple[str, _gettext.NullTranslations] | None] = ContextVar("journal_speaking", default=None)
_loaded: dict[str, _gettext.NullTranslations] = {}


def translations(language: str) -> _gettext.NullTranslations:
    """The catalogue of ``language``, opened once (a missing catalogue gives the English)."""
    if language not in _loaded:
        path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
        _loaded[language] = LazyCatalogue(path.read_bytes()) if path.is_file() else _gettext.NullTranslations()
    return _loaded[language]


class LazyCatalogue(_gettext.NullTranslations):
    """A compiled catalogue read message by message, when asked, instead of all at once.

    ``gettext.GNUTranslations`` decodes every one of the catalogue's messages on opening (some
    milliseconds for ours, on every command); a command asks for a few dozen. The ``.mo`` format
    keeps its original strings sorted (Babel and msgfmt both write them so; a test checks ours),
    so each lookup is a binary search over the file's bytes.
    """

    def __init__(self, data: bytes) -> None:
        import struct

        super().__init__()
        self._data = data
        order = {0x950412DE: "<", 0xDE120495: ">"}.get(struct.unpack_from("<I", data)[0])
        if order is None:
            raise OSError("not a gettext catalogue")
        self._entry = struct.Struct(order + "2I").unpack_from
        self._count, self._originals, self._translations = struct.unpack_from(order + "3I", data, 8)
        self._plural: Callable[[int], int] | None = None

    def _string(self, table: int, index: int) -> bytes:
        length, offset = self._entry(self._data, table + 8 * index)
        return self._data[offset:offset + length]

    def find(self, key: bytes) -> str | None:
        """The translation stored for ``key`` (UTF-8), or None."""
        low, high = 0, self._count
        while low < high:
            middle = (low + high) // 2
            original = self._string(self._originals, middle)
            if original < key:
                low = middle + 1
            elif original > key:
                high = middle
            else:
                return self._string(self._translations, middle).decode("utf-8")
        return None

    def gettext(self, message: str) -> str:
        found = self.find(message.encode("utf-8"))
        return found if found else message

    def pgettext(self, context: str, message: str) -> str:
        found = self.find(context.encode("utf-8") + b"\x04" + message.encode("utf-8"))
        return found if found else message

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        found = self.find(msgid1.encode("utf-8") + b"\0" + msgid2.encode("utf-8"))
        if not found:
            return msgid1 if n == 1 else msgid2
        forms = found.split("\0")
        return forms[min(self.plural(n), len(forms) - 1)]

    def plural(self, n: int) -> int:
        """Which plural form ``n`` takes, from the catalogue's ``Plural-Forms`` header."""
        if self._plural is None:
            header = self.find(b"") or ""
            expression = next((line.split("plural=", 1)[1].rstrip(";") for line in header.splitlines()
                               if line.lower().startswith("plural-forms:") and "plural=" in line), "n != 1")
            self._plural = _gettext.c2py(expression)
        return self._plural(n)


def activate(language: str) -> None:
    """Make ``language`` the language of our messages and of Click's ("Usage", "Options", "Error")."""
    global _active, _language
    _language = language if language in LANGUAGES else "en"
    _active = translations(_language)
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


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """``language`` for this task or thread only (one web request), whatever the process speaks."""
    language = language if language in LANGUAGES else "en"
    token = _speaking.set((language, translations(language)))
    try:
        yield
    finally:
        _speaking.reset(token)


def carried(function: Callable[..., T]) -> Callable[..., T]:
    """``function`` speaking the language active now, wherever it runs later (a worker thread)."""
    here = language()

    def run(*args, **kwargs) -> T:
        with speaking(here):
            return function(*args, **kwargs)

    return run


def language() -> str:
    """The active language, ``en`` or ``fr``."""
    here = _speaking.get()
    return here[0] if here else _language


def _(message: str) -> str:
    """``message`` in the active language."""
    here = _speaking.get()
    return (here[1] if here else _active).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    here = _speaking.get()
    return (here[1] if here else _active).ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    """``message`` as said of ``context`` (French agrees "met" with a month or with a rule)."""
    here = _speaking.get()
    found = (here[1] if here else _active).pgettext(context, message)
    return found


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
    return text.replace(".", ",") if language() == "fr" else text
