"""Check results in plain language: each rule's status, its figure, and what is due by when and why.

:func:`add_texts` gives every result of the engine its ``status`` (``met``, ``due`` or ``not
met``), a one-line ``summary`` and its ``details`` (failing periods, what would meet it and by
when, what did not count and why), so that `journal check`, the printed statement and the
supervisor report say the same thing in the same words. :func:`describe_report` lays a report
out for the terminal.
"""

from __future__ import annotations

from datetime import date
from itertools import groupby

from journal.i18n import N_, _, language, month_name, ngettext

INDENT = " " * 11
LIST_LIMIT = 12  # longer lists of periods are collapsed
# Each unit in the singular and the plural (French takes the singular below 2: "1,5 séance").
UNITS = {"clients": (N_("client"), N_("clients")), "sessions": (N_("session"), N_("sessions")),
         "months": (N_("month"), N_("months")), "weeks": (N_("week"), N_("weeks")),
         "days": (N_("day"), N_("days")), "units": (N_("unit"), N_("units")),
         "periods": (N_("period"), N_("periods")),
         "five-year periods": (N_("five-year period"), N_("five-year periods"))}
PERIOD_WORDS = {"month": (N_("calendar month"), N_("calendar months")), "week": (N_("week"), N_("weeks")),
                "twelve-months": (N_("twelve-month period"), N_("twelve-month periods")),
                "five-years": (N_("five-year period"), N_("five-year periods"))}
STATUS_WORDS = {"met": N_("all met"), "due": N_("met so far, with something due"), "not met": N_("NOT MET"),
                "empty": N_("nothing to check yet")}
RULE_STATUS = {"met": N_("met"), "due": N_("due"), "not met": N_("NOT MET")}
NARROW_SPACE = "\u202f"  # French thousands separator, as Babel writes it


def num(value: float | int | None) -> str:
    """``1.5`` -> ``1.5``, ``2.0`` -> ``2``, ``2500`` -> ``2,500`` (French: ``1,5``, ``2 500``)."""
    if value is None:
        return "?"
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    if language() == "fr":
        return text.replace(",", NARROW_SPACE).replace(".", ",")
    return text


def _singular(value: float | None) -> bool:
    if value is None:
        return False
    return abs(value) < 2 if language() == "fr" else num(value) == "1"


def unit_words(value: float | None, unit: str) -> str:
    """The unit's word for ``value``: ``client`` / ``clients``; an unknown unit (``h``) unchanged."""
    words = UNITS.get(unit)
    if words is None:
        return unit
    return _(words[0] if _singular(value) else words[1])


def amount(value: float | None, unit: str) -> str:
    """``1.5 h``, ``1 client``, ``3 clients``, ``40%``."""
    if unit == "%":
        return f"{num(value)}%"
    return f"{num(value)} {unit_words(value, unit)}"


def period_words(count: float | None, period: str) -> str:
    """``calendar month`` or, for ``count`` of them, ``calendar months``."""
    words = PERIOD_WORDS[period]
    return _(words[0] if count is None or _singular(count) else words[1])


def day_words(iso: str, as_of: date) -> str:
    """``30 November`` (this year) or ``30 November 2027``."""
    day = date.fromisoformat(iso)
    return f"{day.day} {month_name(day.month)}" + ("" if day.year == as_of.year else f" {day.year}")


def report_status(results: list[dict], logged: bool) -> str:
    """A profile's status: ``empty`` before anything is logged, else ``not met``, ``due`` or ``met``."""
    if not logged:
        return "empty"
    if not all(r["met"] for r in results):
        return "not met"
    return "due" if any(r["status"] == "due" for r in results) else "met"


def add_texts(result: dict, as_of: date) -> dict:
    """The result with its ``status``, ``summary`` and ``details`` in plain language."""
    due = result.get("in_progress") if result["type"] == "per_period" else None
    result["status"] = "not met" if not result["met"] else ("due" if due else "met")
    result["summary"] = SUMMARIES[result["type"]](result)
    result["details"] = DETAILS[result["type"]](result, as_of)
    return result


