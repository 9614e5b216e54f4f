"""Units beside figures in HTML tables: hours as "1.5 h", minutes as "50 min" (JSON and CSV stay bare)."""

from __future__ import annotations

from datasette import hookimpl

from journal.supervisor.report import UNITS


@hookimpl
def render_cell(value, column, database):
    unit = UNITS.get(column)
    if database == "report" and unit and isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:g} {unit}"
    return None
