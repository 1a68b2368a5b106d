"""Dashboard charts as SVG, made at build time: no JavaScript, no CDN, printable.

Each chart is a self-contained SVG document (styles inline, system fonts) with a
``<title>`` and ``<desc>`` for screen readers; the dashboard's table holds the same figures.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from html import escape

from sop_lint.site.i18n import MONTHS, label

GOOD, WARN, BAD, NEUTRAL, INK, MUTED, GRID = (
    "#2e7d32",
    "#ef8f00",
    "#c62828",
    "#3f51b5",
    "#1f2937",
    "#6b7280",
    "#e5e7eb",
)
FONT = (
    "font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans','Noto Sans Telugu',"
    "sans-serif"
)


@dataclass(slots=True, frozen=True)
class ReadabilityBar:
    """One SOP's bar: ``value`` in the chart's metric, ``level`` ok/warning/error/None."""

    label: str
    title: str
    value: float | None
    level: str | None


@dataclass(slots=True, frozen=True)
class Scale:
    """The chart's metric: its name, axis end, target, and whether higher is better."""

    name: str
    maximum: float
    target: float | None
    limit: float | None  # the error threshold
    higher_is_better: bool


def _svg(width: int, height: int, title: str, desc: str, body: list[str]) -> str:
    return "\n".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" role="img" aria-labelledby="t d" '
            f'style="{FONT};font-size:13px">',
            f'<title id="t">{escape(title)}</title>',
            f'<desc id="d">{escape(desc)}</desc>',
            '<rect width="100%" height="100%" fill="#ffffff"/>',
            *body,
            "</svg>",
            "",
        ]
    )


def readability_chart(bars: list[ReadabilityBar], scale: Scale, lang: str) -> str:
    """Horizontal bars, one per SOP, with the target (and error threshold) marked."""
    left, right, top, row = 110, 70, 44, 24
    width = 760
    plot = width - left - right
    height = top + row * max(len(bars), 1) + 34
    title = label(lang, "chart_readability")
    body = [
        f'<text x="{left}" y="20" fill="{INK}" font-weight="600" font-size="15">'
        f"{escape(title)} ({escape(scale.name)})</text>"
    ]

    def x(value: float) -> float:
        return left + plot * max(0.0, min(value, scale.maximum)) / scale.maximum

    # Grid and axis labels.
    step = 10 if scale.maximum <= 100 else 20
    tick = 0.0
    while tick <= scale.maximum + 1e-9:
        gx = x(tick)
        body.append(
            f'<line x1="{gx:.1f}" y1="{top - 6}" x2="{gx:.1f}" y2="{height - 30}" stroke="{GRID}"/>'
        )
        body.append(
            f'<text x="{gx:.1f}" y="{height - 14}" fill="{MUTED}" text-anchor="middle">'
            f"{tick:g}</text>"
        )
        tick += step
    descs = []
    for i, bar in enumerate(bars):
        y = top + i * row
        body.append(
            f'<text x="{left - 8}" y="{y + 16}" fill="{INK}" text-anchor="end">'
            f"<title>{escape(bar.title)}</title>{escape(bar.label)}</text>"
        )
        if bar.value is None:
            body.append(
                f'<text x="{left + 4}" y="{y + 16}" fill="{MUTED}">'
                f"{escape(label(lang, 'not_graded'))}</text>"
            )
            descs.append(f"{bar.label}: {label(lang, 'not_graded')}")
            continue
        colour = {"ok": GOOD, "warning": WARN, "error": BAD}.get(bar.level or "", NEUTRAL)
        end = x(bar.value)
        body.append(
            f'<rect x="{left}" y="{y + 4}" width="{max(end - left, 1):.1f}" height="{row - 8}" '
            f'rx="3" fill="{colour}"><title>{escape(bar.title)}: {bar.value:g}</title></rect>'
        )
        body.append(f'<text x="{end + 6:.1f}" y="{y + 16}" fill="{INK}">{bar.value:g}</text>')
        descs.append(f"{bar.label}: {bar.value:g}")
    for value, colour, name in (
        (scale.target, GOOD, label(lang, "target")),
        (scale.limit, BAD, None),
    ):
        if value is None:
            continue
        tx = x(value)
        body.append(
            f'<line x1="{tx:.1f}" y1="{top - 8}" x2="{tx:.1f}" y2="{height - 30}" '
            f'stroke="{colour}" stroke-width="2" stroke-dasharray="5 4"/>'
        )
        if name:
            body.append(
                f'<text x="{tx:.1f}" y="{top - 12}" fill="{colour}" text-anchor="middle">'
                f"{escape(name)} {value:g}</text>"
            )
    return _svg(width, height, f"{title} ({scale.name})", "; ".join(descs), body)


def months_ahead(today: datetime.date, count: int = 12) -> list[datetime.date]:
    """The first day of this month and the ``count - 1`` months after it."""
    out = []
    year, month = today.year, today.month
    for _ in range(count):
        out.append(datetime.date(year, month, 1))
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return out


def reviews_chart(dates: list[tuple[str, datetime.date]], today: datetime.date, lang: str) -> str:
    """Columns: reviews overdue, then reviews due in each of the next twelve months."""
    months = months_ahead(today, 12)
    end = months_ahead(months[-1], 2)[1]
    columns = [0] * 13
    names: list[list[str]] = [[] for _ in range(13)]
    for name, due in dates:
        if due < today:
            index = 0
        elif due >= end:
            continue
        else:
            index = 1 + (due.year - months[0].year) * 12 + due.month - months[0].month
        columns[index] += 1
        names[index].append(name)
    width, height, left, top, bottom = 760, 260, 40, 44, 56
    plot_h = height - top - bottom
    col_w = (width - left - 20) / 13
    peak = max(max(columns), 1)
    title = label(lang, "chart_reviews")
    body = [
        f'<text x="{left}" y="20" fill="{INK}" font-weight="600" font-size="15">'
        f"{escape(title)}</text>",
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 20}" y2="{top + plot_h}" '
        f'stroke="{MUTED}"/>',
    ]
    month_names = MONTHS.get(lang, MONTHS["en"])
    descs = []
    for i, count in enumerate(columns):
        cx = left + i * col_w
        if i == 0:
            text = label(lang, "overdue_column")
            colour = BAD
        else:
            month = months[i - 1]
            text = month_names[month.month - 1]
            if month.month == 1 or i == 1:
                text += f" {month.year}"
            colour = NEUTRAL
        bar_h = plot_h * count / peak
        if count:
            tip = escape(", ".join(names[i]))
            body.append(
                f'<rect x="{cx + 6:.1f}" y="{top + plot_h - bar_h:.1f}" width="{col_w - 12:.1f}" '
                f'height="{bar_h:.1f}" rx="3" fill="{colour}"><title>{tip}</title></rect>'
            )
            body.append(
                f'<text x="{cx + col_w / 2:.1f}" y="{top + plot_h - bar_h - 6:.1f}" '
                f'fill="{INK}" text-anchor="middle" font-weight="600">{count}</text>'
            )
        body.append(
            f'<text x="{cx + col_w / 2:.1f}" y="{top + plot_h + 18}" fill="{MUTED}" '
            f'text-anchor="middle" font-size="12">{escape(text.split(" ")[0])}</text>'
        )
        if " " in text:
            body.append(
                f'<text x="{cx + col_w / 2:.1f}" y="{top + plot_h + 34}" fill="{MUTED}" '
                f'text-anchor="middle" font-size="11">{escape(text.split(" ", 1)[1])}</text>'
            )
        descs.append(f"{text}: {count}")
    return _svg(width, height, title, "; ".join(descs), body)
