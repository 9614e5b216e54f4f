"""Which paths of the supervisor site need a login, and which are closed to everyone.

An invite link (``/-/invite?token=``) is open: its holder has no login yet."""

from __future__ import annotations

# Reachable without a login: the login form, the stylesheets it needs and the language switch.
OPEN_PREFIXES = ("/-/static/", "/-/static-plugins/")
OPEN_PATHS = ("/-/login", "/-/logout", "/-/invite", "/-/language", "/favicon.ico")

# The only forms the site has, so the only paths that take a POST (each form carries a CSRF token).
FORM_PATHS = ("/-/login", "/-/logout", "/-/invite", "/-/countersign", "/-/withdraw")
MAX_FORM_BYTES = 16 * 1024

# Datasette's introspection and tooling pages: closed to everyone, logged in or not.
CLOSED_PATHS = (
    "/-/metadata", "/-/plugins", "/-/versions", "/-/settings", "/-/config", "/-/threads",
    "/-/databases", "/-/permissions", "/-/allow-debug", "/-/messages", "/-/patterns",
    "/-/password-tool", "/-/auth-token", "/-/create-token", "/-/actor",
)


def is_open_to_anonymous(path: str) -> bool:
    return path in OPEN_PATHS or path.startswith(OPEN_PREFIXES)


def is_closed(path: str) -> bool:
    bare = path.split("?", 1)[0].rstrip("/")
    return any(bare == closed or bare.startswith(closed + ".") for closed in CLOSED_PATHS)
