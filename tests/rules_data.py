"""Helpers for the rules tests: log a session the way `journal log` stores it, check one profile."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from journal.entries import SessionInput, add_session
from journal.rules import check_profiles

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
