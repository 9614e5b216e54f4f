"""The journal's time zone: the ``timezone`` setting, else ``$TZ``, else the system's.

Apart from :mod:`journal.dates` (the date grammar), so that what only needs today's date, such
as `journal check`, does not load the grammar.
"""

from __future__ import annotations

import os
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from journal.errors import InputError
from journal.i18n import _


def local_zone_name(setting: str | None = None) -> str:
    """The IANA zone: the journal's ``timezone`` setting, else ``$TZ``, else the system's."""
    for candidate in (setting, os.environ.get("TZ", "").lstrip(":")):
        if candidate and _valid_zone(candidate):
            return candidate
    try:
        target = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in target:
            name = target.split("zoneinfo/", 1)[1]
            if _valid_zone(name):
                return name
    except OSError:
        pass
    try:
        with open("/etc/timezone", encoding="utf-8") as handle:
            name = handle.read().strip()
            if _valid_zone(name):
                return name
    except OSError:
        pass
    return "UTC"


def _valid_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(_("unknown time zone {name!r}").format(name=name),
                         _("use an IANA name such as Europe/London")) from None
