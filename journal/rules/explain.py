"""`journal check --explain RULE`: every session a rule looked at, what it credited, and why not.

Like the "recorded vs valid hours" of the paid US trackers: the sessions are read with the
same SQL that the rule's counting uses (:meth:`journal.rules.data.Measure.credited` and
``reason``), and the reasons that belong to a date rather than a session (before training
started, a week without enough supervision, a month without enough supervision, before the
years submitted) come from the rule's own result.
"""

from __future__ import annotations

from datetime import date, timedelta

from journal.db import Journal
from journal.errors import InputError
from journal.rules.data import Measure, session_rows
from journal.rules.engine import (
    Context,
    _period_bounds,
    _start,
    counted_all,
    direct,
    evaluate,
)
from journal.rules.profiles import Profile, Rule
from journal.i18n import _
from journal.rules.text import amount, num, reason_words, unit_words


def find_rule(profiles: list[Profile], rule_ref: str, as_of: date) -> tuple[Profile, Rule]:
    """The rule named ``RULE`` or ``PROFILE:RULE`` among the checked profiles' rules in force."""
    wanted_profile, _colon, wanted_rule = rule_ref.rpartition(":")
    found = [(p, r) for p in profiles for r in p.rules_at(as_of)
             if r.id == wanted_rule and wanted_profile in ("", p.id)]
    if len(found) == 1:
        return found[0]
    every = [f"{p.id}:{r.id}" for p in profiles for r in p.rules_at(as_of)]
    if found:
        raise InputError(_("rule {rule_ref!r} is in several profiles").format(rule_ref=rule_ref),
                         _("name it as PROFILE:RULE, e.g. {choices}").format(
                             choices=", ".join(f"{p.id}:{r.id}" for p, r in found)))
    raise InputError(_("no rule {rule_ref!r} in the profiles checked").format(rule_ref=rule_ref),
                     _("one of: {choices}").format(choices=", ".join(every)))


def explain(journal: Journal, profile: Profile, rule: Rule, as_of: date, since: date | None,
            settings: dict[str, str]) -> dict:
    """The rule's result and every session it looked at, oldest first, with its credit and reason."""
    [report] = evaluate(journal, [profile], as_of, since, settings)
    result = next(r for r in report["rules"] if r["id"] == rule.id)
    ctx = Context(journal, as_of, since, settings)
    first, _middle, reasons = _start(rule, ctx)
    sessions = []
    for measure in _looked_at(rule):
        sessions += session_rows(journal, measure, since, as_of)
    sessions.sort(key=lambda s: (s["date"], s["id"]))
    gaps = _dated_reasons(rule, result, report)
    for session in sessions:
        reason = session.pop("reason")
        day = date.fromisoformat(session["date"])
        if rule.except_tag and rule.except_tag.lower() in (session["tags"] or "").split(","):
            reason = _("tagged {tag}: counted by another rule").format(tag=rule.except_tag)
        elif first and day < first:
            reason = _(" and ").join(r["reason"] for r in reasons) or _("before {date}").format(date=first)
        else:
            reason = reason_words(reason) if reason else next((why for low, high, why in gaps if low <= day <= high),
                                                               None)
        if reason:
            session["credited"] = 0.0
        session["counted"] = reason is None
        session["reason"] = reason
        session.pop("tags")
    unit = "h" if rule.measure == "hours" else "sessions"
    credited = round(sum(s["credited"] for s in sessions), 2)
    for session in sessions:
        session["credited"] = round(session["credited"], 2) + 0.0
    return {
        "profile": profile.id,
        "rule": rule.id,
        "title": rule.title,
        "as_of": as_of.isoformat(),
        "status": result["status"],
        "summary": result["summary"],
        "details": result["details"],
        "unit": unit,
        "recorded": round(sum(s["minutes"] for s in sessions) / 60, 2),
        "credited": credited,
        "sessions": sessions,
    }


def _looked_at(rule: Rule) -> list[Measure]:
    """The measures whose sessions the rule looks at (for California, counselling and supervision)."""
    if rule.type == "weekly_units":
        kinds = [kind for kind in rule.non_clinical if kind != rule.supervision_kind]
        supervision = Measure((rule.supervision_kind,), max_group=rule.max_group, exclude_peer=rule.exclude_peer)
        return [direct(rule), supervision, *(Measure((kind,)) for kind in kinds)]
    return counted_all(rule)


def _dated_reasons(rule: Rule, result: dict, report: dict) -> list[tuple[date, date, str]]:
    """Stretches of days whose sessions the rule did not count, each with the reason."""
    found = []
    if rule.type == "weekly_units":
        entries = [*result["failing_periods"], *([result["in_progress"]] if result.get("in_progress") else [])]
        for entry in entries:
            low, high = _period_bounds(entry["period"])
            found.append((low, high, _("a week without enough supervision ({value} of {needed} units)").format(
                value=num(entry["value"]), needed=num(entry["value"] + entry["short"]))))
    if rule.only_in_met:
        base = next(r for r in report["rules"] if r["id"] == rule.only_in_met)
        if base.get("window_start"):
            start = date.fromisoformat(base["window_start"])
            found.append((date.min, start - timedelta(days=1), _("before the years you submit")))
        for entry in [*base["failing_periods"], *([base["in_progress"]] if base.get("in_progress") else [])]:
            low, high = _period_bounds(entry["period"])
            period = unit_words(1, {"month": "months", "week": "weeks"}.get(base["period"], "periods"))
            found.append((low, high, _("a {period} without {each} of {counts}").format(
                period=period, each=amount(base["each"], base["period_unit"]), counts=base["counts"])))
    return found
