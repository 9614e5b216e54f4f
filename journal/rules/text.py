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

INDENT = " " * 11
LIST_LIMIT = 12  # longer lists of periods are collapsed
SINGULAR = {"clients": "client", "sessions": "session", "months": "month", "weeks": "week", "days": "day",
            "units": "unit", "periods": "period", "five-year periods": "five-year period"}
PERIOD_WORDS = {"month": "calendar month", "week": "week", "twelve-months": "twelve-month period",
                "five-years": "five-year period"}
STATUS_WORDS = {"met": "all met", "due": "met so far, with something due", "not met": "NOT MET",
                "empty": "nothing to check yet"}


def num(value: float | int | None) -> str:
    """``1.5`` -> ``1.5``, ``2.0`` -> ``2``, ``2500`` -> ``2,500``."""
    if value is None:
        return "?"
    text = f"{value:,.2f}"
    return text.rstrip("0").rstrip(".")


def amount(value: float | None, unit: str) -> str:
    """``1.5 h``, ``1 client``, ``3 clients``, ``40%``."""
    if unit == "%":
        return f"{num(value)}%"
    return f"{num(value)} {SINGULAR.get(unit, unit) if num(value) == '1' else unit}"


def day_words(iso: str, as_of: date) -> str:
    """``30 November`` (this year) or ``30 November 2027``."""
    day = date.fromisoformat(iso)
    return f"{day.day} {day:%B}" + ("" if day.year == as_of.year else f" {day.year}")


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
        f"{report['title']} ({report['profile']}), as of {report['as_of']}: {STATUS_WORDS[report['status']]}",
        f"Source: {report['source']} (checked {report['checked']})",
    ]
    if report.get("version"):
        lines.append(f"Rules in force since {report['version']}.")
    if report.get("since"):
        lines.append(f"Counting sessions from {report['since']}.")
    if report["status"] == "empty":
        lines.append("")
        lines.append(f"Nothing is logged up to {day_words(report['as_of'], as_of)}, so there is nothing to check "
                     "yet: log a session with `journal log`, then check again.")
        return "\n".join(lines)
    for rule in report["rules"]:
        lines.append("")
        lines.append(f"  {rule['status'] if rule['status'] != 'not met' else 'NOT MET':<8} {rule['title']}")
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
        return f"{unmet} of {count} {_plural(count, 'rule')} not met."
    if due:
        return (f"No rule has failed; {due} {_plural(due, 'rule')} {'has' if due == 1 else 'have'} "
                "something due by the end of the current period.")
    return f"{'The rule is' if count == 1 else f'All {count} rules are'} met."


def _plural(count: int, word: str) -> str:
    return word if count == 1 else word + "s"


def _not_counted(rule: dict) -> list[str]:
    return [f"{amount(item['value'], rule['unit'] if rule['unit'] != 'weeks' else 'h')} not counted: "
            f"{item['reason']}" for item in rule.get("not_counted") or []]


def _collapse(items: list[str], unit: str = "periods") -> list[str]:
    """At most ``LIST_LIMIT`` lines: the first ones, then how many more."""
    if len(items) <= LIST_LIMIT:
        return items
    shown = LIST_LIMIT - 2
    return [*items[:shown], f"... and {len(items) - shown} more {unit}, the last: {items[-1]}"]


def _failing(rule: dict) -> list[str]:
    failing = rule["failing_periods"]
    if rule["type"] == "weekly_units" and rule.get("adds_up") != "experience" and len(failing) > 1:
        # The same weeks are listed one by one under the experience rule.
        return [f"{len(failing)} weeks without enough supervision units, {failing[0]['period']} to "
                f"{failing[-1]['period']}"]
    out = []
    for entry in rule["failing_periods"]:
        period, value, short = entry["period"], entry["value"], entry["short"]
        if rule["type"] == "max_gap":
            out.append(f"{period}: {amount(value, 'days')} without {rule['counts']}, {amount(short, 'days')} too long")
        elif rule["type"] == "weekly_units":
            out.append(f"{period}: {amount(value, 'units')} of supervision, {amount(short, 'units')} short; "
                       f"{amount(entry['hours_not_counted'], 'h')} of counselling not counted")
        elif rule["type"] == "span":
            out.append(f"{amount(value, 'h')} of {rule['counts']} in {period}, after the {rule['max_months']} months")
        else:
            unit = rule.get("period_unit", "h")
            text = f"{period}: {amount(value, unit)} of {rule['counts']}, {amount(short, unit)} short"
            out.append(text + (" (no activity at all)" if entry.get("note") else ""))
    unit = {"month": "months", "week": "weeks"}.get(rule.get("period"), "periods")
    return _collapse(out, {"max_gap": "gaps", "span": "periods", "weekly_units": "short weeks"}.get(
        rule["type"], f"short {unit}"))