def describe_report(report: dict) -> str:
    """A report as the terminal shows it."""
    as_of = date.fromisoformat(report["as_of"])
    lines = [
        _("{title} ({profile}), as of {as_of}: {status}").format(
            title=_(report["title"]), profile=report["profile"], as_of=report["as_of"],
            status=_(STATUS_WORDS[report["status"]])),
        _("Source: {source} (checked {checked})").format(source=report["source"], checked=report["checked"]),
    ]
    if report.get("version"):
        lines.append(_("Rules in force since {date}.").format(date=report["version"]))
    if report.get("since"):
        lines.append(_("Counting sessions from {date}.").format(date=report["since"]))
    if report["status"] == "empty":
        lines.append("")
        lines.append(_("Nothing is logged up to {date}, so there is nothing to check yet: log a session with "
                       "`journal log`, then check again.").format(date=day_words(report["as_of"], as_of)))
        return "\n".join(lines)
    width = max(8, *(len(_(word)) for word in RULE_STATUS.values()))
    for rule in report["rules"]:
        lines.append("")
        lines.append(f"  {_(RULE_STATUS[rule['status']]):<{width}} {_(rule['title'])}")
        lines.extend(INDENT + line for line in [rule["summary"], *rule["details"]])
    lines.append("")
    lines.append(verdict(report["rules"]))
    return "\n".join(lines)


def verdict(results: list[dict]) -> str:
    """The closing sentence over a profile's results: how many are not met, or due, or that all are met."""
    unmet = sum(r["status"] == "not met" for r in results)
    due = sum(r["status"] == "due" for r in results)
    count = len(results)
    if unmet:
        return ngettext("{unmet} of {count} rule not met.", "{unmet} of {count} rules not met.",
                        count).format(unmet=unmet, count=count)
    if due:
        return ngettext("No rule has failed; {due} rule has something due by the end of the current period.",
                        "No rule has failed; {due} rules have something due by the end of the current period.",
                        due).format(due=due)
    return ngettext("The rule is met.", "All {count} rules are met.", count).format(count=count)


def _not_counted(rule: dict) -> list[str]:
    return [_("{amount} not counted: {reason}").format(
        amount=amount(item["value"], rule["unit"] if rule["unit"] != "weeks" else "h"), reason=item["reason"])
        for item in rule.get("not_counted") or []]


# The collapsed rest of a long list, by what it lists: "... and 3 more short months, the last: ...".
MORE = {"gaps": N_("... and {count} more gaps, the last: {last}"),
        "periods": N_("... and {count} more periods, the last: {last}"),
        "short weeks": N_("... and {count} more short weeks, the last: {last}"),
        "short months": N_("... and {count} more short months, the last: {last}"),
        "short periods": N_("... and {count} more short periods, the last: {last}")}


def _collapse(items: list[str], unit: str = "periods") -> list[str]:
    """At most ``LIST_LIMIT`` lines: the first ones, then how many more."""
    if len(items) <= LIST_LIMIT:
        return items
    shown = LIST_LIMIT - 2
    return [*items[:shown], _(MORE[unit]).format(count=len(items) - shown, last=items[-1])]


def _failing(rule: dict) -> list[str]:
    failing = rule["failing_periods"]
    if rule["type"] == "weekly_units" and rule.get("adds_up") != "experience" and len(failing) > 1:
        # The same weeks are listed one by one under the experience rule.
        return [_("{count} weeks without enough supervision units, {first} to {last}").format(
            count=len(failing), first=failing[0]["period"], last=failing[-1]["period"])]
    out = []
    for entry in rule["failing_periods"]:
        period, value, short = entry["period"], entry["value"], entry["short"]
        if rule["type"] == "max_gap":
            out.append(_("{period}: {value} without {counts}, {short} too long").format(
                period=period, value=amount(value, "days"), counts=rule["counts"], short=amount(short, "days")))
        elif rule["type"] == "weekly_units":
            out.append(_("{period}: {value} of supervision, {short} short; {hours} of counselling not counted").format(
                period=period, value=amount(value, "units"), short=amount(short, "units"),
                hours=amount(entry["hours_not_counted"], "h")))
        elif rule["type"] == "span":
            out.append(_("{value} of {counts} in {period}, after the {months} months").format(
                value=amount(value, "h"), counts=rule["counts"], period=period, months=rule["max_months"]))
        else:
            unit = rule.get("period_unit", "h")
            text = _("{period}: {value} of {counts}, {short} short").format(
                period=period, value=amount(value, unit), counts=rule["counts"], short=amount(short, unit))
            out.append(text + (_(" (no activity at all)") if entry.get("note") else ""))
    unit = {"month": "months", "week": "weeks"}.get(rule.get("period"), "periods")
    return _collapse(out, {"max_gap": "gaps", "span": "periods", "weekly_units": "short weeks"}.get(
        rule["type"], f"short {unit}"))


