"""Looking after the journal file: `journal db path|status|backup|check`, and `journal demo`."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import click

from journal.commands.encrypting import decrypt, encrypt
from journal.context import AppContext, pass_app
from journal.errors import JournalError
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

    if not file.exists():
        raise JournalError(f"no journal at {file}", "run `journal init` or pass --db PATH")
    conn = connect(file, key)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        status = {"path": str(file), "size_bytes": file.stat().st_size, "encrypted": key is not None,
                  "schema_version": version, "pending_migrations": max(SCHEMA_VERSION - version, 0)}
        if version == 0:
            return {**status, "entries": {}, "deleted": 0, "last_entry": None}
        counts = dict(conn.execute(
            "SELECT kind, count(*) FROM entries WHERE deleted_at IS NULL GROUP BY kind ORDER BY kind"
        ).fetchall())
        deleted = conn.execute("SELECT count(*) FROM entries WHERE deleted_at IS NOT NULL").fetchone()[0]
        last = conn.execute(
            "SELECT id, kind, date FROM entries WHERE deleted_at IS NULL ORDER BY start_utc DESC LIMIT 1"
        ).fetchone()
    except sqlite3.DatabaseError as exc:
        raise JournalError(f"{file} is not a journal database ({exc})", "check the --db path") from None
    finally:
        conn.close()
    return {**status, "entries": counts, "deleted": deleted,
            "last_entry": {"id": last[0], "kind": last[1], "date": last[2]} if last else None}


def schema_state(version: int) -> str:
    from journal.db import SCHEMA_VERSION

    if version > SCHEMA_VERSION:
        return f"newer than this version of journal knows ({SCHEMA_VERSION}): upgrade journal to use it"
    if version < SCHEMA_VERSION:
        return f"{SCHEMA_VERSION - version} migration(s) pending (applied, after a backup, on the next command)"
    return "up to date"


@db.command()
@click.option("--json", "as_json", is_flag=True, help="Print the status as one JSON object.")
@pass_app
def status(app: AppContext, as_json: bool) -> None:
    """Path, size, whether encrypted, schema version, entries per kind, deleted entries, the last entry.

    \b
    Example:
      journal db status
    """
    info = journal_status(app.db_path, app.key)
    if as_json:
        click.echo(json.dumps(info, indent=2))
        return
    last = info["last_entry"]
    click.echo(f"path:       {info['path']}")
    click.echo(f"size:       {info['size_bytes'] / 1024:.0f} KiB")
    click.echo("encrypted:  " + ("yes (SQLCipher 4, AES-256; `journal lock` forgets the kept key)" if info["encrypted"]
                                 else "no (`journal db encrypt` encrypts it)"))
    click.echo(f"schema:     version {info['schema_version']}, {schema_state(info['schema_version'])}")
    entries = ", ".join(f"{n} {kind}" for kind, n in info["entries"].items()) or "none"
    click.echo(f"entries:    {entries}")
    click.echo(f"deleted:    {info['deleted']} (`journal restore ID` brings one back)")
    click.echo("last entry: " + (f"#{last['id']} {last['kind']} on {last['date']}" if last else "none"))


@db.command()
@click.argument("dest", type=click.Path(dir_okay=True, path_type=Path))
@pass_app
def backup(app: AppContext, dest: Path) -> None:
    """Write a consistent copy of the journal to DEST (a file, or a folder), readable only by you.

    \b
    Examples:
      journal db backup ~/backups/journal-2026-03.db
      journal db backup /media/usb/
    """
    from datetime import date

    from journal.migrations import backup_to
    from journal.paths import ensure_private_dir

    dest = dest.expanduser()
    if dest.is_dir():
        dest = dest / f"journal-{date.today().isoformat()}.db"
    if dest.exists() and dest.stat().st_size > 0:
        raise JournalError(f"{dest} already exists; nothing was written", "choose a new file name")
    if dest.resolve() == app.db_path.resolve():
        raise JournalError("the backup would overwrite the journal itself", "choose another file")
    ensure_private_dir(dest.parent)
    backup_to(app.journal.conn, dest, app.journal.key)
    click.echo(f"Backed up {app.db_path} to {dest}" + (" (encrypted like the journal)" if app.journal.encrypted else ""),
               err=True)


def health_checks(conn: sqlite3.Connection) -> list[tuple[str, str | None]]:
    """Each check's name and its problem (``None`` when it passed)."""
    results = []
    problems = [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]
    results.append(("integrity", None if problems == ["ok"] else "; ".join(problems[:5])))
    orphans = conn.execute("PRAGMA foreign_key_check").fetchall()
    results.append(("foreign keys", f"{len(orphans)} row(s) point at missing rows (first in table {orphans[0][0]})"
                    if orphans else None))
    try:
        conn.execute("INSERT INTO entries_fts(entries_fts, rank) VALUES ('integrity-check', 1)")
        results.append(("search index", None))
    except sqlite3.DatabaseError as exc:
        results.append(("search index", f"{exc}; `journal db check --repair` rebuilds it"))
    for rollup in ROLLUPS:
        drift = rollup.drift(conn)
        results.append((rollup.label, f"{drift} {rollup.unit} out of step; `journal db check --repair` rebuilds them"
                        if drift else None))
    return results


def rebuild_derived(journal) -> None:
    """Rebuild the search index and the totals from the entries themselves (one transaction)."""
    with journal.transaction():
        journal.execute("INSERT INTO entries_fts(entries_fts) VALUES ('rebuild')")
        for rollup in ROLLUPS:
            rollup.rebuild(journal)


@db.command()
@click.option("--repair", is_flag=True, help="Rebuild the search index, report totals and rule totals first (all derived from your entries).")
@pass_app
def check(app: AppContext, repair: bool) -> None:
    """Check the file's integrity, its links between rows, its search index and the totals behind reports and rules (exit 1 if broken).

    \b
    Examples:
      journal db check
      journal db check --repair
    """
    from journal.db import open_journal

    journal = open_journal(app.db_path, create=False, key=app.key)
    try:
        if repair:
            rebuild_derived(journal)
            click.echo("search index, report totals and rule totals rebuilt", err=True)
        results = health_checks(journal.conn)
    finally:
        journal.close()
    for name, problem in results:
        click.echo(f"{name + ':':14} {problem or 'ok'}")
    broken = [name for name, problem in results if problem]
    if broken:
        raise JournalError(f"the journal has problems ({', '.join(broken)})",
                           "copy a backup back into place (`journal db path` shows where) or see above")


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
    click.echo(f"Wrote a demo journal to {app.db_path}:", err=True)
    for kind, count in summary.counts.items():
        click.echo(f"  {count:5} {kind}", err=True)
    name, password = summary.supervisor
    click.echo(f"Supervisor login for `journal serve`: {name} / {password}", err=True)
    if summary.backup:
        click.echo(f"Your previous entries were kept in {summary.backup}", err=True)
