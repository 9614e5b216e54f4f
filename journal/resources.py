"""Where the data files are: ``data/`` (the supervisor site's metadata and templates, the prompt
cards and emotion vocabulary) and ``datasette_plugins/``.

In a checkout or an editable install they sit beside the package; a normal install puts them
under ``share/practice-journal/`` of its prefix (``setup.cfg``'s ``data_files``).
"""

from __future__ import annotations

import site
import sys
from pathlib import Path

from journal.errors import JournalError
from journal.i18n import _

SHARE = Path("share") / "practice-journal"


def site_folder(name: str) -> Path:
    """The folder ``name`` (``data`` or ``datasette_plugins``) wherever this install keeps it."""
    candidates = (
        Path(__file__).resolve().parents[1],
        Path(sys.prefix) / SHARE,
        Path(site.getuserbase()) / SHARE,
    )
    for base in candidates:
        if (base / name).is_dir():
            return base / name
    raise JournalError(_("the {name}/ folder is missing from this install").format(name=name),
                       _("reinstall with `pip install --force-reinstall practice-journal`"))
