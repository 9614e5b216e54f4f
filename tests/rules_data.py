"""Helpers for the rules tests: log a session the way `journal log` stores it, check one profile."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from journal.entries import SessionInput, add_session
from journal.names import tag_key
from journal.rules import check_profiles
from journal.rules.data import Measure

LONDON = ZoneInfo("Europe/London")


def log(journal, kind: str, minutes: int, day: date | str, **options) -> None:
    """One session at 10:00 on ``day``, stored through the same path as `journal log`."""
    day = date.fromisoformat(day) if isinstance(day, str) else day
    at = datetime.combine(day, time(10, 0), tzinfo=LONDON)
    add_session(journal, SessionInput(kind=kind, minutes=minutes, at=at, **options), again=True)


def weekly(first: str, count: int, every_days: int = 7) -> list[date]:
    start = date.fromisoformat(first)
    return [start + timedelta(days=every_days * i) for i in range(count)]


def rule(report: dict, rule_id: str) -> dict:
    return next(r for r in report["rules"] if r["id"] == rule_id)


def check_one(journal, profile: str, as_of: str, since: str | None = None) -> dict:
    [report] = check_profiles(journal, [profile], as_of=date.fromisoformat(as_of),
                              since=date.fromisoformat(since) if since else None)
    return report


def write_profile(folder: Path, rules_yaml: str, name: str = "course.yml") -> Path:
    path = folder / name
    path.write_text(
        "id: my-course\ntitle: My course\nsource: Course handbook 2026\nchecked: 2026-09-01\nrules:\n"
        + rules_yaml,
        encoding="utf-8",
    )
    return path


def credit(session: dict, measure: Measure) -> float | None:
    """What one live session adds to ``measure`` (None when it does not count), from the profiles'
    own wording rather than from the engine's SQL."""
    group = session["format"] in ("group", "peer")
    size = session["group_size"]
    if session["kind"] not in measure.kinds or (measure.tag and tag_key(measure.tag) not in session["tags"]):
        return None
    if measure.exclude_peer and session["format"] == "peer":
        return None  # peer supervision does not count for BACP students nor in California
    if measure.max_group and group and (size or 0) > measure.max_group:
        return None  # ICF: a group of more than 15 counts nothing
    if measure.individual_up_to and group and size is not None and size <= measure.individual_up_to:
        group = False  # Texas, California: a group of two is individual (triadic)
    if measure.credit == "bacp-group" and measure.measure == "hours" and group and size is None:
        return None  # BACP credit depends on the group's size: unknown, nothing is credited
    if (measure.format == "group" and not group) or (measure.format == "individual" and group):
        return None
    if measure.paid is not None and session["paid"] != int(measure.paid):
        return None
    if measure.measure == "sessions":
        return 1
    minutes = session["minutes"]
    if measure.credit == "bacp-group" and group:
        return minutes * 1.0 / size if size >= 5 else minutes * 0.5
    if measure.credit == "clock-hour" and 45 <= minutes < 60:
        return 60
    return minutes
