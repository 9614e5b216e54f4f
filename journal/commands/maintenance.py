"""Looking after the journal file: `journal db path|status|backup|check`, and `journal demo`."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import click

from journal.commands.encrypting import decrypt, encrypt
from journal.context import AppContext, pass_app
from journal.errors import JournalError
from journal.entries import kind_word
from journal.i18n import N_, _, language
from journal.rollups import ROLLUPS


@click.group()
def db() -> None:
    """Where your journal is, what is in it, a safe backup, a health check, encryption at rest.

    \b
    Examples:
      journal db path
      journal db status
      journal db backup ~/backups/journal-2026-03.db
      journal db check
      journal db encrypt
    """


db.add_command(encrypt)
db.add_command(decrypt)


@db.command()
@pass_app
def path(app: AppContext) -> None:
    """Print the journal file's path (from --db, $JOURNAL_DB or $JOURNAL_HOME, else your app folder).

    \b
    Example:
      journal db path
    """
    click.echo(str(app.db_path))


def journal_status(file: Path, key=None) -> dict:
    """What `db status` reports, read without upgrading or changing the file (``key``: an encrypted one's)."""
    from journal.db import SCHEMA_VERSION, connect
    from journal.planned import counted, planned

    if not file.exists():
        raise JournalError(_("no journal at {file}").format(file=file), _("run `journal init` or pass --db PATH"))
    conn = connect(file, key)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        status = {"path": str(file), "size_bytes": file.stat().st_size, "encrypted": key is not None,
                  "schema_version": version, "pending_migrations": max(SCHEMA_VERSION - version, 0)}
        if version == 0:
            return {**status, "entries": {}, "deleted": 0, "planned": 0, "last_entry": None}
        counts = dict(conn.execute(
            "SELECT kind, count(*) FROM entries WHERE deleted_at IS NULL GROUP BY kind ORDER BY kind"
        ).fetchall())
        deleted = conn.execute("SELECT count(*) FROM entries WHERE deleted_at IS NOT NULL").fetchone()[0]
        waiting = conn.execute(f"SELECT count(*) FROM entries e WHERE e.deleted_at IS NULL AND {planned()}").fetchone()[0]
        last = conn.execute(
            f"SELECT id, kind, date FROM entries e WHERE e.deleted_at IS NULL AND {counted()} "
            "ORDER BY e.start_utc DESC LIMIT 1"
        ).fetchone()
    except sqlite3.DatabaseError as exc:
        raise JournalError(_("{file} is not a journal database ({exc})").format(file=file, exc=exc), _("check the --db path")) from None
    finally:
        conn.close()
    return {**status, "entries": counts, "deleted": deleted, "planned": waiting,
            "last_entry": {"id": last[0], "kind": last[1], "date": last[2]} if last else None}


def schema_state(version: int) -> str:
    from journal.db import SCHEMA_VERSION

    if version > SCHEMA_VERSION:
        return _("newer than this version of journal knows ({known}): upgrade journal to use it").format(
            known=SCHEMA_VERSION)
    if version < SCHEMA_VERSION:
        return _("{count} migration(s) pending (applied, after a backup, on the next command)").format(
            count=SCHEMA_VERSION - version)
    return _("up to date")


@db.command()
@click.option("--json", "as_json", is_flag=True, help="Print the status as one JSON object.")
@pass_app
def status(app: AppContext, as_json: bool) -> None:
    """Path, size, whether encrypted, schema version, entries per kind, deleted and planned entries, the last entry.

    The last entry is the latest that counts: planned sessions (not ended yet) are only counted.

    \b
    Example:
      journal db status
    """
    info = journal_status(app.db_path, app.key)
    if as_json:
        click.echo(json.dumps(info, indent=2))
        return
    last = info["last_entry"]
    click.echo(_("path:       {path}").format(path=info['path']))
    click.echo(_("size:       {value:.0f} KiB").format(value=info['size_bytes'] / 1024))
    click.echo(_("encrypted:  yes (SQLCipher 4, AES-256; `journal lock` forgets the kept key)") if info["encrypted"]
               else _("encrypted:  no (`journal db encrypt` encrypts it)"))
    click.echo(_("schema:     version {schema_version}, {schema_state}").format(schema_version=info['schema_version'], schema_state=schema_state(info['schema_version'])))
    entries = ", ".join(f"{n} {kind_word(kind)}" for kind, n in info["entries"].items()) or _("none")
    click.echo(_("entries:    {entries}").format(entries=entries))
    click.echo(_("deleted:    {deleted} (`journal restore ID` brings one back)").format(deleted=info['deleted']))
    click.echo(_("planned:    {planned} (not ended yet, so not counted; `journal list --planned`)").format(planned=info['planned']))
    if last:
        click.echo(_("last entry: #{id} {kind} on {date}").format(id=last["id"], kind=kind_word(last["kind"]),
                                                                 date=last["date"]))
    else:
        click.echo(_("last entry: none"))


@db.command()
@click.argument("dest", type=click.Path(dir_okay=True))
@pass_app
def backup(app: AppContext, dest: str) -> None:
    """Write a consistent copy of the journal to DEST (a file, or a folder), readable only by you.

    DEST is a folder when it ends in / or names an existing folder: the copy is then
    journal-YYYY-MM-DD.db inside it (-2, -3... for more that day), and a missing folder
    (an unplugged drive) is an error, never turned into a file.

    \b
    Examples:
      journal db backup ~/backups/journal-2026-03.db
      journal db backup /media/usb/
    """
    from journal.migrations import backup_to
    from journal.paths import ensure_private_dir

    target = backup_destination(dest)
    if target.exists() and target.stat().st_size > 0:
        raise JournalError(_("{target} already exists; nothing was written").format(target=target), _("choose a new file name"))
    if target.resolve() == app.db_path.resolve():
        raise JournalError(_("the backup would overwrite the journal itself"), _("choose another file"))
    ensure_private_dir(target.parent)
    backup_to(app.journal.conn, target, app.journal.key)
    done = (_("Backed up {db_path} to {target} (encrypted like the journal)") if app.journal.encrypted
            else _("Backed up {db_path} to {target}"))
    click.echo(done.format(db_path=app.db_path, target=target), err=True)


def backup_destination(dest: str) -> Path:
    """The backup file DEST names: inside DEST when it is a folder (ends in / or exists as one),
    as journal-YYYY-MM-DD.db, or journal-YYYY-MM-DD-2.db and so on for the day's later backups."""
    from datetime import date
    from itertools import chain, count

    path = Path(dest).expanduser()
    if path.is_dir():
        stem = f"journal-{date.today().isoformat()}"
        names = chain([f"{stem}.db"], (f"{stem}-{n}.db" for n in count(2)))
        return next(path / name for name in names if not (path / name).exists())
    if dest.endswith(("/", os.sep)):
        raise JournalError(_("the folder {dest} does not exist (is the drive plugged in?); nothing was written").format(dest=dest),
                           _("plug it in or create the folder, or give a file name such as ~/journal-backup.db"))
    return path


def health_checks(conn: sqlite3.Connection) -> list[tuple[str, str | None]]:
    """Each check's name and its problem (``None`` when it passed)."""
    results = []
    problems = [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]
    results.append((N_("integrity"), None if problems == ["ok"] else "; ".join(problems[:5])))
    orphans = conn.execute("PRAGMA foreign_key_check").fetchall()
    results.append((N_("foreign keys"), _("{count} row(s) point at missing rows (first in table {table})").format(
        count=len(orphans), table=orphans[0][0]) if orphans else None))
    try:
        conn.execute("INSERT INTO entries_fts(entries_fts, rank) VALUES ('integrity-check', 1)")
        results.append((N_("search index"), None))
    except sqlite3.DatabaseError as exc:
        results.append((N_("search index"), _("{error}; `journal db check --repair` rebuilds it").format(error=exc)))
    for rollup in ROLLUPS:
        drift = rollup.drift(conn)
        results.append((rollup.label, _("{count} {unit} out of step; `journal db check --repair` rebuilds them").format(
            count=drift, unit=_(rollup.unit)) if drift else None))
    return results


def session_findings(journal, show_names: bool) -> list[tuple[str, str | None, bool]]:
    """What `db check` finds among the sessions: each check's name, what it found (``None``:
    nothing) and whether that must be fixed (a repeat counts twice; a client's name is stored)
    or only looked at (an overlap may be right). Names are shown only when ``show_names``."""
    from journal.names import names_on_client_work
    from journal.repeats import overlaps, repeats

    def listed(items: list[str]) -> str:
        more = _(" and {count} more").format(count=len(items) - 10) if len(items) > 10 else ""
        return ", ".join(items[:10]) + more

    found = []
    twice = repeats(journal)
    found.append((N_("repeats"), twice and _(
        "{count} session(s) logged again with the same kind, start, length, person and client: {which}; "
        "`journal rm {id}` removes a copy").format(
            count=len(twice), id=twice[0].second,
            which=listed([_("#{second} repeats #{first}").format(second=p.second, first=p.first) for p in twice])),
        True))
    shared = overlaps(journal)
    found.append((N_("overlaps"), shared and _(
        "{count} pair(s) of sessions share some time: {which}; check their times with `journal show {id}`").format(
            count=len(shared), id=shared[0].first,
            which=listed([_("#{first} and #{second}").format(first=p.first, second=p.second) for p in shared])),
        False))
    named = names_on_client_work(journal)
    found.append((N_("client names"), named and _(
        "{count} practice session(s) hold a person's name, where only a client code belongs: {which}; "
        "`journal edit {id} --with \"\"` removes it").format(
            count=len(named), id=named[0][0],
            which=listed([f"#{entry_id}" + (f" ({name})" if show_names else "") for entry_id, name in named])),
        True))
    return [(name, text or None, must) for name, text, must in found]


def rebuild_derived(journal) -> None:
    """Rebuild the search index and the totals from the entries themselves (one transaction)."""
    with journal.transaction():
        journal.execute("INSERT INTO entries_fts(entries_fts) VALUES ('rebuild')")
        for rollup in ROLLUPS:
            rollup.rebuild(journal)


@db.command()
@click.option("--repair", is_flag=True, help="Rebuild the search index, report totals, rule totals and tag totals first (all derived from your entries).")
@pass_app
def check(app: AppContext, repair: bool) -> None:
    """Check the file's integrity, its links between rows, its search index and the totals behind
    reports and rules; then the sessions: exact repeats, overlaps, and names stored on client work
    (exit 1 if broken, or if a repeat or a name needs fixing; overlaps are only listed).

    A client's name is shown only on your own terminal, never when the output goes elsewhere.

    \b
    Examples:
      journal db check
      journal db check --repair
    """
    import sys

    from journal.db import open_journal

    journal = open_journal(app.db_path, create=False, key=app.key)
    try:
        if repair:
            rebuild_derived(journal)
            click.echo(_("search index, report totals, rule totals and tag totals rebuilt"), err=True)
        results = health_checks(journal.conn)
        findings = session_findings(journal, show_names=sys.stdout.isatty())
    finally:
        journal.close()
    lines = [*results, *((name, text) for name, text, _must in findings)]
    labels = [_(name) + (" :" if language() == "fr" else ":") for name, _problem in lines]
    width = max(14, *map(len, labels))
    passed = _("ok")
    for label, (_name, problem) in zip(labels, lines):
        click.echo(f"{label:{width}} {problem or passed}")
    broken = [name for name, problem in results if problem]
    if broken:
        raise JournalError(_("the journal has problems ({join})").format(join=', '.join(broken)),
                           _("copy a backup back into place (`journal db path` shows where) or see above"))
    to_fix = [name for name, text, must in findings if text and must]
    if to_fix:
        raise JournalError(_("some sessions need fixing ({join})").format(join=', '.join(to_fix)), _("see above for how"))


@click.command()
@click.option("--force", is_flag=True,
              help="Replace a journal that already has entries with a fresh file (your own entries are backed up first).")
@click.option("--years", type=click.IntRange(1, 10), default=3, show_default=True, help="How many years of record.")
@click.option("--seed", type=int, default=2024, show_default=True, help="The same seed gives the same journal.")
@pass_app
def demo(app: AppContext, force: bool, years: int, seed: int) -> None:
    """Fill a journal with a realistic record of a UK trainee counsellor, to explore.

    Weekly personal therapy, fortnightly and group supervision, a growing caseload of client
    codes on placement, CPD days and a few dozen reflections. Use a separate file:

    \b
    Example:
      journal --db demo.db demo
      journal --db demo.db report --by year
    """
    from journal.demo import build_demo

    summary = build_demo(app.db_path, years=years, seed=seed, force=force, key=app.key)
    click.echo(_("Wrote a demo journal to {db_path}:").format(db_path=app.db_path), err=True)
    for kind, count in summary.counts.items():
        click.echo(f"  {count:5} {kind_word(kind)}", err=True)
    name, password = summary.supervisor
    click.echo(_("Supervisor login for `journal serve`: {name} / {password}").format(name=name, password=password), err=True)
    if summary.backup:
        click.echo(_("Your previous entries were kept in {backup}").format(backup=summary.backup), err=True)
