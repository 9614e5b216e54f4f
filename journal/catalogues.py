"""Build and check the gettext catalogues with Babel (a developer's tool; the CLI never imports it).

    python -m journal.catalogues update    # extract from the code, merge into the .po files
    python -m journal.catalogues compile   # .po -> .mo (committed, so a fresh install is ready offline)
    python -m journal.catalogues check     # what is stale, missing or untranslated (exit 1 if anything)

Two domains: ``journal`` (our messages and every command's help, read from the live Click commands)
and ``click`` (Click's own words: "Usage", "Options", "Error", read from Click's installed source).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from journal.i18n import CLICK_DOMAIN, DOMAIN, LOCALE_DIR

TRANSLATED = ("fr",)
KEYWORDS = {"_": None, "_h": None, "N_": None, "ngettext": (1, 2), "_hn": (1, 2), "pgettext": ((1, "c"), 2)}
PACKAGE_DIR = Path(__file__).resolve().parent


def po_path(domain: str, language: str, locale_dir: Path = LOCALE_DIR) -> Path:
    return locale_dir / language / "LC_MESSAGES" / f"{domain}.po"


def _from_source(folder: Path) -> list[tuple[str | tuple[str, str], str, str | None]]:
    """Messages marked in Python files and in the Jinja2 pages (``templates_html``)."""
    method_map = [("**.py", "python"), ("**/templates_html/**.html", "jinja2.ext:babel_extract")]
    return [
        (message, filename, context)
        for filename, _line, message, _comments, context in extract_from_dir(
            folder, method_map=method_map, keywords=KEYWORDS
        )
    ]


def _from_site() -> list[tuple[str | tuple[str, str], str, str | None]]:
    """Messages of the supervisor's site: its Datasette plugins and its pages (``data/templates``)."""
    from journal.resources import site_folder

    found = []
    for name, method_map in (("datasette_plugins", [("*.py", "python")]),
                             ("data", [("templates/**.html", "jinja2.ext:babel_extract")])):
        found += [(message, filename, context) for filename, _line, message, _comments, context in extract_from_dir(
            site_folder(name), method_map=method_map, keywords=KEYWORDS)]
    return found


