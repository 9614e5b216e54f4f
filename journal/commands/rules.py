"""Requirements: `profiles` lists the rule sets, `check` says exactly what is met and what is missing."""

from __future__ import annotations

import json
from datetime import date

import click

from journal.completion import complete_choices
from journal.context import AppContext, pass_app
from journal.errors import EXIT_UNMET
from journal.output import echo_json, emit, output_options
from journal.rules.profiles import SHIPPED, shipped_profiles
from journal.i18n import N_, _


@click.command()
@output_options
def profiles(fmt: str) -> None:
    """List the requirement profiles that `journal check` knows.

    \b
    Examples:
      journal profiles
      journal profiles --json
    """
    rows = [p.summary() for p in shipped_profiles()]
    if fmt == "table":  # people read the titles in their language; scripts keep the profiles' own words
        rows = [dict(row, title=_(row["title"]), description=_(row["description"]) if row["description"] else "")
                for row in rows]
    columns = ("id", "description", "source") if fmt == "table" else ("id", "title", "description", "source", "checked")
    emit(rows, fmt, columns, widths={"description": 64, "source": 48})


def _date(app: AppContext, text: str | None) -> date | None:
    """An ISO date directly; anything else through the journal's date grammar."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        from journal.dates import parse_when

        return parse_when(text, app.zone, dayfirst=app.dayfirst).local_date


def describe_states(states: list[dict]) -> list[str]:
    """Each month's countersignature state, the months awaiting one on a single line; none: nothing."""
    if not states:
        return []
    lines = [_("Countersignatures")]
    lines += [f"  {row['period']}  {row['text']}" for row in states if row["state"] != "awaiting"]
    awaiting = [row["period"] for row in states if row["state"] == "awaiting"]
    if awaiting:
        lines.append("  " + _("awaiting countersignature: {months}").format(months=", ".join(awaiting)))
    return ["\n".join(lines)]


@click.command()
@click.option("--profile", "-p", "refs", multiple=True, metavar="ID_OR_PATH",
              shell_complete=complete_choices(SHIPPED),
              help="A profile id (see `journal profiles`) or a profile file; repeatable. "
                   "Default: your `profiles` setting.")
@click.option("--as-of", metavar="DATE", help="Check the journal as it stood on this date (default: today).")
@click.option("--since", metavar="DATE", help="Count only sessions from this date.")
@click.option("--explain", "rule_ref", metavar="RULE",
              help="List every session RULE looked at, what it credited and why not "
                   "(RULE is a rule id, or PROFILE:RULE).")
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@pass_app
def check(app: AppContext, refs: tuple[str, ...], as_of: str | None, since: str | None, rule_ref: str | None,
          as_json: bool) -> None:
    """Check your journal against professional requirements.

    Prints each rule, met, due or not met, with the figure against the threshold, the failing
    periods by name, what the current period still needs and by when, what did not count and
    why, and for totals what is still missing and when you will reach it at the pace of the
    last 90 days. Exit code 0 when no rule has failed (something due in the current period
    included, and an empty journal), 3 when any rule is not met.

    \b
    Examples:
      journal check --profile bacp-practice
      journal check -p ukcp-trainee-therapy -p bacp-student --as-of 2026-08-31
      journal check -p ca-lpcc --explain weekly-units
      journal check --profile ./my-course.yml --json
    """
    if rule_ref:
        _explain(app, refs, rule_ref, as_of, since, as_json)
        return
    from journal.memberships import expiry_warnings
    from journal.rules import check_profiles, today
    from journal.signoffs.months import month_states

    for warning in expiry_warnings(app.journal, _date(app, as_of) or today(app.journal)):
        click.echo(_("Warning: {warning}").format(warning=warning), err=True)
    reports = check_profiles(app.journal, list(refs) or None, as_of=_date(app, as_of),
                             since=_date(app, since))
    states = month_states(app.journal, _date(app, since), _date(app, as_of), today(app.journal))
    if as_json:
        for report in reports:
            report["countersignatures"] = states
        echo_json(reports[0] if len(reports) == 1 else reports)
    else:
        from journal.rules.text import describe_report

        click.echo("\n\n".join([describe_report(report) for report in reports] + describe_states(states)))
    if any(report["status"] == "not met" for report in reports):
        click.get_current_context().exit(EXIT_UNMET)


def _explain(app: AppContext, refs: tuple[str, ...], rule_ref: str, as_of: str | None, since: str | None,
             as_json: bool) -> None:
    """`check --explain`: the rule's result, then its sessions as a table (or all of it as JSON)."""
    from journal.rules import explain_rule
    from journal.rules.text import amount

    found = explain_rule(app.journal, rule_ref, list(refs) or None, as_of=_date(app, as_of),
                         since=_date(app, since))
    if as_json:
        click.echo(json.dumps(found, indent=2, ensure_ascii=False))
    else:
        click.echo(_("{title} ({profile}:{rule}), as of {as_of}: {status}").format(title=_(found['title']), profile=found['profile'], rule=found['rule'], as_of=found['as_of'], status=found['status']))
        for line in [found["summary"], *found["details"]]:
            click.echo(f"  {line}")
        click.echo(_("  {len} sessions looked at: {amount} recorded, {amount2} credited.").format(len=len(found['sessions']), amount=amount(found['recorded'], 'h'), amount2=amount(found['credited'], found['unit'])))
        click.echo()
        rows = [dict(s, why=s["reason"] or "") for s in found["sessions"]]
        emit(rows, "table", ("id", "date", "kind", "minutes", "format", "group_size", "credited", "why"),
             empty=N_("No session to explain."), headers={"group_size": "group"}, widths={"why": 56})
    if found["status"] == "not met":
        click.get_current_context().exit(EXIT_UNMET)
