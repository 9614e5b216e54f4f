"""One engine for every rule type: figures against thresholds, failing periods, pace and projection.

Each rule type is a small function from a rule and the :class:`Context` (per-date series read
in one pass by :mod:`journal.rules.data`) to a result in the shape of ``journal check --json``.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from journal.db import Journal
from journal.rules import periods as cal
from journal.rules.data import Client, Measure, Series, fetch
from journal.rules.profiles import Profile, Rule

PACE_DAYS = 90
EPSILON = 1e-9


@dataclass
class Context:
    """What every rule reads: the journal, the check's dates and settings, and the counts."""

    journal: Journal
    as_of: date
    since: date | None
    settings: dict[str, str]
    series: dict[Measure, Series] = field(default_factory=dict)
    clients: dict[Measure, dict[str, Client]] = field(default_factory=dict)

    @property
    def week_start(self) -> str:
        return "sunday" if self.settings.get("week_start", "").lower() == "sunday" else "monday"

    def active(self, first: date, last: date) -> bool:
        """Whether any session at all was logged between two dates (one indexed look-up)."""
        return self.journal.execute(
            "SELECT 1 FROM entries WHERE deleted_at IS NULL AND kind <> 'reflection' "
            "AND date BETWEEN ? AND ? LIMIT 1", (first.isoformat(), last.isoformat())).fetchone() is not None

    def setting_date(self, key: str) -> date | None:
        try:
            return date.fromisoformat(self.settings[key])
        except (KeyError, ValueError):
            return None


def counted(rule: Rule, **changes) -> Measure:
    """The measure a rule counts (``changes`` override its filters)."""
    values = {"kinds": rule.kind, "format": rule.format, "paid": rule.paid, "tag": rule.tag,
              "credit": rule.credit, "measure": rule.measure}
    values.update(changes)
    return Measure(**values)


def measures_of(rule: Rule) -> set[Measure]:
    """Every per-date series a rule reads."""
    needed = set()
    if rule.type != "clients":
        needed.add(counted(rule))
    if rule.while_kind:
        needed.add(Measure((rule.while_kind,), measure="sessions"))
    if rule.type == "ratio":
        needed.add(Measure(rule.of))
    if rule.type == "share":
        needed.add(counted(rule, format=rule.part_format))
    if rule.type == "weekly_units":
        for form in ("individual", "group"):
            needed.add(Measure((rule.supervision_kind,), format=form))
    return needed


def evaluate(journal: Journal, profiles: list[Profile], as_of: date, since: date | None,
             settings: dict[str, str]) -> list[dict]:
    """Check ``profiles`` against the journal as it stood on ``as_of``."""
    ctx = Context(journal, as_of, since, settings)
    needed = set().union(*(measures_of(r) for p in profiles for r in p.rules))
    client_measures = {counted(r) for p in profiles for r in p.rules if r.type == "clients"}
    counts = fetch(journal, needed, client_measures, since, as_of)
    ctx.series, ctx.clients = counts.series, counts.clients
    reports = []
    for profile in profiles:
        results = [EVALUATORS[rule.type](rule, ctx) for rule in profile.rules]
        reports.append({
            "profile": profile.id,
            "title": profile.title,
            "source": profile.source,
            "checked": profile.checked,
            "as_of": as_of.isoformat(),
            "since": since.isoformat() if since else None,
            "met": all(r["met"] for r in results),
            "rules": results,
        })
    return reports


def _round(value: float | None) -> float | None:
    """Counts stay whole numbers; hours are rounded to the hundredth (and never -0.0)."""
    if value is None or isinstance(value, int):
        return value
    return round(value, 2) + 0.0


def _result(rule: Rule, met: bool, value: float, threshold: float | None, unit: str, *,
            failing: list[dict] | None = None, missing: float | None = None, pace: float | None = None,
            projected: date | None = None, **extra) -> dict:
    return {
        "id": rule.id,
        "title": rule.title,
        "type": rule.type,
        "met": bool(met),
        "value": _round(value),
        "threshold": _round(threshold),
        "unit": unit,
        "failing_periods": failing or [],
        "missing": _round(missing),
        "pace": _round(pace),
        "projected": projected.isoformat() if projected else None,
        **extra,
    }


def _start(rule: Rule, ctx: Context) -> tuple[date | None, str | None]:
    """Where a rule starts counting: --since, its window, or a date setting; and a note if unset."""
    starts = [ctx.since] if ctx.since else []
    if rule.window:
        starts.append(cal.window_start(ctx.as_of, rule.window))
    note = None
    if rule.after:
        after = ctx.setting_date(rule.after)
        if after is None:
            note = f"set `journal config {rule.after} YYYY-MM-DD`; until then nothing counts"
            starts.append(ctx.as_of + timedelta(days=1))
        else:
            starts.append(after)
    return (max(starts) if starts else None), note