def _run_words(count: int, period: str | None) -> str:
    """``3 months``, ``1 week``, ``2 periods``."""
    return amount(count, {"month": "months", "week": "weeks"}.get(period, "periods"))


def _skipped(rule: dict) -> list[str]:
    """Periods not required, runs of them with the same reason collapsed into one line."""
    first_required = rule.get("first_required")
    if rule["type"] == "max_gap":  # stretches between sessions, not consecutive periods
        return _collapse([_("{period}: not required ({reason})").format(period=s["period"], reason=s["reason"])
                          for s in rule.get("skipped_periods") or []])
    lines = []
    for index, (reason, items) in enumerate(groupby(rule.get("skipped_periods") or [], key=lambda s: s["reason"])):
        items = list(items)
        run = [item["period"] for item in items]
        before = _kind_missing(reason)
        if len(run) == 1:
            lines.append(_("{period}: not required ({reason})").format(period=run[0], reason=reason))
        elif index == 0 and before and (first_required is None or run[-1] < first_required):
            lines.append(_("{count} before {kind} began ({first} to {last}): not required").format(
                count=_run_words(len(run), rule.get("period")), kind=before, first=run[0], last=run[-1]))
        else:
            lines.append(_("{first} to {last} ({count}): not required ({reason})").format(
                first=run[0], last=run[-1], count=_run_words(len(run), rule.get("period")), reason=reason))
    return _collapse(lines)


def _progress(rule: dict) -> str:
    unit = rule["unit"]
    if unit == "weeks":
        head = _("{value} with enough supervision").format(value=amount(rule["value"], unit))
    elif unit == "clients":
        head = amount(rule["value"], unit)
    else:
        head = _("{value} of {counts}").format(value=amount(rule["value"], unit), counts=rule["counts"])
    if rule["threshold"] is None:
        return _("{head} (recorded; no minimum)").format(head=head)
    text = _("{head} (at least {threshold})").format(head=head, threshold=amount(rule["threshold"], unit))
    if rule["met"]:
        return text
    text += _("; {missing} still missing").format(missing=amount(rule["missing"], unit))
    if rule.get("pace"):
        text += _("; pace {pace} a week over the last 90 days").format(pace=amount(rule["pace"], unit))
        if rule.get("projected"):
            return text + _(", reaching it on {date}").format(date=rule["projected"])
        return text + (f"; {rule['projection_note']}" if rule.get("projection_note") else "")
    recent = [item for item in rule.get("not_counted") or [] if item.get("recent")]
    if recent:
        return text + _("; nothing counted in the last 90 days: {reasons}").format(reasons="; ".join(
            f"{amount(item['recent'], 'h')} {item['reason']}" for item in recent))
    return text + _("; nothing logged in the last 90 days, so no projected date")


def _note(rule: dict) -> list[str]:
    return [_("note: {note}").format(note=rule["note"])] if rule.get("note") else []


def _progress_details(rule: dict, as_of: date) -> list[str]:
    lines = _note(rule)
    if rule.get("counted_from"):
        lines.append(_("counting from {date}").format(date=rule["counted_from"]))
    lines.extend(_not_counted(rule))
    lines.extend(_failing(rule))
    entry = rule.get("in_progress")
    if entry:
        lines.append(_("{period} (this week): {value} of supervision so far, {short} more needed by {day} for its "
                       "{hours} of counselling to count").format(
            period=entry["period"], value=amount(entry["value"], "units"), short=amount(entry["short"], "units"),
            day=day_words(entry["by"], as_of), hours=amount(entry["hours_not_counted"], "h")))
    return lines


