"""Which ``Host:`` names the supervisor site answers, and where `journal serve` may listen.

Checking the Host header defeats DNS rebinding: a web page on another site cannot point its own
name at 127.0.0.1 and read the report through the visitor's browser.
"""

from __future__ import annotations

import ipaddress

from journal.errors import InputError
from journal.i18n import _

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
WILDCARDS = frozenset({"0.0.0.0", "::"})


def is_loopback(host: str) -> bool:
    """Whether ``host`` is this machine only (``localhost``, 127.0.0.0/8, ``::1``)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_listening(host: str, *, login: bool, allow_hosts: tuple[str, ...]) -> None:
    """Refuse a combination of --host, --no-login and --allow-host that would expose the report."""
    if not login and not is_loopback(host):
        raise InputError(_("--no-login serves the report to anyone who reaches {host}").format(host=host),
                         _("drop --no-login (add a login with `journal supervisor add NAME`), or use --host 127.0.0.1"))
    if not login and allow_hosts:
        raise InputError(_("--no-login serves this machine only, so --allow-host has no place here"),
                         _("drop --allow-host, or drop --no-login"))
    if host in WILDCARDS and not allow_hosts:
        raise InputError(_("--host {host} listens on every address, so the site cannot tell its own name").format(host=host),
                         _("name it too, e.g. --allow-host report.example.org (the name supervisors type)"))


def allowed_hosts(host: str, allow_hosts: tuple[str, ...] = ()) -> frozenset[str]:
    """The names a request's Host header may carry (without the port)."""
    names = {name.lower().strip("[]") for name in allow_hosts}
    if host not in WILDCARDS:
        names.add(host.lower().strip("[]"))
    if is_loopback(host):
        names |= LOOPBACK_NAMES
    return frozenset(names)


def host_name(header: str) -> str:
    """The name in a Host header: ``example.org:8001`` -> ``example.org``, ``[::1]:8001`` -> ``::1``."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].split("]", 1)[0]
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header
