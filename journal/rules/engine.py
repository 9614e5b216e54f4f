"""One engine for every rule type: figures against thresholds, failing periods, what is due, pace and projection.

Each rule type is a small function from a rule and the :class:`Context` (per-date series read
in one pass by :mod:`journal.rules.data`) to a result in the shape of ``journal check --json``;
:func:`evaluate` then adds each result's status and plain-language texts (:mod:`journal.rules.text`).
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from datetime import date, timedelta
from functools import cache

from dateutil.relativedelta import relativedelta

from journal.collector import collector_paused
from journal.db import Journal
from journal.rules import periods as cal
from journal.rules.data import Client, Measure, Series, fetch
from journal.rules.profiles import Profile, Rule
from journal.i18n import _
from journal.rules.text import (WEEKLY_COUNTS_WORDS, add_texts, amount, format_sessions, kinds_words, no_kind,
                                periods_plural, report_status, setting_reason)

PACE_DAYS = 90
MIN_HISTORY_DAYS = 28  # less history than this gives a pace but no projected date
EPSILON = 1e-9
CHECK_PAGE_CACHE_KIB = 256  # SQLite's default keeps 2 MB


class Context:
    """What every rule reads: the journal, the check's dates and settings, and the counts.

    Plain classes with slots here rather than dataclasses: `journal check` pays for every class
    it defines at start-up."""

    __slots__ = ("journal", "as_of", "since", "settings", "series", "clients", "profile", "done", "weeks")

    def __init__(self, journal: Journal, as_of: date, since: date | None, settings: dict[str, str]):
        self.journal, self.as_of, self.since, self.settings = journal, as_of, since, settings
        self.series: dict[Measure, Series] = {}
        self.clients: dict[Measure, dict[str, Client]] = {}
        self.profile: Profile | None = None
        self.done: dict[str, dict] = {}  # this profile's results so far, by rule id
        self.weeks: dict[tuple, list] = {}  # California's weeks, by how they are counted

    @property
    def week_start(self) -> str:
        return "sunday" if self.settings.get("week_start", "").lower() == "sunday" else "monday"

    def active(self, first: date, last: date) -> bool:
        """Whether any session at all took place between two dates (one indexed look-up)."""
        from journal.planned import counted

        return self.journal.execute(
            "SELECT 1 FROM entries e WHERE e.deleted_at IS NULL AND e.kind <> 'reflection' "
            f"AND e.date BETWEEN ? AND ? AND {counted()} LIMIT 1",
            (first.isoformat(), last.isoformat())).fetchone() is not None

    def setting_date(self, key: str) -> date | None:
        try:
            return date.fromisoformat(self.settings[key])
        except (KeyError, ValueError):
            return None

    def rule_at(self, rule: Rule, day: date) -> Rule:
        """The version of ``rule`` (same id) in force on ``day``; the rule itself if that version lacks it."""
        if self.profile is None or not self.profile.versions:
            return rule
        return next((r for r in self.profile.rules_at(day) if r.id == rule.id), rule)

    def total(self, rule: Rule, first: date | None, last: date) -> float:
        """What ``rule`` counts between two dates, ``also`` included and ``except_tag`` left out."""
        value = sum(self.series[m].total(first, last) for m in counted_all(rule))
        if rule.except_tag:
            value -= self.series[counted(rule, tag=rule.except_tag)].total(first, last)
        return value


def counted(rule: Rule, **changes) -> Measure:
    """The measure a rule counts (``changes`` override its filters)."""
    return _measure(rule)._replace(**changes).normalized() if changes else _measure(rule).normalized()


@cache
def _measure(rule: Rule) -> Measure:
    return Measure(rule.kind, rule.format, rule.paid, rule.tag, rule.credit, rule.measure, rule.max_group,
                   rule.individual_up_to, rule.exclude_peer)


@cache
def counted_all(rule: Rule) -> tuple[Measure, ...]:
    """The rule's measure and its ``also`` measures (e.g. supervision tagged cpd, for CPD)."""
    return (counted(rule), *(counted(rule, kinds=kinds, tag=tag) for kinds, tag in rule.also))