def _profile_texts() -> list[str]:
    """The titles and descriptions of the shipped requirement profiles and of their rules (their
    sources are citations, quoted as published)."""
    import yaml

    from journal.rules.profiles import PROFILE_DIR

    texts = []
    for path in sorted(PROFILE_DIR.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for part in [data, *data.get("versions", [])]:
            texts += [part.get("title"), part.get("description")]
            texts += [rule.get(key) for rule in part.get("rules", []) for key in ("title", "description")]
    return [text.strip() for text in texts if isinstance(text, str) and text.strip()]


def _help_texts() -> list[str]:
    from journal.cli import COMMANDS, cli
    from journal.localize import walk_texts

    texts = walk_texts(cli)
    for name in COMMANDS:
        command = cli.get_command(None, name)
        if command is not None:
            texts.extend(walk_texts(command))
    return texts


def template(domain: str) -> Catalog:
    """Every message of ``domain`` as found in the code now."""
    catalog = Catalog(domain=domain, project="practice-journal")
    if domain == DOMAIN:
        found = (_from_source(PACKAGE_DIR) + _from_site() + [(text, "help") for text in _help_texts()]
                 + [(text, "profiles") for text in _profile_texts()])
    else:
        import click

        found = _from_source(Path(click.__file__).parent)
    for message, _where, *context in found:
        catalog.add(message, context=context[0] if context else None)
    return catalog


def update() -> None:
    """Merge what the code says into each .po, keeping translations; drops what the code no longer says."""
    for domain in (DOMAIN, CLICK_DOMAIN):
        fresh = template(domain)
        for language in TRANSLATED:
            path = po_path(domain, language)
            if path.exists():
                with path.open("rb") as handle:
                    catalog = read_po(handle, locale=language, domain=domain)
                fresh.creation_date = catalog.creation_date  # the header changes only with the messages
                catalog.update(fresh, no_fuzzy_matching=True)
                catalog.obsolete.clear()
            else:
                catalog = Catalog(locale=language, domain=domain, project="practice-journal")
                for message in fresh:
                    if message.id:
                        catalog.add(message.id)
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("wb") as handle:
                write_po(handle, catalog, no_location=True, sort_output=True, omit_header=False, width=100)


def compiled(domain: str, language: str, locale_dir: Path = LOCALE_DIR) -> bytes:
    with po_path(domain, language, locale_dir).open("rb") as handle:
        catalog = read_po(handle, locale=language, domain=domain)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return sorted_mo(buffer.getvalue())


def sorted_mo(data: bytes) -> bytes:
    """A .mo file with its entries in the byte order of their keys, as GNU msgfmt writes them (Babel
    orders messages with a context by their text, not by their key): journal.i18n.LazyCatalogue
    finds a message by binary search over these keys."""
    import struct

    count, originals, translations = struct.unpack_from("<3I", data, 8)

    def strings(table: int) -> list[bytes]:
        found = []
        for index in range(count):
            length, offset = struct.unpack_from("<2I", data, table + 8 * index)
            found.append(data[offset:offset + length])
        return found

    pairs = sorted(zip(strings(originals), strings(translations)))
    keys = b"".join(key + b"\0" for key, _value in pairs)
    values = b"".join(value + b"\0" for _key, value in pairs)
    start = 7 * 4 + 16 * count  # the header, then both tables; no hash table
    key_table, value_table, offset = [], [], start
    for key, _value in pairs:
        key_table += [len(key), offset]
        offset += len(key) + 1
    for _key, value in pairs:
        value_table += [len(value), offset]
        offset += len(value) + 1
    header = struct.pack("<7I", 0x950412DE, 0, count, 7 * 4, 7 * 4 + 8 * count, 0, start)
    return header + struct.pack(f"<{4 * count}I", *key_table, *value_table) + keys + values


def compile_all() -> None:
    for domain in (DOMAIN, CLICK_DOMAIN):
        for language in TRANSLATED:
            po_path(domain, language).with_suffix(".mo").write_bytes(compiled(domain, language))


def _said_of(context: str | None) -> str:
    return f" (said of a {context})" if context else ""


def problems(locale_dir: Path = LOCALE_DIR) -> list[str]:
    """Every way the catalogues disagree with the code or with each other; empty when all is well."""
    found = []
    for domain in (DOMAIN, CLICK_DOMAIN):
        wanted = {(message.id, message.context) for message in template(domain) if message.id}
        for language in TRANSLATED:
            path = po_path(domain, language, locale_dir)
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=language, domain=domain)
            have = {(message.id, message.context) for message in catalog if message.id}
            for key, context in sorted(wanted - have, key=str):
                found.append(f"{path.name} ({language}) lacks {key!r}{_said_of(context)}: "
                             "run python -m journal.catalogues update")
            for key, context in sorted(have - wanted, key=str):
                found.append(f"{path.name} ({language}) has {key!r}{_said_of(context)}, which the code no longer says")
            for message in catalog:
                if not message.id:
                    continue
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                if message.fuzzy or not all(strings):
                    found.append(f"{path.name} ({language}) has no translation of {message.id!r}")
            mo = path.with_suffix(".mo")
            if not mo.exists() or mo.read_bytes() != compiled(domain, language, locale_dir):
                found.append(f"{mo.name} ({language}) is stale: run python -m journal.catalogues compile")
    return found


def main(argv: list[str]) -> int:
    action = argv[0] if argv else "check"
    if action == "update":
        update()
    elif action == "compile":
        compile_all()
    elif action == "check":
        trouble = problems()
        print("\n".join(trouble) or "catalogues complete and up to date")
        return 1 if trouble else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
