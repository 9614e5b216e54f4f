"""A normal (non-editable) install carries the supervisor site's files and finds them."""

from __future__ import annotations

import configparser
import sys
from pathlib import Path

import pytest

from journal import resources
from journal.errors import JournalError

ROOT = Path(__file__).resolve().parent.parent


def installed_files() -> set[str]:
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    files = set()
    for patterns in config["options.data_files"].values():
        for pattern in patterns.split():
            files.update(str(p.relative_to(ROOT)) for p in ROOT.glob(pattern))
    return files


def test_every_site_file_is_installed():
    site_files = {str(p.relative_to(ROOT))
                  for folder in ("datasette_plugins", "data/templates", "data/static", "data/cards")
                  for p in (ROOT / folder).iterdir() if p.is_file() and p.suffix in (".py", ".html", ".css", ".yml")}
    assert site_files | {"data/metadata.yml"} == installed_files()


def test_site_folders_are_found_under_the_install_prefix(tmp_path, monkeypatch):
    prefix = tmp_path / "venv"
    (prefix / "share" / "practice-journal" / "data").mkdir(parents=True)
    installed = tmp_path / "site-packages" / "journal" / "supervisor" / "resources.py"
    monkeypatch.setattr(resources, "__file__", str(installed))
    monkeypatch.setattr(sys, "prefix", str(prefix))
    assert resources.site_folder("data") == prefix / "share" / "practice-journal" / "data"
    with pytest.raises(JournalError, match="datasette_plugins/ folder is missing"):
        resources.site_folder("datasette_plugins")


def test_a_checkout_uses_its_own_folders():
    assert resources.site_folder("datasette_plugins") == ROOT / "datasette_plugins"

