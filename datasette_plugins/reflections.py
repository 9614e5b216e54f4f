"""Shared reflections shown as readable text: template headings as headings, HTML escaped."""

from __future__ import annotations

from datasette import hookimpl
from markupsafe import Markup

from journal.supervisor.markup import reflection_html


@hookimpl
def render_cell(value, column, table):
    if table == "reflections" and column == "body" and isinstance(value, str):
        return Markup(f'<div class="reflection-text">{reflection_html(value)}</div>')
    return None
