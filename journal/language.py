"""The language of what the practitioner reads in cards, emotions and the trust statement."""

from __future__ import annotations

import os

from journal.db import Journal
from journal.errors import InputError

LANGUAGES = ("en", "fr")


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
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    return "en"


def check_language(text: str) -> str:
    value = text.strip().lower()[:2]
    if value not in LANGUAGES:
        raise InputError(f"unknown language {text!r}", "use en or fr")
    return value
