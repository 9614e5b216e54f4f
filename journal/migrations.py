"""The journal's schema as ordered sqlite-utils migrations. Never edit a step; add one.

:func:`upgrade` ends by setting ``PRAGMA user_version`` to the number of steps (the older
steps also set it to their position), which is what the hot path in :mod:`journal.db` reads
instead of importing sqlite-utils.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

from sqlite_utils import Database, Migrations

from journal.db import SCHEMA_VERSION, connect
from journal.encryption import CipherKey
from journal.paths import create_private_file

migrations = Migrations("journal")

# A frozen copy of journal/kinds.py as it stood when 0001 was written: a migration builds the same
# schema forever, so it never follows later edits of the live definition.
SESSION_KINDS = ("therapy", "supervision", "practice", "cpd")
ENTRY_KINDS = SESSION_KINDS + ("reflection",)


def _set_version(db: Database, number: int) -> None:
    db.execute(f"PRAGMA user_version = {number}")


@migrations(name="0001_entries")
def m0001_entries(db: Database) -> None:
    """Sessions and reflections share one table so that ids are unique across both."""
    kinds = ", ".join(f"'{k}'" for k in ENTRY_KINDS)
    db.executescript(
        f"""
        CREATE TABLE people (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            key TEXT NOT NULL UNIQUE
        );
        CREATE TABLE tags (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            key TEXT NOT NULL UNIQUE
        );
        CREATE TABLE entries (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ({kinds})),
            start_utc TEXT NOT NULL,
            tz TEXT NOT NULL,
            date TEXT NOT NULL,
            minutes INTEGER CHECK (minutes IS NULL OR (minutes > 0 AND minutes <= 1440)),
            person_id INTEGER REFERENCES people(id),
            mode TEXT CHECK (mode IS NULL OR mode IN ('in-person', 'video', 'phone')),
            format TEXT CHECK (format IS NULL OR format IN
                ('individual', 'group', 'peer', 'couple', 'family')),
            group_size INTEGER CHECK (group_size IS NULL OR group_size >= 2),
            client_code TEXT,
            setting TEXT,
            paid INTEGER CHECK (paid IS NULL OR paid IN (0, 1)),
            title TEXT,
            body TEXT,
            note TEXT,
            template TEXT,
            on_id INTEGER REFERENCES entries(id),
            shared INTEGER NOT NULL DEFAULT 0 CHECK (shared IN (0, 1)),
            source TEXT,
            source_key TEXT UNIQUE,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            deleted_at TEXT
        );
        CREATE TABLE entry_tags (
            entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
            tag_id INTEGER NOT NULL REFERENCES tags(id),
            PRIMARY KEY (entry_id, tag_id)
        ) WITHOUT ROWID;
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE supervisors (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            password_hash TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        """
    )
    _set_version(db, 1)


@migrations(name="0002_search")
def m0002_search(db: Database) -> None:
    """Full-text search over titles, reflection bodies and session notes, kept by triggers."""
    db.executescript(
        """
        CREATE VIRTUAL TABLE entries_fts USING fts5(
            title, body, note, content='entries', content_rowid='id',
            tokenize='porter unicode61 remove_diacritics 2'
        );
        INSERT INTO entries_fts(rowid, title, body, note) SELECT id, title, body, note FROM entries;
        CREATE TRIGGER entries_ai AFTER INSERT ON entries BEGIN
            INSERT INTO entries_fts(rowid, title, body, note)
            VALUES (new.id, new.title, new.body, new.note);
        END;
        CREATE TRIGGER entries_ad AFTER DELETE ON entries BEGIN
            INSERT INTO entries_fts(entries_fts, rowid, title, body, note)
            VALUES ('delete', old.id, old.title, old.body, old.note);
        END;
        CREATE TRIGGER entries_au AFTER UPDATE OF title, body, note ON entries BEGIN
            INSERT INTO entries_fts(entries_fts, rowid, title, body, note)
            VALUES ('delete', old.id, old.title, old.body, old.note);
            INSERT INTO entries_fts(rowid, title, body, note)
            VALUES (new.id, new.title, new.body, new.note);
        END;
        """
    )
    _set_version(db, 2)


@migrations(name="0003_indexes")
def m0003_indexes(db: Database) -> None:
    """Indexes that keep every listing, filter and report indexed work."""
    db.executescript(
        """
        CREATE INDEX entries_live_start ON entries(start_utc) WHERE deleted_at IS NULL;
        CREATE INDEX entries_live_kind_start ON entries(kind, start_utc) WHERE deleted_at IS NULL;
        CREATE INDEX entries_live_person_start ON entries(person_id, start_utc)
            WHERE deleted_at IS NULL;
        CREATE INDEX entries_live_kind_date ON entries(kind, date, minutes)
            WHERE deleted_at IS NULL;
        CREATE INDEX entries_live_date ON entries(date, kind, minutes) WHERE deleted_at IS NULL;
        CREATE INDEX entries_on ON entries(on_id);
        CREATE INDEX entry_tags_tag ON entry_tags(tag_id, entry_id);
        """
    )
    _set_version(db, 3)


@migrations(name="0004_rule_counts_index")
def m0004_rule_counts_index(db: Database) -> None:
    """A covering index for `journal check`: each kind's sessions by date with every column the
    rules count, so that the rules never read the table itself (``deleted_at`` is always NULL
    here, but SQLite counts an index as covering only if it holds the columns of the WHERE)."""
    db.execute(
        "CREATE INDEX entries_live_kind_date_counts ON entries(kind, date, minutes, format, group_size, "
        "paid, client_code, deleted_at) WHERE deleted_at IS NULL"
    )
    _set_version(db, 4)


_ADD_TOTAL = """
    INSERT INTO daily_totals(date, kind, minutes, count) VALUES ({row}.date, {row}.kind, {row}.minutes, 1)
    ON CONFLICT(date, kind) DO UPDATE SET minutes = minutes + excluded.minutes, count = count + 1;
"""
_SUBTRACT_TOTAL = """
    UPDATE daily_totals SET minutes = minutes - old.minutes, count = count - 1
    WHERE date = old.date AND kind = old.kind;
    DELETE FROM daily_totals WHERE date = old.date AND kind = old.kind AND count <= 0;
"""
_LIVE_SESSION = "{row}.deleted_at IS NULL AND {row}.minutes IS NOT NULL"


@migrations(name="0005_daily_totals")
def m0005_daily_totals(db: Database) -> None:
    """Minutes and sessions per local date and kind, kept by triggers, so that reports over the
    whole history read a few thousand days instead of every session (in month or year order
    straight from an index)."""
    changed = "AFTER UPDATE OF date, kind, minutes, deleted_at ON entries"
    db.executescript(
        f"""
        CREATE TABLE daily_totals (
            date TEXT NOT NULL,
            kind TEXT NOT NULL,
            minutes INTEGER NOT NULL,
            count INTEGER NOT NULL,
            PRIMARY KEY (date, kind)
        ) WITHOUT ROWID;
        CREATE INDEX daily_totals_month ON daily_totals(substr(date, 1, 7), kind, minutes, count);
        CREATE INDEX daily_totals_year ON daily_totals(substr(date, 1, 4), kind, minutes, count);
        INSERT INTO daily_totals(date, kind, minutes, count)
        SELECT date, kind, sum(minutes), count(*) FROM entries
        WHERE {_LIVE_SESSION.format(row="entries")} GROUP BY date, kind;
        CREATE TRIGGER daily_totals_ai AFTER INSERT ON entries WHEN {_LIVE_SESSION.format(row="new")}
        BEGIN {_ADD_TOTAL.format(row="new")} END;
        CREATE TRIGGER daily_totals_ad AFTER DELETE ON entries WHEN {_LIVE_SESSION.format(row="old")}
        BEGIN {_SUBTRACT_TOTAL} END;
        CREATE TRIGGER daily_totals_au_old {changed} WHEN {_LIVE_SESSION.format(row="old")}
        BEGIN {_SUBTRACT_TOTAL} END;
        CREATE TRIGGER daily_totals_au_new {changed} WHEN {_LIVE_SESSION.format(row="new")}
        BEGIN {_ADD_TOTAL.format(row="new")} END;
        """
    )
    _set_version(db, 5)


# What one live entry adds to its row of rule_totals: the key (group or not, paid, the group's size
# for BACP's credit) and the figures the rules sum (minutes, minutes with 45 to 59 as an hour, sessions).
_RULE_KEY = ("{row}.kind, {row}.date, coalesce({row}.format IN ('group', 'peer'), 0), coalesce({row}.paid, -1), "
             "CASE WHEN {row}.format IN ('group', 'peer') THEN coalesce({row}.group_size, 0) ELSE 0 END")
_RULE_MINUTES = "coalesce({row}.minutes, 0)"
_RULE_CLOCK = "coalesce(CASE WHEN {row}.minutes >= 45 AND {row}.minutes < 60 THEN 60 ELSE {row}.minutes END, 0)"
_ADD_RULE_TOTAL = f"""
    INSERT INTO rule_totals(kind, date, grp, paid, group_size, minutes, clock_minutes, count)
    VALUES ({_RULE_KEY}, {_RULE_MINUTES}, {_RULE_CLOCK}, 1)
    ON CONFLICT(kind, date, grp, paid, group_size) DO UPDATE SET minutes = minutes + excluded.minutes,
        clock_minutes = clock_minutes + excluded.clock_minutes, count = count + 1;
"""
_SUBTRACT_RULE_TOTAL = f"""
    UPDATE rule_totals SET minutes = minutes - {_RULE_MINUTES}, clock_minutes = clock_minutes - {_RULE_CLOCK},
        count = count - 1
    WHERE (kind, date, grp, paid, group_size) = ({_RULE_KEY});
    DELETE FROM rule_totals WHERE (kind, date, grp, paid, group_size) = ({_RULE_KEY}) AND count <= 0;
"""


@migrations(name="0006_rule_rollups")
def m0006_rule_rollups(db: Database) -> None:
    """What `journal check` reads instead of every session: per kind and day, the live entries'
    minutes and count by group or not, paid and group size, kept by triggers; and two covering
    indexes that find each client code's first and last day and largest group in a few steps
    (``deleted_at`` is in them for SQLite to count them as covering, as in 0004)."""
    add, subtract = _ADD_RULE_TOTAL.format(row="new"), _SUBTRACT_RULE_TOTAL.format(row="old")
    changed = "AFTER UPDATE OF kind, date, minutes, format, group_size, paid, deleted_at ON entries"
    db.executescript(
        f"""
        CREATE TABLE rule_totals (
            kind TEXT NOT NULL,
            date TEXT NOT NULL,
            grp INTEGER NOT NULL,
            paid INTEGER NOT NULL,
            group_size INTEGER NOT NULL,
            minutes INTEGER NOT NULL,
            clock_minutes INTEGER NOT NULL,
            count INTEGER NOT NULL,
            PRIMARY KEY (kind, date, grp, paid, group_size)
        ) WITHOUT ROWID;
        INSERT INTO rule_totals(kind, date, grp, paid, group_size, minutes, clock_minutes, count)
        SELECT {_RULE_KEY.format(row="entries")}, sum({_RULE_MINUTES.format(row="entries")}),
            sum({_RULE_CLOCK.format(row="entries")}), count(*)
        FROM entries WHERE deleted_at IS NULL GROUP BY 1, 2, 3, 4, 5;
        CREATE TRIGGER rule_totals_ai AFTER INSERT ON entries WHEN new.deleted_at IS NULL BEGIN {add} END;
        CREATE TRIGGER rule_totals_ad AFTER DELETE ON entries WHEN old.deleted_at IS NULL BEGIN {subtract} END;
        CREATE TRIGGER rule_totals_au_old {changed} WHEN old.deleted_at IS NULL BEGIN {subtract} END;
        CREATE TRIGGER rule_totals_au_new {changed} WHEN new.deleted_at IS NULL BEGIN {add} END;
        CREATE INDEX entries_live_kind_client ON entries(kind, client_code, date, format, paid, group_size,
            deleted_at) WHERE deleted_at IS NULL AND client_code IS NOT NULL;
        CREATE INDEX entries_live_kind_client_group ON entries(kind, client_code, group_size, date, paid, format,
            deleted_at) WHERE deleted_at IS NULL AND client_code IS NOT NULL AND format IN ('group', 'peer');
        """
    )
    _set_version(db, 6)


@migrations(name="0007_drop_redundant_index")
def m0007_drop_redundant_index(db: Database) -> None:
    """``entries_live_kind_date`` (0003) is the first three columns of ``entries_live_kind_date_counts``
    (0004) under the same condition, so that index answers every query this one did; dropping it
    makes every write, and a large import's index rebuild, cheaper."""
    db.execute("DROP INDEX entries_live_kind_date")
    _set_version(db, 7)


@migrations(name="0011_running_session")
def m0011_running_session(db: Database) -> None:
    """The session `journal start` began and `journal stop` will log: at most one row, kept in the
    journal so that it survives a closed terminal or a reboot and is logged in the same transaction
    that removes it. ``details`` holds the other `journal log` options as JSON; never published."""
    db.executescript(
        """
        CREATE TABLE running (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            kind TEXT NOT NULL,
            start_utc TEXT NOT NULL,
            tz TEXT NOT NULL,
            details TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        """
    )
    # No _set_version here: steps merged from parallel branches keep their numeric order, so the
    # position of this one is not fixed; upgrade() sets user_version to the count after every step.


@migrations(name="0014_cards_emotions_memberships")
def m0014_cards_emotions_memberships(db: Database) -> None:
    """Prompt cards used in reflections and client sessions, the emotions named in reflections,
    the cards drawn (so that a draw avoids recent ones) and memberships of professional bodies."""
    db.executescript(
        """
        CREATE TABLE entry_cards (
            entry_id INTEGER PRIMARY KEY REFERENCES entries(id) ON DELETE CASCADE,
            card TEXT NOT NULL,
            exercise TEXT CHECK (exercise IS NULL OR exercise IN ('perspective', 'story', 'emotion'))
        );
        CREATE INDEX entry_cards_card ON entry_cards(card, entry_id);
        CREATE TABLE entry_emotions (
            entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
            emotion TEXT NOT NULL,
            PRIMARY KEY (entry_id, emotion)
        ) WITHOUT ROWID;
        CREATE INDEX entry_emotions_emotion ON entry_emotions(emotion, entry_id);
        CREATE TABLE card_draws (
            card TEXT NOT NULL,
            drawn_at TEXT NOT NULL
        );
        CREATE INDEX card_draws_drawn ON card_draws(drawn_at);
        CREATE TABLE memberships (
            id INTEGER PRIMARY KEY,
            body TEXT NOT NULL,
            number TEXT NOT NULL,
            since TEXT,
            valid_until TEXT,
            url TEXT,
            created_at TEXT NOT NULL,
            CHECK (since IS NULL OR valid_until IS NULL OR since <= valid_until)
        );
        """
    )
    _set_version(db, 8)


@migrations(name="0016_signoffs")
def m0016_signoffs(db: Database) -> None:
    """Countersignatures: each supervisor's key pair (the private key sealed under their password),
    every public key a login ever had, one-time invites, the signatures taken in (withdrawn ones kept),
    the sessions of each period as published (to name what changed), and the journal's identity."""
    db.executescript(
        """
        ALTER TABLE supervisors ADD COLUMN fingerprint TEXT;
        ALTER TABLE supervisors ADD COLUMN private_key TEXT;
        CREATE TABLE supervisor_keys (
            fingerprint TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            public_key TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE supervisor_invites (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            token_hash TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            used_at TEXT
        );
        CREATE TABLE signoffs (
            id INTEGER PRIMARY KEY,
            ref TEXT NOT NULL UNIQUE,
            statement TEXT NOT NULL,
            signature TEXT NOT NULL,
            period TEXT NOT NULL,
            period_start TEXT NOT NULL,
            period_end TEXT NOT NULL,
            supervisor TEXT NOT NULL,
            signed_at TEXT NOT NULL,
            received_at TEXT NOT NULL,
            withdrawal TEXT,
            withdrawal_signature TEXT
        );
        CREATE INDEX signoffs_period ON signoffs(period_start, period_end);
        CREATE TABLE signoff_snapshots (
            digest TEXT PRIMARY KEY,
            sessions TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE journal_identity (
            id TEXT NOT NULL,
            salt TEXT NOT NULL
        );
        INSERT INTO journal_identity VALUES (lower(hex(randomblob(16))), lower(hex(randomblob(32))));
        """
    )
    _set_version(db, 9)



# Migration 0018's key of a live entry: 0006's key for rule_totals with peer sessions told apart from group
# ones, then for tag_totals the tag in front and the client code ('' for none) after. ``{row}`` names the entry.
_DAY_KEY = ("{row}.kind, {row}.date, coalesce({row}.format IN ('group', 'peer'), 0), "
            "coalesce({row}.format = 'peer', 0), coalesce({row}.paid, -1), "
            "CASE WHEN {row}.format IN ('group', 'peer') THEN coalesce({row}.group_size, 0) ELSE 0 END")
_DAY_COLUMNS = "kind, date, grp, peer, paid, group_size"
_TAG_COLUMNS = f"tag_id, {_DAY_COLUMNS}, client_code"
_CLIENT_KEY = "coalesce({row}.client_code, '')"


def _add_totals(table: str, columns: str, values: str) -> str:
    """SQL adding ``values`` (a VALUES or SELECT clause: ``columns``, minutes, clock minutes, 1) to ``table``."""
    return f"""
    INSERT INTO {table}({columns}, minutes, clock_minutes, count) {values}
    ON CONFLICT({columns}) DO UPDATE SET minutes = minutes + excluded.minutes,
        clock_minutes = clock_minutes + excluded.clock_minutes, count = count + 1;
    """


def _subtract_totals(table: str, where: str, minutes: str, clock: str) -> str:
    """SQL taking one entry's ``minutes`` and ``clock`` minutes away from the rows of ``table`` that
    ``where`` finds (by their whole key), and the rows left empty."""
    return f"""
    UPDATE {table} SET minutes = minutes - {minutes}, clock_minutes = clock_minutes - {clock}, count = count - 1
    WHERE {where};
    DELETE FROM {table} WHERE {where} AND count <= 0;
    """


def _rule_totals(change: str, row: str) -> str:
    """SQL adding (``change`` "add") or taking away the entry ``row`` (``new`` or ``old``) in rule_totals."""
    key, minutes, clock = (_DAY_KEY.format(row=row), _RULE_MINUTES.format(row=row), _RULE_CLOCK.format(row=row))
    if change == "add":
        return _add_totals("rule_totals", _DAY_COLUMNS, f"VALUES ({key}, {minutes}, {clock}, 1)")
    return _subtract_totals("rule_totals", f"({_DAY_COLUMNS}) = ({key})", minutes, clock)


def _tag_totals(change: str, tag: str, row: str, source: str) -> str:
    """SQL adding (``change`` "add") or taking away the entry ``row`` under the tag ``tag`` in tag_totals,
    once for each row of ``source`` (a FROM clause with its WHERE, which the figures are read from too)."""
    key, client = _DAY_KEY.format(row=row), _CLIENT_KEY.format(row=row)
    minutes, clock = _RULE_MINUTES.format(row=row), _RULE_CLOCK.format(row=row)
    if change == "add":
        return _add_totals("tag_totals", _TAG_COLUMNS, f"SELECT {tag}, {key}, {client}, {minutes}, {clock}, 1 FROM {source}")
    # The tags and the entry's key are read apart, so that each row is found by its whole primary key.
    where = (f"tag_id IN (SELECT {tag} FROM {source}) "
             f"AND ({_DAY_COLUMNS}, client_code) = (SELECT {key}, {client} FROM {source})")
    return _subtract_totals("tag_totals", where, f"(SELECT {minutes} FROM {source})", f"(SELECT {clock} FROM {source})")


@migrations(name="0018_tag_rollup")
def m0018_tag_rollup(db: Database) -> None:
    """What `journal check` reads instead of any session. ``rule_totals`` again, with peer sessions told
    apart from group ones (0006 added them up together, and a pass over the peer sessions themselves told
    them apart for BACP students and California). ``tag_totals``: the same for the sessions carrying each
    tag (EMDR, assessment, mentor coaching, CPD), with their client codes, kept by triggers on the entries
    and on their tags. An entry deleted outright is taken away from tag_totals before it goes: its tags
    go after it (the foreign key's cascade), when it can no longer be read."""
    def each_tag(change: str, row: str) -> str:
        """``change`` for every tag of the entry ``row`` (an entry changed or deleted)."""
        return _tag_totals(change, "t.tag_id", row, f"entry_tags t WHERE t.entry_id = {row}.id")

    def one_link(change: str, row: str) -> str:
        """``change`` for the live entry of the tag link ``row`` (a link added, removed or changed)."""
        return _tag_totals(change, f"{row}.tag_id", "e",
                           f"entries e WHERE e.id = {row}.entry_id AND e.deleted_at IS NULL")

    day = ("kind TEXT NOT NULL, date TEXT NOT NULL, grp INTEGER NOT NULL, peer INTEGER NOT NULL, "
           "paid INTEGER NOT NULL, group_size INTEGER NOT NULL")
    figures_columns = "minutes INTEGER NOT NULL, clock_minutes INTEGER NOT NULL, count INTEGER NOT NULL"
    figures = f"sum({_RULE_MINUTES.format(row='e')}), sum({_RULE_CLOCK.format(row='e')}), count(*)"
    rule_changed = "AFTER UPDATE OF kind, date, minutes, format, group_size, paid, deleted_at ON entries"
    tag_changed = "AFTER UPDATE OF kind, date, minutes, format, group_size, paid, client_code, deleted_at ON entries"
    db.executescript(
        f"""
        DROP TRIGGER rule_totals_ai;
        DROP TRIGGER rule_totals_ad;
        DROP TRIGGER rule_totals_au_old;
        DROP TRIGGER rule_totals_au_new;
        DROP TABLE rule_totals;
        CREATE TABLE rule_totals ({day}, {figures_columns}, PRIMARY KEY ({_DAY_COLUMNS})) WITHOUT ROWID;
        INSERT INTO rule_totals({_DAY_COLUMNS}, minutes, clock_minutes, count)
        SELECT {_DAY_KEY.format(row="e")}, {figures} FROM entries e WHERE e.deleted_at IS NULL
        GROUP BY 1, 2, 3, 4, 5, 6;
        CREATE TRIGGER rule_totals_ai AFTER INSERT ON entries WHEN new.deleted_at IS NULL
        BEGIN {_rule_totals("add", "new")} END;
        CREATE TRIGGER rule_totals_ad AFTER DELETE ON entries WHEN old.deleted_at IS NULL
        BEGIN {_rule_totals("subtract", "old")} END;
        CREATE TRIGGER rule_totals_au_old {rule_changed} WHEN old.deleted_at IS NULL
        BEGIN {_rule_totals("subtract", "old")} END;
        CREATE TRIGGER rule_totals_au_new {rule_changed} WHEN new.deleted_at IS NULL
        BEGIN {_rule_totals("add", "new")} END;
        CREATE TABLE tag_totals (tag_id INTEGER NOT NULL, {day}, client_code TEXT NOT NULL, {figures_columns},
            PRIMARY KEY ({_TAG_COLUMNS})) WITHOUT ROWID;
        INSERT INTO tag_totals({_TAG_COLUMNS}, minutes, clock_minutes, count)
        SELECT t.tag_id, {_DAY_KEY.format(row="e")}, {_CLIENT_KEY.format(row="e")}, {figures}
        FROM entry_tags t JOIN entries e ON e.id = t.entry_id WHERE e.deleted_at IS NULL
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
        CREATE TRIGGER tag_totals_ai AFTER INSERT ON entry_tags BEGIN {one_link("add", "new")} END;
        CREATE TRIGGER tag_totals_ad AFTER DELETE ON entry_tags BEGIN {one_link("subtract", "old")} END;
        CREATE TRIGGER tag_totals_au_link AFTER UPDATE OF entry_id, tag_id ON entry_tags
        BEGIN {one_link("subtract", "old")} {one_link("add", "new")} END;
        CREATE TRIGGER tag_totals_au_old {tag_changed} WHEN old.deleted_at IS NULL
        BEGIN {each_tag("subtract", "old")} END;
        CREATE TRIGGER tag_totals_au_new {tag_changed} WHEN new.deleted_at IS NULL
        BEGIN {each_tag("add", "new")} END;
        CREATE TRIGGER tag_totals_bd BEFORE DELETE ON entries WHEN old.deleted_at IS NULL
        BEGIN {each_tag("subtract", "old")} END;
        """
    )
    _set_version(db, 11)


assert len(migrations._migrations) == SCHEMA_VERSION, "bump journal.db.SCHEMA_VERSION"


def backup_path_for(path: Path, version: int) -> Path:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    return path.with_name(f"{path.name}.v{version}-{stamp}.bak")


def backup_to(conn: sqlite3.Connection, dest: Path, key: CipherKey | None = None) -> Path:
    """A consistent copy of the open journal at ``dest`` (SQLite's backup API), 0600.

    The copy is written beside ``dest`` and renamed into place, so ``dest`` is never partial.
    An encrypted journal's copy is encrypted with the same ``key``.
    """
    partial = dest.with_name(dest.name + ".partial")
    partial.unlink(missing_ok=True)
    create_private_file(partial)
    try:
        target = connect(partial, key)
        try:
            conn.backup(target)
        finally:
            target.close()
        os.replace(partial, dest)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return dest


def script_statements(sql: str) -> Iterator[str]:
    """The statements of ``sql`` one by one, split at each semicolon that ends a statement (not
    one inside a string, a comment or a trigger's body)."""
    *pieces, rest = sql.split(";")
    pending = ""
    for piece in pieces:
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            yield pending.strip()
            pending = ""
    if (pending + rest).strip():
        yield (pending + rest).strip()


class StepDatabase(Database):
    """The database the steps run on, inside the upgrade's one transaction.

    sqlite-utils runs a script inside a transaction statement by statement, but finds the
    statements one character at a time (quadratic in the script's length: about 30 ms of every
    new journal); this finds them at the semicolons.
    """

    def executescript(self, sql: str) -> sqlite3.Cursor:
        cursor = self.conn.cursor()
        for statement in script_statements(sql):
            cursor.execute(statement)
        return cursor


def upgrade(conn: sqlite3.Connection, path: Path, *, backup: bool, key: CipherKey | None = None) -> None:
    """Apply pending migrations in one transaction, after a backup (keyed like the journal) when the file had data."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if backup and version < SCHEMA_VERSION:
        backup_to(conn, backup_path_for(path, version), key)
    conn.execute("BEGIN IMMEDIATE")
    try:
        # Another process may have upgraded while we waited for the lock.
        if conn.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
            migrations.apply(StepDatabase(conn, execute_plugins=False))
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")  # every step applied, whatever its order
    except BaseException:
        # An error such as SQLITE_FULL or an interrupt may have rolled back already.
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
