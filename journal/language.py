"""The language of what the practitioner reads: ``--lang``, else the journal's setting, else the locale."""

from __future__ import annotations

from journal.db import Journal
from journal.errors import InputError
from journal.i18n import LANGUAGES, _, locale_language


def choose_language(option: str | None, journal: Journal | None = None) -> str:
    """``--lang`` if given, else the journal's ``language`` setting, else French when the
    locale ($LC_ALL, $LC_MESSAGES, $LANG) is French, else English."""
    if option:
        return check_language(option)
    if journal is not None:
        from journal.settings import get_setting

        setting = get_setting(journal, "language")
        if setting:
            return check_language(setting)
    return locale_language()


def check_language(text: str) -> str:
    value = text.strip().lower()[:2]
    if value not in LANGUAGES:
        raise InputError(_("unknown language {text!r}").format(text=text), _("use en or fr"))
    return value