def looked_at(rule: Rule) -> Measure:
    """The sessions the rule looks at, before what disqualifies some (groups too large, peer, size unknown)."""
    return counted(rule, credit="none" if rule.credit == "bacp-group" else rule.credit, max_group=None,
                   exclude_peer=False)


def _leaves_out(rule: Rule) -> bool:
    """Whether a total leaves out hours it looked at: before a date setting, or disqualified ones."""
    return bool(rule.after or rule.from_setting or counted(rule).disqualifiers())


def _plain(rule: Rule) -> Measure:
    """The sessions the rule looks at that nothing disqualifies, each at its full length."""
    return looked_at(rule)._replace(max_group=rule.max_group, exclude_peer=rule.exclude_peer).normalized()


def direct(rule: Rule) -> Measure:
    """California's direct counselling: the rule's kind, none of the supervision filters."""
    return counted(rule, max_group=None, exclude_peer=False, individual_up_to=None)


def supervision_measures(rule: Rule) -> tuple[Measure, Measure]:
    """California's individual (triadic included) and group supervision, as units are counted."""
    kinds = (rule.supervision_kind,)
    common = {"individual_up_to": rule.individual_up_to, "max_group": rule.max_group,
              "exclude_peer": rule.exclude_peer}
    return (Measure(kinds, format="individual", **common).normalized(),
            Measure(kinds, format="group", **common).normalized())


def measures_of(rule: Rule) -> set[Measure]:
    """Every per-date series a rule reads."""
    needed = set()
    if rule.type != "clients":
        needed.update(counted_all(rule))
        if rule.except_tag:
            needed.add(counted(rule, tag=rule.except_tag))
        if rule.type == "total" and _leaves_out(rule):
            needed.update({looked_at(rule), _plain(rule)})
    if rule.while_kind:
        needed.add(Measure((rule.while_kind,), measure="sessions"))
    if rule.type in ("ratio",) or rule.max_per:
        needed.add(Measure(rule.of))
    if rule.type == "share" or rule.max_part is not None:
        needed.add(counted(rule, format=rule.part_format))
    if rule.type == "weekly_units":
        needed.discard(counted(rule))
        needed.add(direct(rule))
        needed.update(supervision_measures(rule))
        needed.add(Measure((rule.supervision_kind,), exclude_peer=rule.exclude_peer, max_group=rule.max_group))
        needed.update(Measure((kind,)) for kind in rule.non_clinical if kind != rule.supervision_kind)
    return needed


def evaluate(journal: Journal, profiles: list[Profile], as_of: date, since: date | None,
             settings: dict[str, str]) -> list[dict]:
    """Check ``profiles`` against the journal as it stood on ``as_of``, with the cyclic collector paused
    (a check's tens of thousands of rows make no cycles) and a small page cache (it reads each page of
    the rollups and client indexes once)."""
    with collector_paused(), journal.page_cache(CHECK_PAGE_CACHE_KIB):
        return _evaluate(journal, profiles, as_of, since, settings)