def _skipped(rule: dict) -> list[str]:
    """Periods not required, runs of them with the same reason collapsed into one line."""
    unit = {"month": "months", "week": "weeks"}.get(rule.get("period"), "periods")
    first_required = rule.get("first_required")
    if rule["type"] == "max_gap":  # stretches between sessions, not consecutive periods
        return _collapse([f"{s['period']}: not required ({s['reason']})" for s in rule.get("skipped_periods") or []])
    lines = []
    for index, (reason, items) in enumerate(groupby(rule.get("skipped_periods") or [], key=lambda s: s["reason"])):
        run = [item["period"] for item in items]
        if len(run) == 1:
            lines.append(f"{run[0]}: not required ({reason})")
        elif index == 0 and reason.startswith("no ") and (first_required is None or run[-1] < first_required):
            lines.append(f"{len(run)} {unit} before {reason[3:]} began ({run[0]} to {run[-1]}): not required")
        else:
            lines.append(f"{run[0]} to {run[-1]} ({len(run)} {unit}): not required ({reason})")
    return _collapse(lines)


def _progress(rule: dict) -> str:
    unit = rule["unit"]
    head = amount(rule["value"], unit) if unit in ("clients", "weeks") else f"{amount(rule['value'], unit)} of {rule['counts']}"
    if unit == "weeks":
        head += " " + rule["counts"].removeprefix("weeks ")
    if rule["threshold"] is None:
        return f"{head} (recorded; no minimum)"
    text = f"{head} (at least {amount(rule['threshold'], unit)})"
    if rule["met"]:
        return text
    text += f"; {amount(rule['missing'], unit)} still missing"
    if rule.get("pace"):
        text += f"; pace {amount(rule['pace'], unit)} a week over the last 90 days"
        if rule.get("projected"):
            return text + f", reaching it on {rule['projected']}"
        return text + (f"; {rule['projection_note']}" if rule.get("projection_note") else "")
    recent = [item for item in rule.get("not_counted") or [] if item.get("recent")]
    if recent:
        return text + "; nothing counted in the last 90 days: " + "; ".join(
            f"{amount(item['recent'], 'h')} {item['reason']}" for item in recent)
    return text + "; nothing logged in the last 90 days, so no projected date"


def _progress_details(rule: dict, as_of: date) -> list[str]:
    lines = [f"note: {rule['note']}"] if rule.get("note") else []
    if rule.get("counted_from"):
        lines.append(f"counting from {rule['counted_from']}")
    lines.extend(_not_counted(rule))
    lines.extend(_failing(rule))
    entry = rule.get("in_progress")
    if entry:
        lines.append(f"{entry['period']} (this week): {amount(entry['value'], 'units')} of supervision so far, "
                     f"{amount(entry['short'], 'units')} more needed by {day_words(entry['by'], as_of)} for its "
                     f"{amount(entry['hours_not_counted'], 'h')} of counselling to count")
    return lines


def _per_period(rule: dict) -> str:
    period = PERIOD_WORDS[rule["period"]]
    each = f"(at least {amount(rule['each'], rule['period_unit'])} of {rule['counts']} each {period})"
    if not rule["threshold"]:
        return f"no {period} to check yet {each}"
    return f"{num(rule['value'])} of {amount(rule['threshold'], rule['unit'])} met {each}"


