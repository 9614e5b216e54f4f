"""Charts as self-contained SVG text: no script, no web fonts, readable on screen and on paper."""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from journal.i18n import _
from journal.kinds import kind_label
from journal.rules.text import num

WIDTH, HEIGHT = 760, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 48, 44
KIND_COLOURS = {"therapy": "#762a83", "supervision": "#1b7837", "practice": "#2166ac", "cpd": "#b35806"}
COLOURS = {"short": "#d6604d", "line": "#222222"}
FALLBACK = ("#4d4d4d", "#878787", "#bababa")
# Distinct colours for series that are not kinds (e.g. the emotions most often named).
CATEGORICAL = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#1f78b4",
               "#999999")


def _colour(name: str, index: int) -> str:
    """A kind's own colour, whatever the language of its label; else the fallbacks in turn."""
    kinds = {_(kind_label(kind)): colour for kind, colour in KIND_COLOURS.items()}
    return kinds.get(name, FALLBACK[index % len(FALLBACK)])


def _nice_top(value: float) -> tuple[float, float]:
    """A round axis maximum at or above ``value`` and its tick step (about five ticks)."""
    if value <= 0:
        return 1.0, 0.25
    raw = value / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return step * math.ceil(value / step), step


def _frame(title: str, labels: Sequence[str], top: float, step: float, unit: str) -> list[str]:
    plot_h = HEIGHT - TOP - BOTTOM
    plot_w = WIDTH - LEFT - RIGHT
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
        f'height="{HEIGHT}" role="img" aria-label="{escape(title)}" font-family="DejaVu Sans, sans-serif" '
        'font-size="11">',
        f"<title>{escape(title)}</title>",
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
        f'<text x="{LEFT}" y="18" font-size="14" font-weight="bold" fill="#111">{escape(title)}</text>',
    ]
    ticks = int(round(top / step))
    for i in range(ticks + 1):
        value = i * step
        y = TOP + plot_h - plot_h * value / top
        parts.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#dddddd"/>')
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#333">{num(value)} {escape(unit)}</text>'
        )
    every = max(1, math.ceil(len(labels) / 12))
    slot = plot_w / max(1, len(labels))
    for i, label in enumerate(labels):
        if i % every == 0:
            x = LEFT + slot * (i + 0.5)
            parts.append(
                f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" fill="#333">'
                f"{escape(label)}</text>"
            )
    return parts


def _legend(names: Sequence[str], extra: Sequence[tuple[str, str]] = (), categorical: bool = False) -> list[str]:
    parts, x = [], LEFT
    for i, name in enumerate(names):
        colour = CATEGORICAL[i % len(CATEGORICAL)] if categorical else _colour(name, i)
        parts.append(f'<rect x="{x}" y="28" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{x + 14}" y="37" fill="#333">{escape(name)}</text>')
        x += 24 + 7 * len(name)
    for colour, label in extra:
        parts.append(f'<rect x="{x}" y="28" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{x + 14}" y="37" fill="#333">{escape(label)}</text>')
        x += 24 + 7 * len(label)
    return parts


def bar_chart(title: str, labels: Sequence[str], series: dict[str, Sequence[float]], *, unit: str = "h",
              threshold: float | None = None, threshold_label: str = "",
              short: Sequence[bool] | None = None, categorical: bool = False) -> str:
    """Stacked bars per label. With ``threshold``, a dashed line; bars flagged in ``short`` (by
    default those below the line) are drawn as short; ``categorical`` colours the series in turn
    from :data:`CATEGORICAL` instead of by kind."""
    totals = [sum(values[i] for values in series.values()) for i in range(len(labels))]
    top, step = _nice_top(max(totals + [threshold or 0]) * 1.05)
    plot_h = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / max(1, len(labels))
    if short is None:
        short = [threshold is not None and total < threshold for total in totals]
    extra = [(COLOURS["short"], _("short of the monthly minimum"))] if any(short) else []
    parts = _frame(title, labels, top, step, unit) + _legend(list(series), extra, categorical)
    for i, label in enumerate(labels):
        base = TOP + plot_h
        for index, (name, values) in enumerate(series.items()):
            value = values[i]
            if not value:
                continue
            height = plot_h * value / top
            colour = (COLOURS["short"] if short[i] else CATEGORICAL[index % len(CATEGORICAL)] if categorical
                      else _colour(name, index))
            base -= height
            parts.append(
                f'<rect x="{LEFT + slot * i + slot * 0.15:.1f}" y="{base:.1f}" width="{slot * 0.7:.1f}" '
                f'height="{height:.1f}" fill="{colour}"><title>{escape(label)}: {escape(name)} '
                f"{num(value)} {escape(unit)}</title></rect>"
            )
        if short[i]:
            parts.append(
                f'<text x="{LEFT + slot * (i + 0.5):.1f}" y="{TOP + plot_h - 3}" text-anchor="middle" '
                f'fill="{COLOURS["short"]}" font-weight="bold">!</text>'
            )
    if threshold is not None:
        y = TOP + plot_h - plot_h * threshold / top
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="{COLOURS["line"]}" '
            'stroke-dasharray="6 4" stroke-width="1.5"/>'
        )
        parts.append(
            f'<text x="{WIDTH - RIGHT}" y="{y - 4:.1f}" text-anchor="end" fill="#111" stroke="#ffffff" '
            'stroke-width="3" paint-order="stroke">'
            f"{escape(threshold_label)}</text>"
        )
    parts.append("</svg>")
    return "\n".join(parts)


def line_chart(title: str, labels: Sequence[str], series: dict[str, Sequence[float]], *, unit: str = "h") -> str:
    """One line per series, e.g. cumulative hours per month."""
    peak = max([v for values in series.values() for v in values] + [0])
    top, step = _nice_top(peak * 1.05)
    plot_h = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / max(1, len(labels))
    parts = _frame(title, labels, top, step, unit) + _legend(list(series))
    for index, (name, values) in enumerate(series.items()):
        points = " ".join(
            f"{LEFT + slot * (i + 0.5):.1f},{TOP + plot_h - plot_h * v / top:.1f}" for i, v in enumerate(values)
        )
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{_colour(name, index)}" stroke-width="2.5">'
            "<title>" + escape(_("{name}: {value} {unit} in all").format(
                name=name, value=num(values[-1] if values else 0), unit=unit)) + "</title></polyline>"
        )
    parts.append("</svg>")
    return "\n".join(parts)
