"""Setting up: `journal init` creates the journal and stores settings; `journal config` reads and changes them."""

from __future__ import annotations

from dataclasses import dataclass

import click

from journal.completion import complete_choices
from journal.context import AppContext, pass_app
from journal.db import Journal
from journal.errors import InputError, JournalError
from journal.language import LANGUAGES
from journal.output import emit, output_options
from journal.settings import KNOWN_SETTINGS, all_settings, get_setting, set_setting
from journal.i18n import _


def complete_profiles(ctx, param, incomplete: str):
    from journal.rules.profiles import SHIPPED

    return complete_choices(SHIPPED)(ctx, param, incomplete)


@dataclass(frozen=True)
class DateReading:
    """How a typed date is read: in this zone, day first (16/09) or month first (09/16)."""

    zone: object
    dayfirst: bool = True


def _choice(key: str, allowed: tuple[str, ...]):
    def check(value: str, reading: DateReading) -> str:
        lowered = value.strip().lower()
        if lowered not in allowed:
            raise InputError(_("{key} {value!r} is not one of {join}").format(key=key, value=value, join=', '.join(allowed)), f"e.g. {allowed[0]}")
        return lowered

    return check


def _timezone(value: str, reading: DateReading) -> str:
    from journal.zones import zone

    return str(zone(value.strip()))


def _date(key: str):
    """A day typed in the journal's date grammar (2024-09-16, 16/09/2024, '16 September 2024',
    'last monday'), read in the journal's zone and date order, stored as YYYY-MM-DD."""

    def check(value: str, reading: DateReading) -> str:
        from journal.dates import parse_day

        try:
            return parse_day(value, reading.zone, dayfirst=reading.dayfirst).isoformat()
        except InputError as exc:
            raise InputError(_("{key} {value!r} is not a date").format(key=key, value=value),
                             _("e.g. 2024-09-16 or 16/09/2024")) from exc

    return check


def _name(value: str, reading: DateReading) -> str:
    text = " ".join(value.split())
    if not text or len(text) > 200:
        raise InputError(_("the practitioner name is empty or too long"), _("e.g. --name 'Sam Rivers'"))
    return text


def _profiles(value: str, reading: DateReading) -> str:
    """Shipped profile ids or profile files, each loaded once to prove that it works."""
    from journal.rules.profiles import load_profile

    ids = [part.strip() for part in value.split(",") if part.strip()]
    if not ids:
        raise InputError(_("no profile given"), _("e.g. bacp-student,ukcp-trainee-therapy (see `journal profiles`)"))
    for profile in ids:
        load_profile(profile)
    return ",".join(dict.fromkeys(ids))


DATE_ORDERS = ("dmy", "mdy")
WEEK_STARTS = ("monday", "sunday")
VALIDATORS = {
    "timezone": _timezone,
    "date_order": _choice("date_order", DATE_ORDERS),
    "practitioner": _name,
    "training_start": _date("training_start"),
    "qualified_on": _date("qualified_on"),
    "week_start": _choice("week_start", WEEK_STARTS),
    "profiles": _profiles,
    "language": _choice("language", LANGUAGES),
}
assert VALIDATORS.keys() == KNOWN_SETTINGS.keys(), "every known setting needs a validator"


def known_key(key: str) -> str:
    """``key`` as stored (``week-start`` is ``week_start``); InputError when there is no such setting."""
    normal = key.strip().lower().replace("-", "_")
    if normal not in KNOWN_SETTINGS:
        raise InputError(_("unknown setting {key!r}").format(key=key), _("known: {names}").format(names=", ".join(KNOWN_SETTINGS)))
    return normal


def check_setting(key: str, value: str, reading: DateReading) -> str:
    """The value to store for ``key``, normalised; InputError when it is not acceptable."""
    return VALIDATORS[known_key(key)](value, reading)


def check_settings(values: dict[str, str | None], reading: DateReading) -> dict[str, str | None]:
    """Every value checked and normalised (``None`` means unset), before anything is written."""
    return {known_key(key): None if value is None else check_setting(key, value, reading)
            for key, value in values.items()}


def store_settings(journal: Journal, checked: dict[str, str | None]) -> None:
    """Write settings already checked by :func:`check_settings`, in one transaction."""
    with journal.transaction():
        for key, value in checked.items():
            set_setting(journal, key, value)


@click.command()
@click.option("--timezone", metavar="ZONE", help="IANA time zone, e.g. Europe/London (default: the system's).")
@click.option("--date-order", type=click.Choice(DATE_ORDERS), help="How 03/04/2026 is read (default: dmy).")
@click.option("--name", metavar="NAME", help="Your name as it appears on supervisor reports.")
@click.option("--training-start", metavar="DATE",
              help="Where twelve-month periods start, e.g. 2024-09-16 or 16/09/2024.")
