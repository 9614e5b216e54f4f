"""`journal trust-statement`: a one-page statement for prospective clients and websites."""

from __future__ import annotations

import json
from pathlib import Path

import click

from journal.commands.data import confirm_replace_on_terminal, force_option
from journal.context import AppContext, pass_app
from journal.language import LANGUAGES
from journal.i18n import _


@click.command(name="trust-statement")
@click.option("--out", "-o", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Write FILE: .pdf (printed by chromium) or .html (default: HTML on standard output).")
@force_option
@click.option("--lang", type=click.Choice(LANGUAGES), default=None,
              help="en or fr (default: your `language` setting, else $LANG).")
@click.option("--names", is_flag=True, help="Also name your supervisors and therapists (left out by default).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as one JSON object instead of the page.")
@pass_app
def trust_statement(app: AppContext, out: Path | None, lang: str | None, names: bool, as_json: bool,
                    force: bool) -> None:
    """One page for clients and your website: supervision, personal therapy, training, memberships.

    \b
    Examples:
      journal trust-statement --out trust.pdf
      journal trust-statement --lang fr --out confiance.html
      journal trust-statement --names --out trust.pdf

    It shows in how many of the last 12 calendar months you had supervision and its hours,
    your personal-therapy hours and the years they span, CPD hours in the last 12 months and
    your memberships (`journal membership add`), each with a footnote saying how it was
    computed, by the same rules engine as `journal check`. No client data; no supervisor or
    therapist names unless --names. Your own name comes from `journal config practitioner`.
    """
    from journal.language import choose_language
    from journal.rules import today
    from journal.statement import render_html, save_page
    from journal.trust import build_trust_statement

    data = build_trust_statement(app.journal, today=today(app.journal), lang=choose_language(lang, app.journal),
                                 names=names)
    if as_json:
        click.echo(json.dumps({"practitioner": data["practitioner"], **data["figures"], "notes": data["notes"]},
                              indent=2, ensure_ascii=False))
        return
    if not data["practitioner"]:
        click.echo(_("Warning: your name is not set, so the page carries none; "
                   "set it with `journal config practitioner 'Your Name'`."), err=True)
    html = render_html(data, "trust_statement.html")
    if out:
        save_page(html, out, force=force, confirm=confirm_replace_on_terminal())
        click.echo(_("Wrote {out}.").format(out=out), err=True)
    else:
        click.echo(html)