def _per_period(rule: dict) -> str:
    each = _("(at least {each} of {counts} each {period})").format(
        each=amount(rule["each"], rule["period_unit"]), counts=rule["counts"], period=period_words(1, rule["period"]))
    if not rule["threshold"]:
        return _("no {period} to check yet {each}").format(period=period_words(1, rule["period"]), each=each)
    return _("{value} of {threshold} met {each}").format(
        value=num(rule["value"]), threshold=amount(rule["threshold"], rule["unit"]), each=each)


def _per_period_details(rule: dict, as_of: date) -> list[str]:
    lines = _note(rule)
    if rule.get("window_start"):
        lines.append(_("counting the years from {date}").format(date=rule["window_start"]))
    lines.extend(_failing(rule))
    entry = rule.get("in_progress")
    unit = rule.get("period_unit", "h")
    if entry:
        lines.append(_("{period}: {value} of {counts} so far, {short} more needed by {day}").format(
            period=entry["period"], value=amount(entry["value"], unit), counts=rule["counts"],
            short=amount(entry["short"], unit), day=day_words(entry["by"], as_of)))
    if rule.get("upcoming"):
        lines.append(_("{count} more {periods} to come").format(
            count=rule["upcoming"], periods=period_words(rule["upcoming"], rule["period"])))
    lines.extend(_skipped(rule))
    return lines


def _ratio(rule: dict) -> str:
    words = (_("{value} of {counts} against {threshold} needed for {of} of {of_counts} ({each} for each whole {per})")
             if rule.get("whole_blocks") else
             _("{value} of {counts} against {threshold} needed for {of} of {of_counts} ({each} for every {per})"))
    return words.format(value=amount(rule["value"], rule["unit"]), counts=rule["counts"],
                        threshold=amount(rule["threshold"], rule["unit"]), of=amount(rule["of"], "h"),
                        of_counts=rule["of_counts"], each=amount(rule["each"], "h"), per=amount(rule["per"], "h"))


def _ratio_details(rule: dict, as_of: date) -> list[str]:
    lines = _note(rule)
    if not rule["met"]:
        lines.append(_("{missing} more {counts} needed now, before more {of_counts}").format(
            missing=amount(rule["missing"], rule["unit"]), counts=rule["counts"], of_counts=rule["of_counts"]))
    elif rule.get("whole_blocks"):
        lines.append(_("the next {each} of {counts} is due when {of_counts} reaches {at}").format(
            each=amount(rule["each"], rule["unit"]), counts=rule["counts"], of_counts=rule["of_counts"],
            at=amount(rule["next_due_at"], "h")))
    elif rule.get("next_due_at") is not None:
        lines.append(_("enough {counts} for {at} of {of_counts}; more is needed beyond that").format(
            counts=rule["counts"], at=amount(rule["next_due_at"], "h"), of_counts=rule["of_counts"]))
    return lines


def _max_gap(rule: dict) -> str:
    return _("longest gap between {counts} sessions: {value} (at most {threshold})").format(
        counts=rule["counts"], value=amount(rule["value"], "days"), threshold=amount(rule["threshold"], "days"))


def _max_gap_details(rule: dict, as_of: date) -> list[str]:
    lines = _note(rule)
    lines.extend(_failing(rule))
    if rule.get("next_by"):
        lines.append(_("next {counts} due by {day}").format(counts=rule["counts"],
                                                              day=day_words(rule["next_by"], as_of)))
    lines.extend(_skipped(rule))
    return lines


def _span(rule: dict) -> str:
    if rule.get("max_months") and not rule.get("min_months"):
        text = _("{value} of {counts} (at most {limit})").format(
            value=amount(rule["value"], "months"), counts=rule["counts"], limit=amount(rule["max_months"], "months"))
    else:
        text = _("{value} of {counts} (at least {limit})").format(
            value=amount(rule["value"], "months"), counts=rule["counts"], limit=amount(rule["min_months"], "months"))
    return text + (_(" since {date}").format(date=rule["first"]) if rule.get("first") else "")


def _span_details(rule: dict, as_of: date) -> list[str]:
    lines = []
    if rule.get("projected"):
        lines.append(_("reached on {date} if you keep going").format(date=rule["projected"]))
    if rule.get("deadline"):
        lines.append(_("to be complete by {day}").format(day=day_words(rule["deadline"], as_of)))
    lines.extend(_failing(rule))
    return lines


