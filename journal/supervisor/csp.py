"""The Content-Security-Policy: scripts from the site itself, plus Datasette's own inline scripts
allowed one by one by their SHA-256 hash (so an injected ``<script>`` never runs)."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

# Datasette's templates whose inline scripts our pages keep (menus that close on an outside click,
# the table page's facet switch); a script with template code in it cannot be hashed and stays blocked.
DATASETTE_TEMPLATES = ("_close_open_menus.html", "table.html")
TEMPLATED_SCRIPTS = ("DATASETTE_ALLOW_FACET = true;", "DATASETTE_ALLOW_FACET = false;")
INLINE_SCRIPT = re.compile(r"<script>([\s\S]*?)</script>")


def _hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def inline_script_hashes() -> list[str]:
    """Hashes of the fixed inline scripts in the installed Datasette's templates."""
    import datasette

    folder = Path(datasette.__file__).parent / "templates"
    scripts = [body for name in DATASETTE_TEMPLATES for body in INLINE_SCRIPT.findall((folder / name).read_text())
               if "{{" not in body and "{%" not in body]
    return [_hash(script) for script in (*scripts, *TEMPLATED_SCRIPTS)]


def content_security_policy() -> str:
    scripts = " ".join(["'self'", *inline_script_hashes()])
    return (f"default-src 'none'; script-src {scripts}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
