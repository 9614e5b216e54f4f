"""The per-invocation state the CLI passes to commands: the journal path, opened (and unlocked) lazily."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from journal.db import Journal, open_journal
from journal.errors import JournalError
from journal.i18n import _
from journal.paths import is_encrypted, resolve_db_path

if TYPE_CHECKING:
    from journal.encryption import CipherKey


# The commands that may create a journal where there is none; every other command reads an
# existing one and, on a missing file, says so and how to make one (exit 1).
CREATES_JOURNAL = frozenset({"init", "log", "reflect", "import", "demo", "start"})


class AppContext:
    """What one command knows: the --db option, and the journal, its key and time zone once asked for.

    A plain class rather than a dataclass: every command pays for the classes it defines at start-up."""

    __slots__ = ("db_option", "may_create", "created", "_journal", "_zone", "_key", "_passphrase")

    def __init__(self, db_option: str | None = None, may_create: bool = True):
        self.db_option, self.may_create = db_option, may_create
        self.created = False  # whether this command created the journal file
        self._journal: Journal | None = None
        self._zone = None
        self._key: CipherKey | None = None
        self._passphrase: str | None = None

    @property
    def db_path(self) -> Path:
        return resolve_db_path(self.db_option)

    @property
    def journal(self) -> Journal:
        """The open journal (migrated on first use; created only by the commands that may create one;
        unlocked first when encrypted)."""
        if self._journal is None:
            path = self.db_path
            existed = path.exists() and path.stat().st_size > 0
            if not existed and not self.may_create:
                raise missing_journal_error(path)
            self._journal = open_journal(path, key=self.key)
            self.created = not existed
            click.get_current_context().call_on_close(self._journal.close)
        return self._journal

    @property
    def key(self) -> CipherKey | None:
        """The encrypted journal's key (from the keyring, else the passphrase); ``None`` when plain."""
        if self._key is None and is_encrypted(self.db_path):
            from journal.encryption import key_for_file, key_opens
            from journal.unlocking import forget_key, remember_key, stored_key

            stored = stored_key(self.db_path)
            if stored is not None and key_opens(self.db_path, stored):
                self._key = stored
            else:
                if stored is not None:
                    forget_key(self.db_path)  # made for an earlier encryption of this file
                key = key_for_file(self.db_path, self.passphrase())
                if not key_opens(self.db_path, key):
                    from journal.encryption import WrongKey

                    raise WrongKey(self.db_path)
                self._key = key
                remember_key(self.db_path, key)
        return self._key

    def passphrase(self, *, new: bool = False) -> str:
        """The passphrase, read once: --passphrase-stdin (see :meth:`read_passphrase_line`), else
        $JOURNAL_PASSPHRASE, else asked on a terminal (twice when ``new``)."""
        if self._passphrase is None:
            from journal.encryption import no_passphrase_error
            from journal.unlocking import passphrase_from_environment

            if passphrase_from_environment():
                self._passphrase = passphrase_from_environment()
            elif click.get_text_stream("stdin").isatty():
                what = _("New passphrase") if new else _("Passphrase for {path}").format(path=self.db_path)
                self._passphrase = click.prompt(what, hide_input=True, confirmation_prompt=new, err=True)
            else:
                raise no_passphrase_error(None if new else self.db_path)
        return self._passphrase

    def read_passphrase_line(self) -> None:
        """Take the passphrase from the first line of standard input, before the command reads the rest."""
        import sys

        self._passphrase = sys.stdin.readline().rstrip("\r\n")

    def forget_journal(self) -> None:
        """Drop the open journal (after a command replaced the file); the next use opens it again."""
        if self._journal is not None:
            self._journal.close()
        self._journal = None
        self._key = None

    @property
    def journal_if_any(self) -> Journal | None:
        """The journal when there is one, else ``None`` (for reading a setting that has a default)."""
        if self._journal is None and not (self.db_path.exists() and self.db_path.stat().st_size > 0):
            return None
        return self.journal

    @property
    def zone(self):
        """The journal's time zone as a ZoneInfo."""
        if self._zone is None:
            from journal.zones import local_zone_name, zone
            from journal.settings import get_setting

            self._zone = zone(local_zone_name(get_setting(self.journal, "timezone")))
        return self._zone

    @property
    def dayfirst(self) -> bool:
        from journal.settings import get_setting

        return get_setting(self.journal, "date_order", "dmy") != "mdy"


def missing_journal_error(path: Path) -> JournalError:
    """What a command that only reads says when there is no journal at ``path``."""
    return JournalError(
        _("there is no journal at {path}").format(path=path),
        _("check --db (or $JOURNAL_DB); `journal init` creates one there, and so does logging a first session"),
    )


pass_app = click.make_pass_decorator(AppContext, ensure=True)