def _pace(recent: float, missing: float, as_of: date) -> tuple[float, date | None]:
    """Units per week over the last 90 days, and the date ``missing`` is reached at that pace."""
    per_day = recent / PACE_DAYS
    projected = None
    if missing > EPSILON and per_day > EPSILON:
        projected = as_of + timedelta(days=math.ceil(missing / per_day - EPSILON))
    return per_day * 7, projected


def _toward(rule: Rule, value: float, recent: float, ctx: Context, unit: str, **extra) -> dict:
    """A result for a figure that counts up toward a minimum."""
    missing = max(0.0, rule.min - value)
    pace, projected = _pace(recent, missing, ctx.as_of)
    return _result(rule, missing <= EPSILON, value, rule.min, unit, missing=missing, pace=pace,
                   projected=projected, **extra)


def _recent_start(first: date | None, as_of: date) -> date:
    start = as_of - timedelta(days=PACE_DAYS - 1)
    return max(start, first) if first else start


def total(rule: Rule, ctx: Context) -> dict:
    """At least ``min`` hours (or sessions) in all, in a window back from the check date, or after a date."""
    measure = counted(rule)
    series = ctx.series[measure]
    first, note = _start(rule, ctx)
    value = series.total(first, ctx.as_of)
    recent = series.total(_recent_start(first, ctx.as_of), ctx.as_of)
    return _toward(rule, value, recent, ctx, measure.unit, counts=measure.label(),
                   **({"note": note} if note else {}))


def clients(rule: Rule, ctx: Context) -> dict:
    """At least ``min`` distinct client codes (a group code counting its members, with ``group_members``)."""
    first, _ = _start(rule, ctx)
    start = first.isoformat() if first else ""
    recent_from = _recent_start(first, ctx.as_of).isoformat()
    cap = rule.group_members
    value = recent = 0
    for client in ctx.clients[counted(rule)].values():
        if client.last >= start:  # seen within the window
            members = min(client.group_size, cap) if cap and client.group_size else 1
            value += members
            recent += members if client.first >= recent_from else 0
    return _toward(rule, value, recent, ctx, "clients", counts=counted(rule).label())


def _periods(rule: Rule, ctx: Context, measure: Series, gate: Series | None) -> list[cal.Period]:
    if rule.period == "twelve-months":
        anchor = ctx.setting_date("training_start") or measure.first(ctx.since, ctx.as_of)
        found = cal.twelve_months(anchor, ctx.as_of, rule.periods) if anchor else []
    else:
        first = ctx.since or (gate or measure).first(None, ctx.as_of)
        if first is None:
            return []
        found = (cal.months(first, ctx.as_of) if rule.period == "month"
                 else cal.weeks(first, ctx.as_of, ctx.week_start))
    return [p for p in found if ctx.since is None or p.end >= ctx.since]


def per_period(rule: Rule, ctx: Context) -> dict:
    """At least ``min`` in every month, week or twelve-month period (or in ``periods`` of them).

    The figure is periods met against periods required; an unfinished period is in progress,
    never failing; with ``while``, a period without that kind is listed as not required.
    """
    measure = counted(rule)
    series = ctx.series[measure]
    gate = ctx.series[Measure((rule.while_kind,), measure="sessions")] if rule.while_kind else None
    failing, skipped, met_count, in_progress = [], [], 0, None
    for period in _periods(rule, ctx, series, gate):
        first = max(period.start, ctx.since) if ctx.since else period.start
        last = min(period.end, ctx.as_of)
        if period.start > ctx.as_of:
            continue  # a period still to come: neither met nor failing
        if gate is not None and not gate.total(first, last):
            if period.end > ctx.as_of:
                continue  # the current period, with nothing to require yet
            reason = f"no {rule.while_kind}" if ctx.active(first, last) else "no activity"
            skipped.append({"period": period.name, "reason": reason})
            continue
        value = series.total(first, last)
        short = rule.min - value
        if short <= EPSILON:
            met_count += 1
            continue
        entry = {"period": period.name, "value": _round(value), "short": _round(short)}
        if period.end > ctx.as_of:
            in_progress = entry
        else:
            if not ctx.active(first, last):
                entry["note"] = "no activity"
            failing.append(entry)
    required = rule.periods or met_count + len(failing)
    unit = {"month": "months", "week": "weeks"}.get(rule.period, "periods")
    met = met_count >= required and not (rule.periods is None and failing)
    return _result(rule, met, met_count, required, unit, failing=failing, each=rule.min,
                   period_unit=measure.unit, counts=measure.label(), period=rule.period,
                   in_progress=in_progress, skipped_periods=skipped)


def ratio(rule: Rule, ctx: Context) -> dict:
    """At least ``min`` hours of the rule's kind for every ``per`` hours of ``of``."""
    measure = counted(rule)
    first, note = _start(rule, ctx)
    value = ctx.series[measure].total(first, ctx.as_of)
    base = ctx.series[Measure(rule.of)].total(first, ctx.as_of)
    required = base * rule.min / rule.per if rule.per else 0.0
    missing = max(0.0, required - value)
    return _result(rule, missing <= EPSILON, value, required, measure.unit, missing=missing,
                   counts=measure.label(), of=_round(base), of_counts=" and ".join(rule.of),
                   each=rule.min, per=rule.per, **({"note": note} if note else {}))