def _share(rule: dict) -> str:
    return _("{value}% of {of} is {counts} (at most {threshold}%)").format(
        value=num(rule["value"]), of=amount(rule["of"], "h"), counts=rule["counts"], threshold=num(rule["threshold"]))


# Sessions of a format: the other format's would bring a share down; a cap counts so many of one.
OTHER_SESSIONS = {"individual": N_("individual sessions"), "group": N_("group sessions")}


def format_sessions(format: str) -> str:
    """``group sessions`` / ``séances de groupe``."""
    return _(OTHER_SESSIONS[format]) if format in OTHER_SESSIONS else f"{format} sessions"


def _share_details(rule: dict, as_of: date) -> list[str]:
    if rule["met"] or not rule.get("missing"):
        return []
    sessions = format_sessions(rule["other_format"])
    return [_("{missing} more {which} would bring it down to {threshold}%").format(
        missing=amount(rule["missing"], "h"), which=sessions, threshold=num(rule["threshold"]))]


SUMMARIES = {
    "total": _progress, "clients": _progress, "weekly_units": _progress, "per_period": _per_period,
    "ratio": _ratio, "max_gap": _max_gap, "span": _span, "share": _share,
}
DETAILS = {
    "total": _progress_details, "clients": _progress_details, "weekly_units": _progress_details,
    "per_period": _per_period_details, "ratio": _ratio_details, "max_gap": _max_gap_details,
    "span": _span_details, "share": _share_details,
}


# The engine's words for what a rule counts and why hours were left out -------------------------------

FORMAT_PHRASES = {"individual": N_("individual {kinds}"), "group": N_("group {kinds}"), "peer": N_("peer {kinds}"),
                  "couple": N_("couple {kinds}"), "family": N_("family {kinds}")}
SETTING_EVENTS = {"training_start": N_("training started"), "qualified_on": N_("qualifying")}
WEEKLY_COUNTS_WORDS = {"weeks": N_("weeks with enough supervision"), "direct": N_("direct counselling"),
                       "experience": N_("experience (counselling, supervision and other non-clinical hours)")}
PERIODS_PLURAL = {"month": N_("months"), "week": N_("weeks"), "twelve-months": N_("twelve-month periods"),
                  "five-years": N_("five-year periods")}


def kinds_words(kinds) -> str:
    """``practice and supervision`` / ``pratique et supervision``."""
    from journal.kinds import kind_word

    return _(" and ").join(kind_word(kind) for kind in kinds)


def measure_words(kinds, paid: bool | None = None, format: str | None = None, tag: str | None = None) -> str:
    """``group supervision``, ``paid practice``, ``practice tagged emdr``, in the active language."""
    text = kinds_words(kinds)
    if paid is not None:
        text = (_("paid {kinds}") if paid else _("pro bono {kinds}")).format(kinds=text)
    if format:
        text = _(FORMAT_PHRASES[format]).format(kinds=text) if format in FORMAT_PHRASES else f"{format} {text}"
    if tag:
        text = _("{kinds} tagged {tag}").format(kinds=text, tag=tag)
    return text


def reason_words(text: str) -> str:
    """A reason a session does not count (kept in English in the engine's SQL), in the active language."""
    import re

    bigger = re.fullmatch(r"a group of more than (\d+)", text)
    if bigger:
        return _("a group of more than {count}").format(count=bigger.group(1))
    return _(text)


def setting_reason(after: bool, day: str, key: str) -> str:
    """``on or before 2025-09-01 (training started)``: hours a date setting leaves out."""
    words = _("on or before {date} ({event})") if after else _("before {date} ({event})")
    return words.format(date=day, event=_(SETTING_EVENTS[key]))


def no_kind(kind: str) -> str:
    """``no practice``: why a period is not required (the kind it needs was not worked)."""
    return _("no {kind}").format(kind=kinds_words([kind]))


def _kind_missing(reason: str) -> str | None:
    """The kind's words when ``reason`` is :func:`no_kind`'s (``practice`` for ``no practice``)."""
    from journal.kinds import SESSION_KINDS

    return next((kinds_words([kind]) for kind in SESSION_KINDS if reason == no_kind(kind)), None)


def periods_plural(period: str) -> str:
    return _(PERIODS_PLURAL[period]) if period in PERIODS_PLURAL else period + "s"
