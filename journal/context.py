"""The per-invocation state the CLI passes to commands: the journal path, opened lazily."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import click

from journal.db import Journal, open_journal
from journal.errors import JournalError
from journal.i18n import _
from journal.paths import resolve_db_path


# The commands that may create a journal where there is none; every other command reads an
# existing one and, on a missing file, says so and how to make one (exit 1).
CREATES_JOURNAL = frozenset({"init", "log", "reflect", "import", "demo", "start"})


@dataclass
class AppContext:
    db_option: str | None = None
    may_create: bool = True
    created: bool = False  # whether this command created the journal file
    _journal: Journal | None = field(default=None, repr=False)
    _zone: object = field(default=None, repr=False)

    @property
    def db_path(self) -> Path:
        return resolve_db_path(self.db_option)

    @property
    def journal(self) -> Journal:
        """The open journal (migrated on first use; created only by the commands that may create one)."""
        if self._journal is None:
            path = self.db_path
            existed = path.exists() and path.stat().st_size > 0
            if not existed and not self.may_create:
                raise missing_journal_error(path)
            self._journal = open_journal(path)
            self.created = not existed
            click.get_current_context().call_on_close(self._journal.close)
        return self._journal

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
