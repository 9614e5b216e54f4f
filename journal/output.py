"""Printing records: aligned tables for people, JSON, CSV and newline-delimited JSON for scripts."""

from __future__ import annotations

import functools
import io
import json
from collections.abc import Callable, Iterator, Sequence

import click

from journal.i18n import N_, _, language

FORMATS = ("table", "json", "csv", "nl")
# Every word a table shows as a column header, for the catalogue (JSON and CSV keep the keys as they are).
HEADER_WORDS = (
    N_("id"), N_("date"), N_("time"), N_("kind"), N_("min"), N_("minutes"), N_("with"), N_("with / on"),
    N_("title"), N_("tags"), N_("shared"), N_("period"), N_("sessions"), N_("hours"), N_("name"), N_("emotion"),
    N_("family"), N_("reflections"), N_("entries"), N_("last"), N_("key"), N_("value"), N_("meaning"),
    N_("description"), N_("source"), N_("theme"), N_("origin"), N_("card"), N_("clients"), N_("last used"),
    N_("intensity"), N_("of"), N_("body"), N_("number"), N_("since"), N_("valid until"), N_("state"), N_("url"),
    N_("Name"), N_("Added (UTC)"), N_("format"), N_("group"), N_("credited"), N_("why"), N_("snippet"),
    N_("count"), N_("checked"), N_("template"), N_("on"), N_("start"), N_("end"), N_("mode"), N_("client"),
    N_("setting"), N_("paid"), N_("note"), N_("exercise"), N_("emotions"), N_("group_size"),
)


def cell(value, column: str | None = None) -> str:
    """A value as a person reads it in a table or in `journal show`: yes/no, kinds in their language."""
    if column == "kind" and isinstance(value, str):
        from journal.entries import kind_word

        return _("all") if value == "all" else kind_word(value)
    if isinstance(value, float) and language() == "fr":
        return str(value).replace(".", ",")  # Babel's French decimal comma
    return _cell(value)


def output_options(func: Callable) -> Callable:
    """Stack ``--table`` (default), ``--json``, ``--csv`` and ``--nl`` on a command as ``fmt``."""

    @click.option("--table", "fmt", flag_value="table", default=True, help="An aligned table (default).")
    @click.option("--json", "fmt", flag_value="json", help="A JSON array of objects.")
    @click.option("--csv", "fmt", flag_value="csv", help="CSV with a header row.")
    @click.option("--nl", "fmt", flag_value="nl", help="One JSON object per line.")
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        return func(*args, **kwargs)

    return wrapper


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def render(rows: Sequence[dict], fmt: str, columns: Sequence[str] | None = None,
           headers: dict[str, str] | None = None, widths: dict[str, int] | None = None) -> str:
    """Rows as text in ``fmt``. ``columns`` picks and orders the table's columns."""
    if fmt == "json":
        return json.dumps(list(rows), indent=2, ensure_ascii=False)
    if fmt == "nl":
        return "\n".join(json.dumps(row, ensure_ascii=False) for row in rows)
    names = list(columns or (rows[0].keys() if rows else []))
    if fmt == "csv":
        import csv

        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        all_names = names if columns is None else _all_keys(rows, names)
        writer.writerow(all_names)
        for row in rows:
            writer.writerow([_csv_cell(row.get(n)) for n in all_names])
        return buffer.getvalue().rstrip("\n")
    return table(rows, names, headers or {}, widths or {})


_JSON_CONSTANTS = {None: "null", True: "true", False: "false"}


def echo_json(value) -> None:
    """Print ``value`` as ``json.dumps(value, indent=2, ensure_ascii=False)`` does, a piece at a time:
    `journal check --json` of every profile is 370 KB, which is then neither built nor encoded for output
    whole. (A value that JSON cannot hold fails part-way, after the pieces before it.)"""
    for piece in json_pieces(value):
        click.echo(piece, nl=False)
    click.echo()


def json_pieces(value) -> Iterator[str]:
    """The text of ``json.dumps(value, indent=2, ensure_ascii=False)`` in pieces, a top-level item at a
    time. Each list or dict that appears several times (every report of `journal check --json` carries
    the same countersignatures) is encoded once for each depth it appears at."""
    encoded: dict[tuple[int, int], str] = {}
    text = json.encoder.encode_basestring  # C-accelerated where available, as json.dumps uses it

    def key(name) -> str:
        return text(name if isinstance(name, str) else json.dumps(name))

    def encode(item, indent: str) -> str:
        if isinstance(item, str):
            return text(item)
        if isinstance(item, (list, tuple, dict)):
            found = encoded.get((id(item), len(indent)))
            if found is None:
                inner = indent + "  "
                if isinstance(item, dict):
                    parts = [f"{key(k)}: {encode(v, inner)}" for k, v in item.items()]
                    brackets = "{}"
                else:
                    parts = [encode(v, inner) for v in item]
                    brackets = "[]"
                found = (f"{brackets[0]}\n{inner}" + f",\n{inner}".join(parts) + f"\n{indent}{brackets[1]}"
                         if parts else brackets)
                encoded[id(item), len(indent)] = found
            return found
        if item is None or item is True or item is False:
            return _JSON_CONSTANTS[item]
        if type(item) is int or (type(item) is float and item - item == 0):  # finite: what json.dumps writes
            return repr(item)
        return json.dumps(item)  # NaN, infinities, subclasses (and the TypeError of anything else)

    if not isinstance(value, (list, tuple, dict)) or not value:
        yield encode(value, "")
        return
    is_dict = isinstance(value, dict)
    separator = "{\n  " if is_dict else "[\n  "
    for name, item in (value.items() if is_dict else enumerate(value)):
        yield separator + (f"{key(name)}: " if is_dict else "") + encode(item, "  ")
        separator = ",\n  "
    yield "\n}" if is_dict else "\n]"


def _all_keys(rows: Sequence[dict], first: Sequence[str]) -> list[str]:
    keys = list(first)
    for row in rows:
        keys.extend(k for k in row if k not in keys)
    return keys


def _csv_cell(value) -> str:
    if isinstance(value, (list, tuple)):
        return ";".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def table(rows: Sequence[dict], columns: Sequence[str], headers: dict[str, str],
          widths: dict[str, int]) -> str:
    """A plain aligned table; long cells are shortened to the column's maximum width. Tables are
    for people: control characters in a cell are shown as escapes (see journal.terminal)."""
    from journal.terminal import escaped

    head = [_(headers.get(c, c)) for c in columns]
    body = []
    for row in rows:
        cells = []
        for column in columns:
            text = escaped(" ".join(cell(row.get(column), column).split()))
            limit = widths.get(column)
            if limit and len(text) > limit:
                text = text[: limit - 1] + "…"
            cells.append(text)
        body.append(cells)
    sizes = [max([len(h)] + [len(r[i]) for r in body]) for i, h in enumerate(head)]
    lines = ["  ".join(h.ljust(sizes[i]) for i, h in enumerate(head)).rstrip()]
    lines.append("  ".join("-" * s for s in sizes))
    lines.extend("  ".join(c.ljust(sizes[i]) for i, c in enumerate(r)).rstrip() for r in body)
    return "\n".join(lines)


def emit(rows: Sequence[dict], fmt: str, columns: Sequence[str] | None = None, *,
         empty: str = N_("Nothing found."), **kwargs) -> None:
    """Print ``rows``; an empty table prints ``empty`` on stderr (JSON prints ``[]``)."""
    if not rows and fmt == "table":
        click.echo(_(empty), err=True)
        return
    text = render(rows, fmt, columns, **kwargs)
    if text:
        click.echo(text)
