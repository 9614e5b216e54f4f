"""Check results as text for people: each rule, its figure, and what is missing where."""

from __future__ import annotations

INDENT = " " * 11


def num(value: float | int | None) -> str:
    """``1.5`` -> ``1.5``, ``2.0`` -> ``2``, ``2500`` -> ``2,500``."""
    if value is None:
        return "?"
    text = f"{value:,.2f}"
    return text.rstrip("0").rstrip(".")


def amount(value: float | None, unit: str) -> str:
    return f"{num(value)}%" if unit == "%" else f"{num(value)} {unit}"


def describe_report(report: dict) -> str:
    state = "all met" if report["met"] else "NOT MET"
    lines = [
        f"{report['title']} ({report['profile']}), as of {report['as_of']}: {state}",
        f"Source: {report['source']} (checked {report['checked']})",
    ]
    if report.get("since"):
        lines.append(f"Counting sessions from {report['since']}.")
    for rule in report["rules"]:
        lines.append("")
        lines.append(f"  {'met' if rule['met'] else 'NOT MET':<8} {rule['title']}")
        lines.extend(INDENT + line for line in describe_rule(rule))
    unmet = sum(not r["met"] for r in report["rules"])
    count = len(report["rules"])
    lines.append("")
    lines.append(f"{unmet} of {count} {_plural(count, 'rule')} not met." if unmet
                 else f"{'The rule is' if count == 1 else f'All {count} rules are'} met.")
    return "\n".join(lines)


def _plural(count: int, word: str) -> str:
    return word if count == 1 else word + "s"


def describe_rule(rule: dict) -> list[str]:
    lines = [DESCRIBERS[rule["type"]](rule)]
    if rule.get("note"):
        lines.append(f"note: {rule['note']}")
    lines.extend(_failing(rule))
    if rule.get("in_progress"):
        entry = rule["in_progress"]
        unit = rule.get("period_unit", "h")
        lines.append(f"{entry['period']} (in progress): {amount(entry['value'], unit)} so far, "
                     f"{amount(entry['short'], unit)} to go")
    skipped = rule.get("skipped_periods") or []
    if skipped:
        listed = ", ".join(f"{s['period']} ({s['reason']})" for s in skipped)
        lines.append(f"not required: {listed}")
    return lines


def _failing(rule: dict) -> list[str]:
    out = []
    for entry in rule["failing_periods"]:
        period, value, short = entry["period"], entry["value"], entry["short"]
        if rule["type"] == "max_gap":
            out.append(f"{period}: {num(value)} days without {rule['counts']}, {num(short)} days too long")
        elif rule["type"] == "weekly_units":
            out.append(f"{period}: {num(value)} supervision units, {num(short)} short; "
                       f"{amount(entry['hours_not_counted'], 'h')} not counted")
        else:
            unit = rule.get("period_unit", "h")
            text = f"{period}: {amount(value, unit)} of {rule['counts']}, {amount(short, unit)} short"
            out.append(text + (" (no activity at all)" if entry.get("note") else ""))
    return out


def _progress(rule: dict) -> str:
    unit = rule["unit"]
    head = f"{num(rule['value'])} clients" if unit == "clients" else f"{amount(rule['value'], unit)} of {rule['counts']}"
    if rule["type"] == "weekly_units":
        head += " counted"
    text = f"{head} (at least {amount(rule['threshold'], unit)})"
    if rule["met"]:
        return text
    text += f"; {amount(rule['missing'], unit)} still missing"
    if rule.get("pace"):
        text += f"; pace {amount(rule['pace'], unit)} a week over the last 90 days"
        text += f", reaching it on {rule['projected']}" if rule.get("projected") else ""
    else:
        text += "; nothing in the last 90 days, so no projected date"
    return text


def _per_period(rule: dict) -> str:
    period = {"month": "calendar month", "week": "week"}.get(rule["period"], "twelve-month period")
    return (f"{num(rule['value'])} of {num(rule['threshold'])} {rule['unit']} met "
            f"(at least {amount(rule['each'], rule['period_unit'])} of {rule['counts']} each {period})")


def _ratio(rule: dict) -> str:
    text = (f"{amount(rule['value'], rule['unit'])} of {rule['counts']} against "
            f"{amount(rule['threshold'], rule['unit'])} needed for {amount(rule['of'], 'h')} of "
            f"{rule['of_counts']} ({num(rule['each'])} h per {num(rule['per'])} h)")
    return text if rule["met"] else text + f"; {amount(rule['missing'], rule['unit'])} short"


def _max_gap(rule: dict) -> str:
    return f"longest gap between {rule['counts']} sessions: {num(rule['value'])} days (at most {num(rule['threshold'])})"


def _span(rule: dict) -> str:
    text = f"{num(rule['value'])} months of {rule['counts']} (at least {num(rule['threshold'])} months)"
    if rule.get("first"):
        text += f" since {rule['first']}"
    if rule.get("projected"):
        text += f"; reached on {rule['projected']} if you keep going"
    return text


def _share(rule: dict) -> str:
    return f"{num(rule['value'])}% of {num(rule['of'])} h is {rule['counts']} (at most {num(rule['threshold'])}%)"


DESCRIBERS = {
    "total": _progress,
    "clients": _progress,
    "weekly_units": _progress,
    "per_period": _per_period,
    "ratio": _ratio,
    "max_gap": _max_gap,
    "span": _span,
    "share": _share,
}
