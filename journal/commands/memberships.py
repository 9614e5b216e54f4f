"""`journal membership add|list|remove`: memberships of professional bodies."""

from __future__ import annotations

import json

import click

from journal.context import AppContext, pass_app
from journal.output import emit, output_options
from journal.i18n import N_, _

MEMBERSHIP_ID = click.IntRange(1, 2**63 - 1)


@click.group()
def membership() -> None:
    """Your memberships of professional bodies, for the trust statement and expiry warnings.

    \b
    Examples:
      journal membership add BACP --number 012345 --since 2019-05-01 --valid-until 2027-04-30
      journal membership list
      journal membership remove 2

    `journal check` warns 30 days before a membership expires.
    """


@membership.command()
@click.argument("body")
@click.option("--number", required=True, metavar="N", help="Your membership or registration number.")
@click.option("--since", metavar="DATE", help="Member since, e.g. 2019-05-01 or 01/05/2019.")
@click.option("--valid-until", metavar="DATE", help="Valid until, e.g. 2027-04-30; check warns 30 days before.")
@click.option("--url", metavar="URL", help="The register's page where a client can check it.")
@click.option("--json", "as_json", is_flag=True, help="Print the stored membership as JSON.")
@pass_app
def add(app: AppContext, body: str, number: str, since: str | None, valid_until: str | None, url: str | None,
        as_json: bool) -> None:
    """Add a membership: BODY is the professional body, e.g. BACP, UKCP, FF2P.

    \b
    Example:
      journal membership add UKCP --number 2018-0456 --valid-until 2027-01-31 --url https://www.psychotherapy.org.uk/
    """
    from journal.memberships import add_membership, parse_day

    record = add_membership(app.journal, body, number,
                            since=parse_day(since, "--since", app.zone, app.dayfirst),
                            valid_until=parse_day(valid_until, "--valid-until", app.zone, app.dayfirst), url=url)
    click.echo(_("Added membership #{id}: {body} {number}.").format(
        id=record["id"], body=record["body"], number=record["number"]), err=True)
    if as_json:
        click.echo(json.dumps(record, ensure_ascii=False))


@membership.command(name="list")
@output_options
@pass_app
def list_(app: AppContext, fmt: str) -> None:
    """List your memberships with their state today: valid, expiring (within 30 days) or expired.

    \b
    Example:
      journal membership list
    """
    from journal.memberships import list_memberships
    from journal.rules import today

    emit(list_memberships(app.journal, today(app.journal)), fmt,
         ("id", "body", "number", "since", "valid_until", "state", "url"),
         headers={"valid_until": "valid until"},
         empty=N_("No memberships yet: `journal membership add BODY --number N`."))


@membership.command()
@click.argument("membership_id", metavar="ID", type=MEMBERSHIP_ID)
@pass_app
def remove(app: AppContext, membership_id: int) -> None:
    """Remove a membership (ID from `journal membership list`).

    \b
    Example:
      journal membership remove 2
    """
    from journal.memberships import remove_membership

    record = remove_membership(app.journal, membership_id)
    click.echo(_("Removed membership #{id}: {body} {number}.").format(id=record['id'], body=record['body'], number=record['number']), err=True)