def _evaluate(journal: Journal, profiles: list[Profile], as_of: date, since: date | None,
              settings: dict[str, str]) -> list[dict]:
    ctx = Context(journal, as_of, since, settings)
    every = [rule for profile in profiles for rule in profile.all_rules()]
    needed = set().union(*(measures_of(r) for r in every))
    client_measures = {counted(r) for r in every if r.type == "clients"}
    counts = fetch(journal, needed, client_measures, since, as_of)
    ctx.series, ctx.clients = counts.series, counts.clients
    logged = ctx.active(date.min, as_of)
    reports = []
    for profile in profiles:
        ctx.profile, ctx.done = profile, {}
        rules = profile.rules_at(as_of)
        for rule in sorted(rules, key=lambda r: r.only_in_met is not None):  # what others lean on first
            ctx.done[rule.id] = add_texts(EVALUATORS[rule.type](rule, ctx), as_of)
        results = [ctx.done[rule.id] for rule in rules]
        version = next((v.effective_from for v in reversed(profile.versions) if v.effective_from <= str(as_of)),
                       None)
        reports.append({
            "profile": profile.id,
            "title": profile.title,
            "source": profile.source,
            "checked": profile.checked,
            "as_of": as_of.isoformat(),
            "since": since.isoformat() if since else None,
            "met": all(r["met"] for r in results),
            "status": report_status(results, logged),
            "version": version,
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


def _start(rule: Rule, ctx: Context) -> tuple[date | None, str | None, list[dict]]:
    """Where a rule starts counting (--since, its window, or a date setting), a note if a setting is
    unset, and each later start's reason for the hours it leaves out (``{"before", "reason"}``)."""
    starts: list[tuple[date, str | None]] = [(ctx.since, None)] if ctx.since else []
    if rule.window:
        starts.append((cal.window_start(ctx.as_of, rule.window), None))
    note = None
    key = rule.after or rule.from_setting
    if key:
        setting = ctx.setting_date(key)
        if setting is None:
            note = _("set `journal config {key} YYYY-MM-DD`; until then nothing counts").format(key=key)
            starts.append((ctx.as_of + timedelta(days=1), _("until `{key}` is set").format(key=key)))
        else:
            start = setting + timedelta(days=1) if rule.after else setting
            starts.append((start, setting_reason(bool(rule.after), setting.isoformat(), key)))
    if not starts:
        return None, note, []
    first = max(day for day, _why in starts)
    return first, note, [{"before": day.isoformat(), "reason": why} for day, why in starts if day == first and why]


def _pace(series_total: Callable[[date | None, date], float], first_counted: date | None, missing: float,
          start: date | None, as_of: date) -> tuple[float, date | None, str | None]:
    """Units per week over the last 90 days (or since counting began, if later), the date ``missing``
    is reached at that pace, and why there is no date when history is too short to project from."""
    if first_counted is None:
        return 0.0, None, None
    recent_from = max(as_of - timedelta(days=PACE_DAYS - 1), first_counted, start or date.min)
    days = (as_of - recent_from).days + 1
    per_day = series_total(recent_from, as_of) / days
    if missing <= EPSILON or per_day <= EPSILON:
        return per_day * 7, None, None
    if (as_of - first_counted).days + 1 < MIN_HISTORY_DAYS:
        return per_day * 7, None, _("log a few more weeks to see a projected date")
    return per_day * 7, as_of + timedelta(days=math.ceil(missing / per_day - EPSILON)), None


def _toward(rule: Rule, value: float, ctx: Context, unit: str, start: date | None, first_counted: date | None,
            total_of: Callable[[date | None, date], float], **extra) -> dict:
    """A result for a figure that counts up toward a minimum (a figure without one is recorded, always met)."""
    missing = max(0.0, rule.min - value) if rule.min is not None else 0.0
    pace, projected, why = _pace(total_of, first_counted, missing, start, ctx.as_of)
    recent_from = ctx.as_of - timedelta(days=PACE_DAYS - 1)
    return _result(rule, missing <= EPSILON, value, rule.min, unit, missing=missing, pace=pace,
                   projected=projected, recent=_round(total_of(max(recent_from, start or recent_from), ctx.as_of)),
                   **({"projection_note": why} if why else {}), **extra)


def _not_counted(rule: Rule, ctx: Context, start: date | None, reasons: list[dict]) -> list[dict]:
    """Hours the rule looked at but did not count, by reason: before its start date, or disqualified
    (``recent``: how many of them in the last 90 days)."""
    if not _leaves_out(rule):
        return []
    raw = ctx.series[looked_at(rule)]
    recent_from = ctx.as_of - timedelta(days=PACE_DAYS - 1)
    found = []
    if start is not None and reasons:
        end = start - timedelta(days=1)
        before = raw.total(ctx.since, end)
        if before > EPSILON:
            found.append({"reason": _(" and ").join(r["reason"] for r in reasons), "value": _round(before),
                          "recent": _round(raw.total(recent_from, end))})
    words = counted(rule).disqualifiers()
    if words:
        plain = ctx.series[_plain(rule)]
        low = max(recent_from, start or recent_from)
        lost = raw.total(start, ctx.as_of) - plain.total(start, ctx.as_of)
        if lost > EPSILON:
            found.append({"reason": _(" or ").join(words), "value": _round(lost),
                          "recent": _round(raw.total(low, ctx.as_of) - plain.total(low, ctx.as_of))})
    return found


def total(rule: Rule, ctx: Context) -> dict:
    """At least ``min`` hours (or sessions) in all, in a window back from the check date, or from a date.

    ``only_in_met`` counts only in the periods that another (per-period) rule did not fail, from
    the start of the years that rule chose; ``max_part`` caps what one format adds (ICF: at most
    7 h of group mentoring); ``max_per`` caps the figure at so many per ``per`` hours of ``of``
    (Virginia: at most 4 h of supervision per 40 h of work).
    """
    measure = counted(rule)
    first, note, reasons = _start(rule, ctx)
    gaps: list[tuple[date, date]] = []  # periods whose hours do not count
    if rule.only_in_met:
        base = ctx.done[rule.only_in_met]
        if base.get("window_start") and (first is None or base["window_start"] > first.isoformat()):
            first = date.fromisoformat(base["window_start"])
            reasons = [{"before": base["window_start"], "reason": _("before the years you submit")}]
        unmet = [*base["failing_periods"], *([base["in_progress"]] if base.get("in_progress") else [])]
        gaps = [_period_bounds(p["period"]) for p in unmet]

    def gross(low: date | None, high: date) -> float:
        """What the rule counts between two dates, less the periods whose hours do not count."""
        low = _later(low, first)
        value = ctx.total(rule, low, high)
        for start, end in gaps:
            if end >= (low or start) and start <= high:
                value -= ctx.total(rule, _later(start, low), min(end, high))
        return value

    def total_of(low: date | None, high: date) -> float:
        low = _later(low, first)
        value = gross(low, high)
        if rule.max_part is not None:
            value -= max(0.0, ctx.series[counted(rule, format=rule.part_format)].total(low, high) - rule.max_part)
        if rule.max_per:
            value = min(value, ctx.series[Measure(rule.of)].total(low, high) * rule.max_per / rule.per)
        return value

    value = total_of(first, ctx.as_of)
    not_counted = _not_counted(rule, ctx, first, reasons)
    recent_from = ctx.as_of - timedelta(days=PACE_DAYS - 1)
    unsupervised = ctx.total(rule, first, ctx.as_of) - gross(first, ctx.as_of)
    if unsupervised > EPSILON:
        base = ctx.done[rule.only_in_met]
        recent = ctx.total(rule, _later(recent_from, first), ctx.as_of) - gross(recent_from, ctx.as_of)
        not_counted.append({"reason": _("in {periods} without {each} of {counts}").format(
            periods=periods_plural(base["period"]), each=amount(base["each"], base["period_unit"]),
            counts=base["counts"]), "value": _round(unsupervised), "recent": _round(recent)})
    capped = gross(first, ctx.as_of) - value
    if capped > EPSILON:
        why = (_("over the {amount} of {which} that count").format(
            amount=amount(rule.max_part, measure.unit), which=format_sessions(rule.part_format))
               if rule.max_part is not None else
               _("over {amount} per {per} of {kinds}").format(amount=amount(rule.max_per, "h"),
                                                              per=amount(rule.per, "h"), kinds=kinds_words(rule.of)))
        not_counted.append({"reason": why, "value": _round(capped), "recent": 0.0})
    first_counted = min((day for m in counted_all(rule) if (day := ctx.series[m].first(first, ctx.as_of))),
                        default=None)
    dated = rule.after or rule.from_setting or rule.only_in_met
    return _toward(rule, value, ctx, measure.unit, first, first_counted, total_of, counts=_label(rule),
                   not_counted=not_counted, **({"note": note} if note else {}),
                   **({"counted_from": first.isoformat()} if first and dated else {}))


def _later(day: date | None, other: date | None) -> date | None:
    """The later of two dates, either of which may be missing."""
    return max(day, other) if day and other else (day or other)


def _label(rule: Rule) -> str:
    label = counted(rule).label()
    for kinds, tag in rule.also:
        also = kinds_words(kinds)
        if tag:
            also = _("{kinds} tagged {tag}").format(kinds=also, tag=tag)
        label += _(" (and {kinds})").format(kinds=also)
    if rule.except_tag:
        label = _("{kinds} not tagged {tag}").format(kinds=label, tag=rule.except_tag)
    return label


def _period_bounds(name: str) -> tuple[date, date]:
    """The first and last day of a period named as the contract says (month, week or range)."""
    if ".." in name:
        start, end = name.split("..")
        return date.fromisoformat(start), date.fromisoformat(end)
    if "-W" in name:
        year, week = name.split("-W")
        monday = date.fromisocalendar(int(year), int(week), 1)
        return monday, monday + timedelta(days=6)
    start = date.fromisoformat(name + "-01")
    return start, start + relativedelta(months=1, days=-1)


def clients(rule: Rule, ctx: Context) -> dict:
    """At least ``min`` distinct client codes (a group code counting its members, with ``group_members``)."""
    first, note, _reasons = _start(rule, ctx)
    start = first.isoformat() if first else ""
    recent_from = max(ctx.as_of - timedelta(days=PACE_DAYS - 1), first or date.min).isoformat()
    cap = rule.group_members
    value = recent = 0
    earliest = None
    for client in ctx.clients[counted(rule)].values():
        if client.last >= start:  # seen within the window
            members = min(client.group_size, cap) if cap and client.group_size else 1
            value += members
            recent += members if client.first >= recent_from else 0
            earliest = min(earliest or client.first, max(client.first, start))
    first_counted = date.fromisoformat(earliest) if earliest else None

    def total_of(low: date | None, high: date) -> float:
        return recent if low and low.isoformat() >= recent_from[:10] else value

    return _toward(rule, value, ctx, "clients", first, first_counted, total_of, counts=counted(rule).label(),
                   **({"note": note} if note else {}))


def _periods(rule: Rule, ctx: Context, measure: Series, gate: Series | None) -> list[cal.Period]:
    if rule.period in ("twelve-months", "five-years"):
        anchor_key = rule.anchor or "training_start"
        anchor = ctx.setting_date(anchor_key) or (None if rule.anchor else measure.first(ctx.since, ctx.as_of))
        years = 5 if rule.period == "five-years" else 1
        found = cal.twelve_months(anchor, ctx.as_of, rule.periods, years) if anchor else []
    else:
        first = ctx.since or (gate or measure).first(None, ctx.as_of)
        if first is None:
            return []
        found = (cal.months(first, ctx.as_of) if rule.period == "month"
                 else cal.weeks(first, ctx.as_of, ctx.week_start))
    return [p for p in found if ctx.since is None or p.end >= ctx.since]


def per_period(rule: Rule, ctx: Context) -> dict:
    """At least ``min`` in every month, week, twelve-month or five-year period (or in ``periods`` of them).

    The figure is periods met against periods required; the unfinished current period is due,
    never failing; with ``while``, a period without that kind is listed as not required. Each
    period is held to the version of the rule in force when it began. With ``window`` and
    ``min_window`` (BACP accreditation), the applicant submits the years after the last failing
    period that still leave ``min_window``: older periods are not required.
    """
    measure = counted(rule)
    series = ctx.series[measure]
    gate = ctx.series[Measure((rule.while_kind,), measure="sessions")] if rule.while_kind else None
    failing, skipped, met_count, in_progress, upcoming, first_required = [], [], 0, None, 0, None
    window_start = cal.window_start(ctx.as_of, rule.window) if rule.window else None
    for period in _periods(rule, ctx, series, gate):
        if window_start and period.end < window_start:
            continue
        first = max(period.start, ctx.since) if ctx.since else period.start
        last = min(period.end, ctx.as_of)
        if period.start > ctx.as_of:
            upcoming += 1
            continue  # a period still to come: neither met nor failing
        each = ctx.rule_at(rule, period.start).min
        if gate is not None and not gate.total(first, last):
            if period.end > ctx.as_of:
                continue  # the current period, with nothing to require yet
            reason = no_kind(rule.while_kind) if ctx.active(first, last) else _("no activity")
            skipped.append({"period": period.name, "reason": reason})
            continue
        value = ctx.total(rule, first, last)
        first_required = first_required or period.name
        short = each - value
        if short <= EPSILON:
            met_count += 1
            continue
        entry = {"period": period.name, "value": _round(value), "short": _round(short)}
        if period.end > ctx.as_of:
            in_progress = dict(entry, by=period.end.isoformat())
        else:
            if not ctx.active(first, last):
                entry["note"] = _("no activity")
            failing.append(entry)
    chosen = None
    if rule.min_window and window_start:
        latest_start = cal.window_start(ctx.as_of, rule.min_window)
        old = [p for p in failing if _period_bounds(p["period"])[1] < latest_start]
        if old:
            chosen = _period_bounds(old[-1]["period"])[1] + timedelta(days=1)
            failing = [p for p in failing if p not in old]
            skipped = [s for s in skipped if _period_bounds(s["period"])[0] >= chosen]
            skipped.insert(0, {"period": f"{window_start}..{chosen - timedelta(days=1)}",
                               "reason": _("before the years you submit")})
        chosen = chosen or window_start
    required = rule.periods or met_count + len(failing)
    unit = {"month": "months", "week": "weeks", "five-years": "five-year periods"}.get(rule.period, "periods")
    met = met_count >= required and not (rule.periods is None and failing)
    note = None
    if rule.anchor and ctx.setting_date(rule.anchor) is None:
        met, note = False, _("set `journal config {key} YYYY-MM-DD`: the periods run from that date").format(
            key=rule.anchor)
    return _result(rule, met, met_count, required, unit, failing=failing, each=rule.min,
                   period_unit=measure.unit, counts=_label(rule), period=rule.period,
                   in_progress=in_progress, skipped_periods=skipped, upcoming=upcoming,
                   first_required=first_required, **({"note": note} if note else {}),
                   **({"window_start": chosen.isoformat()} if chosen else {}))


def ratio(rule: Rule, ctx: Context) -> dict:
    """At least ``min`` hours of the rule's kind for every ``per`` hours of ``of``.

    With ``whole_blocks`` the ratio is due per whole block of ``per`` hours (Ohio's "average of
    one hour for every twenty hours"): 19 h of work ask for nothing yet, 20 h for 1 h.
    """
    measure = counted(rule)
    first, note, _reasons = _start(rule, ctx)
    value = ctx.total(rule, first, ctx.as_of)
    base = ctx.series[Measure(rule.of)].total(first, ctx.as_of)
    blocks = math.floor(base / rule.per + EPSILON) if rule.whole_blocks else base / rule.per
    required = blocks * rule.min
    missing = max(0.0, required - value)
    # How much more of ``of`` the supervision logged so far covers, before more is needed.
    covered = (math.floor(value / rule.min + EPSILON) + 1) * rule.per if rule.whole_blocks \
        else value / rule.min * rule.per
    return _result(rule, missing <= EPSILON, value, required, measure.unit, missing=missing,
                   counts=measure.label(), of=_round(base), of_counts=kinds_words(rule.of),
                   each=rule.min, per=rule.per, whole_blocks=rule.whole_blocks,
                   next_due_at=_round(covered) if missing <= EPSILON else None,
                   **({"note": note} if note else {}))


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
                       note=_("no {counts} recorded").format(
                           counts=kinds_words([rule.while_kind]) if rule.while_kind else counted(rule).label()))
    working = [d.toordinal() for d in gate.days(first, last)] if gate else None
    points = [first, *series.days(first, last), last]
    failing, skipped, longest = [], [], 0
    for before, after in zip(points, points[1:]):
        gap = (after - before).days
        if gap > rule.max_days and working is not None and _paused(working, before, after, rule.max_days):
            skipped.append({"period": f"{before}..{after}",
                            "reason": _("a break in {kind}").format(kind=kinds_words([rule.while_kind]))})
            continue
        longest = max(longest, gap)
        if gap > rule.max_days:
            failing.append({"period": f"{before}..{after}", "value": gap, "short": gap - rule.max_days})
    latest = series.last(first, ctx.as_of) or first
    next_by = latest + timedelta(days=rule.max_days)
    return _result(rule, not failing, longest, rule.max_days, "days", failing=failing,
                   counts=counted(rule).label(), skipped_periods=skipped,
                   next_by=next_by.isoformat() if next_by >= ctx.as_of else None)


def _paused(working: list[int], start: date, end: date, limit: int) -> bool:
    """Whether the work days (ordinals) between two dates leave a pause longer than ``limit``."""
    low, high = bisect_left(working, start.toordinal()), bisect_right(working, end.toordinal())
    marks = [start.toordinal(), *working[low:high], end.toordinal()]
    return any(later - earlier > limit for earlier, later in zip(marks, marks[1:]))


def span(rule: Rule, ctx: Context) -> dict:
    """At least ``min_months`` whole months from the first to the last counted session, and with
    ``max_months``, no counted session later than that many months after the first."""
    series = ctx.series[counted(rule)]
    first, last = series.first(ctx.since, ctx.as_of), series.last(ctx.since, ctx.as_of)
    value = cal.full_months(first, last) if first and last else 0
    missing = max(0, rule.min_months - value)
    projected = first + relativedelta(months=rule.min_months) if first and missing else None
    deadline = first + relativedelta(months=rule.max_months, days=-1) if first and rule.max_months else None
    late = series.total(deadline + timedelta(days=1), ctx.as_of) if deadline else 0.0
    failing = ([{"period": f"{deadline + timedelta(days=1)}..{last}", "value": _round(late), "short": _round(late)}]
               if late > EPSILON else [])
    return _result(rule, not missing and not failing, value, rule.max_months or rule.min_months, "months",
                   missing=missing, failing=failing, projected=projected, counts=counted(rule).label(),
                   first=first.isoformat() if first else None, last=last.isoformat() if last else None,
                   min_months=rule.min_months, max_months=rule.max_months,
                   deadline=deadline.isoformat() if deadline else None)


def share(rule: Rule, ctx: Context) -> dict:
    """At most ``max`` percent of the hours in the ``part`` format (e.g. group supervision)."""
    whole = ctx.series[counted(rule)].total(ctx.since, ctx.as_of)
    part = ctx.series[counted(rule, format=rule.part_format)].total(ctx.since, ctx.as_of)
    value = 100 * part / whole if whole else 0.0
    # Hours of the other format that would bring the part down to the maximum.
    needed = max(0.0, part * 100 / rule.max - whole) if rule.max else 0.0
    return _result(rule, value <= rule.max + EPSILON, value, rule.max, "%",
                   counts=counted(rule, format=rule.part_format).label(), of=_round(whole),
                   missing=needed if needed > EPSILON else None,
                   other_format="individual" if rule.part_format == "group" else "group")


class _Week:
    """One week's figures for California's rules."""

    __slots__ = ("name", "start", "end", "direct", "credited_direct", "credited_other", "units", "needed")

    def __init__(self, name: str, start: date, end: date, direct: float, credited_direct: float,
                 credited_other: float, units: float, needed: float):
        self.name, self.start, self.end, self.direct = name, start, end, direct
        self.credited_direct, self.credited_other, self.units, self.needed = credited_direct, credited_other, units, needed


def _weeks(rule: Rule, ctx: Context, start: date | None) -> list[_Week]:
    """Each week with counselling or supervision since ``start``, with what it credits (worked out once
    for all the rules that count weeks alike)."""
    key = (rule.kind, rule.supervision_kind, rule.unit_hours, rule.min_units, rule.extra_unit_over,
           rule.individual_up_to, rule.max_group, rule.exclude_peer, rule.non_clinical, rule.week_max,
           rule.supervision_week_max, start)
    if key not in ctx.weeks:
        ctx.weeks[key] = _count_weeks(rule, ctx, start)
    return ctx.weeks[key]


def _count_weeks(rule: Rule, ctx: Context, start: date | None) -> list[_Week]:
    """Each week with counselling or supervision since ``start``, with what it credits.

    A week credits its hours only when its supervision units are enough (one more when direct
    counselling tops ``extra_unit_over``); supervision and the other ``non_clinical`` kinds are
    credited as non-clinical experience (supervision at most ``supervision_week_max`` a week), and
    at most ``week_max`` hours in all, direct counselling first.
    """
    counselling = ctx.series[direct(rule)]
    individual, group = (ctx.series[m] for m in supervision_measures(rule))
    supervision = ctx.series[Measure((rule.supervision_kind,), exclude_peer=rule.exclude_peer,
                                     max_group=rule.max_group)]
    others = [ctx.series[Measure((kind,))] for kind in rule.non_clinical if kind != rule.supervision_kind]
    firsts = [d for d in (counselling.first(start, ctx.as_of), supervision.first(start, ctx.as_of)) if d]
    if not firsts:
        return []
    weeks = cal.weeks(min(firsts), ctx.as_of, ctx.week_start)
    ranges = [((max(week.start, start) if start else week.start).isoformat(), week.end.isoformat()) for week in weeks]
    # Each week's figures, series by series.
    every_hours, every_supervised, every_individual, every_group = (
        series.totals(ranges) for series in (counselling, supervision, individual, group))
    every_other = [sum(figures) for figures in zip(*(series.totals(ranges) for series in others))] or [0.0] * len(weeks)
    found = []
    for week, hours, supervised, alone, together, other_kinds in zip(
            weeks, every_hours, every_supervised, every_individual, every_group, every_other):
        if not hours and not supervised:
            continue
        units = alone / rule.unit_hours[0] + together / rule.unit_hours[1]
        needed = rule.min_units + (1 if rule.extra_unit_over is not None and hours > rule.extra_unit_over else 0)
        credited_direct = credited_other = 0.0
        if units + EPSILON >= needed:
            cap = rule.week_max if rule.week_max is not None else math.inf
            credited_direct = min(hours, cap)
            other = 0.0
            if rule.supervision_kind in rule.non_clinical:
                other += min(supervised, rule.supervision_week_max or math.inf)
            other += other_kinds
            credited_other = min(other, cap - credited_direct)
        found.append(_Week(week.name, week.start, week.end, hours, credited_direct, credited_other, units, needed))
    return found


def weekly_units(rule: Rule, ctx: Context) -> dict:
    """California: a week credits its experience only when its supervision units are enough.

    ``counts`` says what the rule adds up: ``experience`` (direct counselling and non-clinical
    experience, the latter at most ``non_clinical_max`` in all), ``direct`` (counselling only) or
    ``weeks`` (weeks with enough supervision).
    """
    first, note, _reasons = _start(rule, ctx)
    weeks = _weeks(rule, ctx, first)
    recent_from = ctx.as_of - timedelta(days=PACE_DAYS - 1)
    failing, in_progress = [], None
    for week in weeks:
        if week.units + EPSILON >= week.needed:
            continue
        entry = {"period": week.name, "value": _round(week.units), "short": _round(week.needed - week.units),
                 "hours_not_counted": _round(week.direct)}
        if week.end > ctx.as_of:
            in_progress = dict(entry, by=week.end.isoformat())
        else:
            failing.append(entry)

    def total_of(low: date | None, high: date) -> float:
        chosen = [w for w in weeks if low is None or w.start >= low - timedelta(days=6)]
        if rule.counts == "weeks":
            return float(sum(1 for w in chosen if w.units + EPSILON >= w.needed))
        if rule.counts == "direct":
            return sum(w.credited_direct for w in chosen)
        other = sum(w.credited_other for w in chosen)
        cap = rule.non_clinical_max if rule.non_clinical_max is not None else math.inf
        return sum(w.credited_direct for w in chosen) + min(other, cap)

    value = total_of(None, ctx.as_of)
    unit = "weeks" if rule.counts == "weeks" else "h"
    lost = sum(w.direct for w in weeks if w.units + EPSILON < w.needed)
    lost_recent = sum(w.direct for w in weeks if w.units + EPSILON < w.needed
                      and w.start >= recent_from - timedelta(days=6))
    not_counted = ([{"reason": _("in weeks without enough supervision units"), "value": _round(lost),
                     "recent": _round(lost_recent)}] if lost > EPSILON and rule.counts != "weeks" else [])
    counted_weeks = [w for w in weeks if w.credited_direct or w.credited_other]
    first_counted = counted_weeks[0].start if counted_weeks else None
    label = _(WEEKLY_COUNTS_WORDS.get(rule.counts, WEEKLY_COUNTS_WORDS["experience"]))
    return _toward(rule, value, ctx, unit, first, first_counted, total_of, failing=failing, counts=label,
                   period_unit="units", in_progress=in_progress, not_counted=not_counted, adds_up=rule.counts,
                   **({"note": note} if note else {}))


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