def _per_period_details(rule: dict, as_of: date) -> list[str]:
    lines = [f"note: {rule['note']}"] if rule.get("note") else []
    if rule.get("window_start"):
        lines.append(f"counting the years from {rule['window_start']}")
    lines.extend(_failing(rule))
    entry = rule.get("in_progress")
    unit = rule.get("period_unit", "h")
    if entry:
        lines.append(f"{entry['period']}: {amount(entry['value'], unit)} of {rule['counts']} so far, "
                     f"{amount(entry['short'], unit)} more needed by {day_words(entry['by'], as_of)}")
    if rule.get("upcoming"):
        word = PERIOD_WORDS[rule["period"]]
        lines.append(f"{rule['upcoming']} more {_plural(rule['upcoming'], word)} to come")
    lines.extend(_skipped(rule))
    return lines


def _ratio(rule: dict) -> str:
    blocks = "each whole " if rule.get("whole_blocks") else "every "
    return (f"{amount(rule['value'], rule['unit'])} of {rule['counts']} against "
            f"{amount(rule['threshold'], rule['unit'])} needed for {amount(rule['of'], 'h')} of "
            f"{rule['of_counts']} ({amount(rule['each'], 'h')} for {blocks}{amount(rule['per'], 'h')})")


def _ratio_details(rule: dict, as_of: date) -> list[str]:
    lines = [f"note: {rule['note']}"] if rule.get("note") else []
    if not rule["met"]:
        lines.append(f"{amount(rule['missing'], rule['unit'])} more {rule['counts']} needed now, "
                     f"before more {rule['of_counts']}")
    elif rule.get("whole_blocks"):
        lines.append(f"the next {amount(rule['each'], rule['unit'])} of {rule['counts']} is due when "
                     f"{rule['of_counts']} reaches {amount(rule['next_due_at'], 'h')}")
    elif rule.get("next_due_at") is not None:
        lines.append(f"enough {rule['counts']} for {amount(rule['next_due_at'], 'h')} of {rule['of_counts']}; "
                     f"more is needed beyond that")
    return lines


def _max_gap(rule: dict) -> str:
    return (f"longest gap between {rule['counts']} sessions: {amount(rule['value'], 'days')} "
            f"(at most {amount(rule['threshold'], 'days')})")


def _max_gap_details(rule: dict, as_of: date) -> list[str]:
    lines = [f"note: {rule['note']}"] if rule.get("note") else []
    lines.extend(_failing(rule))
    if rule.get("next_by"):
        lines.append(f"next {rule['counts']} due by {day_words(rule['next_by'], as_of)}")
    lines.extend(_skipped(rule))
    return lines


def _span(rule: dict) -> str:
    if rule.get("max_months") and not rule.get("min_months"):
        text = f"{amount(rule['value'], 'months')} of {rule['counts']} (at most {amount(rule['max_months'], 'months')})"
    else:
        text = f"{amount(rule['value'], 'months')} of {rule['counts']} (at least {amount(rule['min_months'], 'months')})"
    return text + (f" since {rule['first']}" if rule.get("first") else "")


def _span_details(rule: dict, as_of: date) -> list[str]:
    lines = []
    if rule.get("projected"):
        lines.append(f"reached on {rule['projected']} if you keep going")
    if rule.get("deadline"):
        lines.append(f"to be complete by {day_words(rule['deadline'], as_of)}")
    lines.extend(_failing(rule))
    return lines


def _share(rule: dict) -> str:
    return (f"{num(rule['value'])}% of {amount(rule['of'], 'h')} is {rule['counts']} "
            f"(at most {num(rule['threshold'])}%)")


def _share_details(rule: dict, as_of: date) -> list[str]:
    if rule["met"] or not rule.get("missing"):
        return []
    return [f"{amount(rule['missing'], 'h')} more {rule['other_format']} sessions would bring it down to "
            f"{num(rule['threshold'])}%"]


SUMMARIES = {
    "total": _progress, "clients": _progress, "weekly_units": _progress, "per_period": _per_period,
    "ratio": _ratio, "max_gap": _max_gap, "span": _span, "share": _share,
}
DETAILS = {
    "total": _progress_details, "clients": _progress_details, "weekly_units": _progress_details,
    "per_period": _per_period_details, "ratio": _ratio_details, "max_gap": _max_gap_details,
    "span": _span_details, "share": _share_details,
}
