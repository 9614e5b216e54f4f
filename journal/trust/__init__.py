"""`journal trust-statement`: one page for prospective clients and websites.

It shows the outward signs a client can judge a practitioner by where the title is not
regulated: supervision received (in how many of the last twelve calendar months, and hours),
personal therapy (hours and the years it spans), continued training in the last twelve months
and memberships of professional bodies. Every figure is a rule of ``recent.yml`` or
``history.yml`` beside this file, evaluated by the same rules engine as `journal check`, and
carries a footnote saying how it was computed. No client data is read; supervisors' and
therapists' names appear only when asked for. The page is rendered and printed by the
machinery of :mod:`journal.statement`.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache
from pathlib import Path

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from journal.db import Journal
from journal.memberships import list_memberships
from journal.settings import get_setting

FOLDER = Path(__file__).resolve().parent
RECENT_PROFILE = FOLDER / "recent.yml"
HISTORY_PROFILE = FOLDER / "history.yml"
MONTHS = 12


@cache
def trust_text(lang: str) -> dict:
    """Every word of the statement in ``lang`` (``text.yml``)."""
    from journal.yamlfile import read_yaml

    return read_yaml(FOLDER / "text.yml")[lang]


def build_trust_statement(journal: Journal, *, today: date, lang: str = "en", names: bool = False) -> dict:
    """Everything the statement shows, as plain data ready for ``trust_statement.html``."""
    from journal.rules import check_profiles

    text = trust_text(lang)
    last = today.replace(day=1) - timedelta(days=1)  # the end of the last whole month
    first = last.replace(day=1) - relativedelta(months=MONTHS - 1)
    recent = check_profiles(journal, [str(RECENT_PROFILE)], as_of=last, since=first)[0]
    history = check_profiles(journal, [str(HISTORY_PROFILE)], as_of=today)[0]
    rule = {r["id"]: r for r in recent["rules"] + history["rules"]}
    words = _Words(text)
    common = {"first_month": words.month(first), "last_month": words.month(last), "first_day": words.day(first),
              "last_day": words.day(last), "today": words.day(today), "months": MONTHS}
    notes: list[str] = []

    def line(template: str, note: str, **values) -> dict:
        """A figure's line (safe HTML, values escaped) and the number of its footnote."""
        notes.append(" ".join(text[note].format(**common, **values).split()))
        return {"html": Markup(text[template]).format(**common, **values), "note": len(notes)}

    signed = _countersigned_months(journal, first, last, today)
    supervision = [
        line("supervision_months", "note_supervision_months", value=rule["supervision-months"]["value"]),
        line("supervision_hours", "note_supervision_hours", hours=words.hours(rule["supervision-hours"]["value"])),
        line("countersigned_months", "note_countersigned_months", value=len(signed["valid"]),
             changed=text["note_countersigned_changed"].format(count=len(signed["changed"])) if signed["changed"] else ""),
    ]
    therapy_span = rule["therapy-span"]
    if rule["therapy-hours"]["value"]:
        first_year, last_year = therapy_span["first"][:4], therapy_span["last"][:4]
        therapy = [
            line("therapy_hours", "note_therapy_hours", hours=words.hours(rule["therapy-hours"]["value"])),
            line("therapy_years" if first_year != last_year else "therapy_year", "note_therapy_years",
                 first=first_year, last=last_year),
        ]
    else:
        therapy = [{"html": text["therapy_none"], "note": None}]
    cpd = [line("cpd_hours", "note_cpd_hours", hours=words.hours(rule["cpd-hours"]["value"]))]
    if names:
        supervision.append({"html": text["supervisors"].format(names=", ".join(
            _people(journal, "supervision", first, last))), "note": None})
        therapy.append({"html": text["therapists"].format(names=", ".join(
            _people(journal, "therapy", None, today))), "note": None})
    current = [m for m in list_memberships(journal, today) if m["state"] != "expired"]
    notes.append(" ".join(text["note_memberships"].format(**common).split()))
    membership_note = len(notes)
    rules = ", ".join(f"{profile['profile']}: {', '.join(r['id'] for r in profile['rules'])}"
                      for profile in (recent, history))
    return {
        "lang": lang,
        "text": text,
        "practitioner": get_setting(journal, "practitioner"),
        "prepared": text["prepared"].format(**common),
        "sections": [
            {"title": text["supervision"], "lines": supervision},
            {"title": text["therapy"], "lines": therapy},
            {"title": text["cpd"], "lines": cpd},
        ],
        "memberships": [
            {**m, "shown_url": _short_url(m["url"]), "since": words.day(m["since"]) if m["since"] else "",
             "valid_until": words.day(m["valid_until"]) if m["valid_until"] else text["no_end"]}
            for m in current
        ],
        "membership_note": membership_note,
        "notes": notes,
        "engine_note": " ".join(text["note_engine"].format(rules=rules).split()),
        "figures": {
            "period_first": first.isoformat(),
            "period_last": last.isoformat(),
            "supervision_months": rule["supervision-months"]["value"],
            "months_counted": rule["supervision-months"]["threshold"],
            "supervision_hours": rule["supervision-hours"]["value"],
            "cpd_hours": rule["cpd-hours"]["value"],
            "therapy_hours": rule["therapy-hours"]["value"],
            "countersigned_months": signed["valid"],
            "changed_since_countersigned": signed["changed"],
            "therapy_first": therapy_span.get("first"),
            "therapy_last": therapy_span.get("last"),
            "memberships": [{k: m[k] for k in ("body", "number", "since", "valid_until", "url")} for m in current],
        },
    }


