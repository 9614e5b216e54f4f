"""The per-invocation state the CLI passes to commands: the journal path, opened lazily."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import click

from journal.db import Journal, open_journal
from journal.paths import resolve_db_path


@dataclass
class AppContext:
    db_option: str | None = None
    _journal: Journal | None = field(default=None, repr=False)
    _zone: object = field(default=None, repr=False)

    @property
    def db_path(self) -> Path:
        return resolve_db_path(self.db_option)

    @property
    def journal(self) -> Journal:
        """The open journal (created and migrated on first use)."""
        if self._journal is None:
            self._journal = open_journal(self.db_path)
            click.get_current_context().call_on_close(self._journal.close)
        return self._journal

    @property
    def zone(self):
        """The journal's time zone as a ZoneInfo."""
        if self._zone is None:
            from journal.dates import local_zone_name, zone
            from journal.settings import get_setting

            self._zone = zone(local_zone_name(get_setting(self.journal, "timezone")))
        return self._zone

    @property
    def dayfirst(self) -> bool:
        from journal.settings import get_setting

        return get_setting(self.journal, "date_order", "dmy") != "mdy"


pass_app = click.make_pass_decorator(AppContext, ensure=True)
