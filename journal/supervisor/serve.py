"""`journal serve`: Datasette on the published supervisor database alone, behind logins.

The Datasette instance is built here for both the server and the tests, so the tests crawl
exactly what a supervisor reaches. The logins are read live from the journal (only its
``supervisors`` table, through a read-only connection) by :class:`~journal.supervisor.logins.LoginBook`;
they never reach Datasette's configuration. Sign-in, sessions and the gate are in
:mod:`journal.supervisor.site` and :mod:`journal.supervisor.gate`.
"""

from __future__ import annotations

import os
import secrets
import socket
from pathlib import Path

from journal.errors import JournalError
from journal.supervisor.hosts import allowed_hosts, is_loopback
from journal.supervisor.logins import LoginBook
from journal.supervisor.publish import DATABASE_NAME
from journal.paths import create_private_file
from journal.i18n import LANGUAGES, _
from journal.resources import site_folder

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8001
# Installed by earlier versions: it answers `Authorization: Basic` and its own /-/login. Switched off.
RETIRED_PLUGINS = ("auth_passwords",)

SETTINGS = {
    "allow_download": False,
    "suggest_facets": False,
    "default_allow_sql": False,  # canned queries only; no ?sql= and no ?_where=
    "allow_csv_stream": True,
    "max_returned_rows": 1000,
    "default_page_size": 50,  # a screenful or two to read; Datasette's 100 doubles the rendering time
}


def secret_path(journal_path: Path) -> Path:
    return journal_path.with_name(journal_path.name + ".secret")


def signing_secret(journal_path: Path) -> str:
    """The signing secret kept (0600) beside the journal, so forms and device cookies survive a restart."""
    path = secret_path(journal_path)
    if path.exists() and path.read_text().strip():
        return path.read_text().strip()
    create_private_file(path)
    path.write_text(secrets.token_hex(32) + "\n")
    return path.read_text().strip()


def load_metadata() -> dict:
    """Titles, descriptions, units, facets and canned queries from ``data/metadata.yml``."""
    import yaml

    return yaml.safe_load((site_folder("data") / "metadata.yml").read_text(encoding="utf-8"))


def report_language(published: Path) -> str:
    """The language the practitioner published in (``about.language``); English for an older file."""
    import sqlite3

    connection = sqlite3.connect(f"file:{Path(published).resolve()}?mode=ro", uri=True)
    try:
        columns = {row[1] for row in connection.execute("PRAGMA table_info(about)")}
        found = connection.execute("SELECT language FROM about").fetchone() if "language" in columns else None
    finally:
        connection.close()
    return found[0] if found and found[0] in LANGUAGES else "en"


def make_datasette(published: Path, *, logins: LoginBook | None, secret: str,
                   hosts: frozenset[str] = allowed_hosts("127.0.0.1"), inbox: Path | None = None):
    """A Datasette serving ``published`` alone, immutable, with our metadata, templates and plugins.

    ``logins`` None means no login is asked (`--no-login`); ``hosts`` are the Host names answered;
    ``inbox`` is where countersignatures and invited supervisors' passwords are written (default:
    beside ``published``; none without logins).
    """
    from datasette.app import Datasette
    from datasette.database import Database
    from datasette.plugins import pm

    from journal.supervisor.site import Site, attach

    for name in RETIRED_PLUGINS:
        if pm.has_plugin(name):
            pm.unregister(name=name)
    ds = Datasette(
        metadata=load_metadata(),
        settings=SETTINGS,
        plugins_dir=str(site_folder("datasette_plugins")),
        template_dir=str(site_folder("data") / "templates"),
        secret=secret,
    )
    from journal.signoffs.inbox import Inbox, inbox_path

    inbox = Inbox(inbox or inbox_path(Path(published))) if logins is not None else None
    if logins is not None:
        logins.inbox = inbox.path
    attach(ds, Site(logins=logins, hosts=hosts, secret=secret, inbox=inbox, language=report_language(published)))
    ds.remove_database("_memory")
    ds.add_database(Database(ds, path=str(published), is_mutable=False), name=DATABASE_NAME)
    return ds


def check_port_free(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise JournalError(
                _("cannot listen on {host}:{port} ({strerror})").format(host=host, port=port, strerror=exc.strerror),
                _("pass another port, e.g. --port {value}").format(value=port + 1),
            ) from None


def warnings_for(host: str, login: bool) -> list[str]:
    """What the practitioner must hear before the server starts."""
    notes = []
    if not login:
        notes.append(_(
            "WARNING: --no-login: anyone who can reach this address sees your supervisor report "
            "without signing in. Use it only for your own look, on this machine."
        ))
    if not is_loopback(host):
        notes.append(_(
            "WARNING: listening on {host}, not only this machine. The server speaks plain HTTP: put "
            "TLS in front (a reverse proxy such as Caddy or nginx) before sharing it on a network."
        ).format(host=host))
    return notes


def run(ds, host: str, port: int) -> None:
    """Serve until interrupted."""
    import asyncio

    import uvicorn

    asyncio.run(ds.invoke_startup())
    # No colour codes: on a terminal, stdout shows control characters escaped (journal.output).
    uvicorn.run(ds.app(), host=host, port=port, log_level=os.environ.get("JOURNAL_SERVE_LOG", "warning"),
                use_colors=False)
