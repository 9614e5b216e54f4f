"""The duration grammar: ``50m``, ``1h30m``, ``1h30``, ``1.5h``, ``1:30``, ``90`` (minutes).

A bare number is minutes only when it is whole: ``1.5`` could mean an hour and a half or a minute
and a half, so it is refused with both readings offered.

French is understood whatever the language setting: ``1 h 30``, ``50 min``, ``1,5 h``, ``2 heures``.
"""

from __future__ import annotations

import re

from journal.errors import InputError
from journal.i18n import N_, _, format_decimal

MAX_MINUTES = 24 * 60
_EXAMPLES = N_("try 50m, 1h30m, 1.5h or 90 (minutes)")
_HOURS_MINUTES = re.compile(
    r"^(?:(?P<h>\d+(?:\.\d+)?)\s*(?:h|hr|hrs|hour|hours|heure|heures))?\s*"
    r"(?:(?P<m>\d+(?:\.\d+)?)\s*(?:m|min|mins|minute|minutes)?)?$"
)
_DECIMAL_COMMA = re.compile(r"(?<=\d),(?=\d)")
_CLOCK = re.compile(r"^(?P<h>\d+):(?P<m>[0-5]\d)$")
_BARE_FRACTION = re.compile(r"^(?P<whole>\d*)[.,](?P<part>\d+)$")


def parse_duration(text: str) -> int:
    """Return the whole number of minutes that ``text`` means, or raise InputError."""
    raw = _DECIMAL_COMMA.sub(".", (text or "").strip().lower())
    if raw.startswith("-"):
        raise InputError(_("duration {text!r} is negative: a duration must be positive").format(text=text),
                         _(_EXAMPLES))
    fraction = _BARE_FRACTION.match(raw)
    if fraction:
        hours = f"{fraction['whole'] or 0}.{fraction['part']}"
        minutes = float(hours) * 60
        if minutes > MAX_MINUTES:
            raise InputError(_("duration {text!r} has no unit, and is over 24 hours as hours").format(text=text),
                             _("a bare number counts whole minutes, e.g. 90; hours take an h, e.g. 1.5h"))
        raise InputError(_("duration {text!r} has no unit").format(text=text),
                         _("did you mean {hours}h, or {minutes} (minutes)?").format(
                             hours=format_decimal(float(hours), 2), minutes=round(minutes)))
    minutes = _minutes(raw)
    if minutes is None:
        raise InputError(_("cannot read the duration {text!r}").format(text=text), _(_EXAMPLES))
    if minutes <= 0:
        raise InputError(_("duration {text!r} is zero").format(text=text), _(_EXAMPLES))
    if minutes > MAX_MINUTES:
        raise InputError(
            _("duration {text!r} is over 24 hours").format(text=text),
            _("log each day's session separately, e.g. 7h"),
        )
    return minutes


def _minutes(raw: str) -> int | None:
    if not raw:
        return None
    clock = _CLOCK.match(raw)
    if clock:
        return int(clock["h"]) * 60 + int(clock["m"])
    match = _HOURS_MINUTES.match(raw)
    if not match or (match["h"] is None and match["m"] is None):
        return None
    hours = float(match["h"] or 0)
    minutes = float(match["m"] or 0)
    return round(min(hours * 60 + minutes, MAX_MINUTES + 1))  # capped: a huge figure may be inf


def format_minutes(minutes: int) -> str:
    """``90`` becomes ``1 h 30 min``; ``50`` becomes ``50 min``."""
    hours, rest = divmod(int(minutes), 60)
    if hours and rest:
        return f"{hours} h {rest} min"
    if hours:
        return f"{hours} h"
    return f"{rest} min"