@click.option("--qualified-on", metavar="DATE", help="The day you qualified, e.g. 2025-07-01.")
@click.option("--week-start", type=click.Choice(WEEK_STARTS), help="Where weeks start (default: monday).")
@click.option("--profile", "profiles", multiple=True, metavar="ID", shell_complete=complete_profiles,
              help="A requirement profile `journal check` uses by default (repeatable).")
@click.option("--encrypt", is_flag=True,
              help="Create the journal encrypted with a passphrase (SQLCipher); asked twice on a terminal.")
@pass_app
def init(app: AppContext, timezone, date_order, name, training_start, qualified_on, week_start,
         profiles, encrypt) -> None:
    """Create your journal (if needed) and store its settings.

    \b
    Example:
      journal init --timezone Europe/London --name "Sam Rivers" \\
        --training-start 16/09/2024 --profile bacp-student --profile ukcp-trainee-therapy
      journal init --encrypt

    Running it again on an existing journal changes only the settings you give.
    """
    given = {
        "timezone": timezone, "date_order": date_order, "practitioner": name,
        "training_start": training_start, "qualified_on": qualified_on, "week_start": week_start,
        "profiles": ",".join(profiles) if profiles else None,
    }
    from journal.zones import local_zone_name, zone

    existed = app.db_path.exists() and app.db_path.stat().st_size > 0
    # Dates are read in the zone and date order given here, else those stored (all checked first:
    # a bad value creates no journal).
    reading = DateReading(
        zone(timezone.strip()) if timezone else app.zone if existed else zone(local_zone_name()),
        dayfirst=date_order != "mdy" if date_order else app.dayfirst if existed else True,
    )
    stored = check_settings({key: value for key, value in given.items() if value is not None}, reading)
    if encrypt:
        create_encrypted(app, existed)
    store_settings(app.journal, stored)
    done = (_("Journal already at {path}") if existed else _("Created an encrypted journal at {path}") if encrypt
            else _("Created a journal at {path}"))
    click.echo(done.format(path=app.db_path), err=True)
    for key, value in stored.items():
        click.echo(f"  {key} = {value}", err=True)
    if not existed:
        click.echo(_("Next: journal log therapy 50m --with NAME (or explore: journal --db demo.db demo)."), err=True)


def create_encrypted(app: AppContext, existed: bool) -> None:
    """Make the new journal an encrypted one (an existing plain journal is converted with `db encrypt`)."""
    from journal.commands.encrypting import say_kept
    from journal.db import open_journal
    from journal.encryption import new_key
    from journal.unlocking import remember_key

    if existed:
        if app.key is None:
            raise JournalError(_("{path} already exists and is not encrypted; nothing was changed").format(
                path=app.db_path), _("encrypt it with `journal db encrypt`"))
        return
    key = new_key(app.passphrase(new=True))
    open_journal(app.db_path, key=key).close()
    say_kept(remember_key(app.db_path, key))


@click.command()
@click.argument("key", required=False, shell_complete=complete_choices(tuple(KNOWN_SETTINGS)))
@click.argument("value", required=False)
@click.option("--unset", is_flag=True, help="Remove KEY's setting (back to its default).")
@output_options
@pass_app
def config(app: AppContext, key: str | None, value: str | None, unset: bool, fmt: str) -> None:
    """Show your settings, or read, change or remove one.

    \b
    Examples:
      journal config
      journal config timezone
      journal config timezone Europe/Paris
      journal config profiles bacp-practice,ukcp-cpd
      journal config qualified_on --unset
    """
    if key is None:
        if unset or value is not None:
            raise InputError(_("--unset needs a KEY"), _("e.g. journal config qualified_on --unset"))
        stored = all_settings(app.journal)
        rows = [{"key": k, "value": stored.get(k), "meaning": _(meaning)} for k, meaning in KNOWN_SETTINGS.items()]
        emit(rows, fmt, ("key", "value", "meaning"))
        return
    key = known_key(key)
    if unset and value is not None:
        raise InputError(_("give a VALUE or --unset, not both"), _("e.g. journal config {key} --unset").format(key=key))
    if unset or value is not None:
        stored = check_settings({key: None if unset else value}, DateReading(app.zone, app.dayfirst))
        store_settings(app.journal, stored)
        click.echo(_("{key} unset").format(key=key) if unset else f"{key} = {stored[key]}", err=True)
        return
    current = get_setting(app.journal, key)
    if current is None:
        click.echo(_("{key} is not set ({meaning})").format(key=key, meaning=_(KNOWN_SETTINGS[key])), err=True)
    else:
        click.echo(current)
