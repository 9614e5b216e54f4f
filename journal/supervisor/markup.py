"""Reflection text as safe HTML: Markdown headings, paragraphs and lists; everything else escaped.

Reflections are written from templates whose sections are Markdown headings (``## Feelings``).
Only that small subset is turned into markup; any HTML the text contains is shown as text.
"""

from __future__ import annotations

import re
from html import escape

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_ITEM = re.compile(r"^\s*[-*]\s+(.*)$")


def reflection_html(text: str | None, heading_offset: int = 2) -> str:
    """HTML for ``text``; headings are shifted down by ``heading_offset`` to sit under the page's."""
    blocks: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append("<p>" + "<br>".join(escape(line) for line in paragraph) + "</p>")
            paragraph.clear()
        if items:
            blocks.append("<ul>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ul>")
            items.clear()

    for line in (text or "").splitlines():
        heading = _HEADING.match(line)
        item = _ITEM.match(line)
        if heading:
            flush()
            level = min(6, len(heading.group(1)) + heading_offset)
            blocks.append(f"<h{level}>{escape(heading.group(2))}</h{level}>")
        elif item:
            if paragraph:
                flush()
            items.append(item.group(1))
        elif not line.strip():
            flush()
        else:
            if items:
                flush()
            paragraph.append(line.strip())
    flush()
    return "\n".join(blocks)