def max_gap(rule: Rule, ctx: Context) -> dict:
    """The longest stretch between sessions; with ``while``, only stretches of continuing work.

    A gap in which the ``while`` kind itself paused for longer than the limit (a holiday, a
    placement break) is listed as not required rather than failing.
    """
    series = ctx.series[counted(rule)]
    gate = ctx.series[Measure((rule.while_kind,), measure="sessions")] if rule.while_kind else None
    first = (gate or series).first(ctx.since, ctx.as_of)
    last = gate.last(ctx.since, ctx.as_of) if gate else ctx.as_of
    if first is None or last is None:
        return _result(rule, True, 0, rule.max_days, "days", counts=counted(rule).label(),
                       note=f"no {rule.while_kind or counted(rule).label()} recorded")
    working = [d.toordinal() for d in gate.days(first, last)] if gate else None
    points = [first, *series.days(first, last), last]
    failing, skipped, longest = [], [], 0
    for before, after in zip(points, points[1:]):
        gap = (after - before).days
        if gap > rule.max_days and working is not None and _paused(working, before, after, rule.max_days):
            skipped.append({"period": f"{before}..{after}", "reason": f"a break in {rule.while_kind}"})
            continue
        longest = max(longest, gap)
        if gap > rule.max_days:
            failing.append({"period": f"{before}..{after}", "value": gap, "short": gap - rule.max_days})
    return _result(rule, not failing, longest, rule.max_days, "days", failing=failing,
                   counts=counted(rule).label(), skipped_periods=skipped)


def _paused(working: list[int], start: date, end: date, limit: int) -> bool:
    """Whether the work days (ordinals) between two dates leave a pause longer than ``limit``."""
    low, high = bisect_left(working, start.toordinal()), bisect_right(working, end.toordinal())
    marks = [start.toordinal(), *working[low:high], end.toordinal()]
    return any(later - earlier > limit for earlier, later in zip(marks, marks[1:]))


def span(rule: Rule, ctx: Context) -> dict:
    """At least ``min_months`` whole months from the first to the last counted session."""
    series = ctx.series[counted(rule)]
    first, last = series.first(ctx.since, ctx.as_of), series.last(ctx.since, ctx.as_of)
    value = cal.full_months(first, last) if first and last else 0
    missing = max(0, rule.min_months - value)
    projected = first + relativedelta(months=rule.min_months) if first and missing else None
    return _result(rule, not missing, value, rule.min_months, "months", missing=missing,
                   projected=projected, counts=counted(rule).label(),
                   first=first.isoformat() if first else None, last=last.isoformat() if last else None)


def share(rule: Rule, ctx: Context) -> dict:
    """At most ``max`` percent of the hours in the ``part`` format (e.g. group supervision)."""
    whole = ctx.series[counted(rule)].total(ctx.since, ctx.as_of)
    part = ctx.series[counted(rule, format=rule.part_format)].total(ctx.since, ctx.as_of)
    value = 100 * part / whole if whole else 0.0
    return _result(rule, value <= rule.max + EPSILON, value, rule.max, "%",
                   counts=counted(rule, format=rule.part_format).label(), of=_round(whole))


def weekly_units(rule: Rule, ctx: Context) -> dict:
    """California: a week counts its hours only when its supervision units are enough."""
    measure = counted(rule)
    series = ctx.series[measure]
    individual = ctx.series[Measure((rule.supervision_kind,), format="individual")]
    group = ctx.series[Measure((rule.supervision_kind,), format="group")]
    first = ctx.since or series.first(None, ctx.as_of)
    weeks = cal.weeks(first, ctx.as_of, ctx.week_start) if first else []
    recent_from = _recent_start(None, ctx.as_of)
    value = recent = 0.0
    failing, in_progress = [], None
    for week in weeks:
        start = max(week.start, first)
        hours = series.total(start, week.end)
        if not hours:
            continue
        units = (individual.total(start, week.end) / rule.unit_hours[0]
                 + group.total(start, week.end) / rule.unit_hours[1])
        needed = rule.min_units + (1 if rule.extra_unit_over is not None and hours > rule.extra_unit_over else 0)
        if units + EPSILON >= needed:
            value += hours
            recent += hours if week.start >= recent_from else 0.0
            continue
        entry = {"period": week.name, "value": _round(units), "short": _round(needed - units),
                 "hours_not_counted": _round(hours)}
        if week.end > ctx.as_of:
            in_progress = entry
        else:
            failing.append(entry)
    return _toward(rule, value, recent, ctx, measure.unit, failing=failing, counts=measure.label(),
                   period_unit="units", in_progress=in_progress)


EVALUATORS: dict[str, Callable[[Rule, Context], dict]] = {
    "total": total,
    "per_period": per_period,
    "ratio": ratio,
    "max_gap": max_gap,
    "span": span,
    "clients": clients,
    "share": share,
    "weekly_units": weekly_units,
}