def _countersigned_months(journal: Journal, first: date, last: date, today: date) -> dict[str, list[str]]:
    """The calendar months from ``first`` to ``last`` countersigned and unchanged (``valid``), and
    those changed since (``changed``, not counted): the same states as `journal signoffs`."""
    from journal.signoffs.months import month_states

    states = [s for s in month_states(journal, first, last, today) if len(s["period"]) == 7]
    valid = sorted({s["period"] for s in states if s["state"] == "valid"})
    changed = sorted({s["period"] for s in states if s["state"] == "changed"} - set(valid))
    return {"valid": valid, "changed": changed}


def _people(journal: Journal, kind: str, first: date | None, last: date) -> list[str]:
    """The names of the people in ``kind`` sessions between two dates (only asked for with --names)."""
    rows = journal.execute(
        "SELECT DISTINCT p.name FROM entries e JOIN people p ON p.id = e.person_id "
        "WHERE e.kind = ? AND e.deleted_at IS NULL AND e.date BETWEEN ? AND ? ORDER BY p.key",
        (kind, first.isoformat() if first else "", last.isoformat())).fetchall()
    return [name for (name,) in rows] or ["—"]


def _short_url(url: str | None) -> Markup | None:
    """A register's address as a client reads it: no scheme, no trailing slash, lines broken after '/'."""
    if not url:
        return None
    return Markup("/<wbr>").join(url.split("://", 1)[-1].rstrip("/").split("/"))


class _Words:
    """Dates and hours written in the statement's language."""

    def __init__(self, text: dict):
        self.text = text

    def month(self, day: date) -> str:
        return f"{self.text['months'][day.month - 1]} {day.year}"

    def day(self, day: date | str) -> str:
        day = date.fromisoformat(day) if isinstance(day, str) else day
        number = self.text["first_of_month"] if day.day == 1 else day.day
        return self.text["day_format"].format(day=number, month=self.text["months"][day.month - 1], year=day.year)

    def hours(self, value: float | None) -> str:
        number = f"{round(value or 0, 1):.1f}".removesuffix(".0").replace(".", self.text["decimal"])
        return f"{number} {self.text['hours_unit']}"
