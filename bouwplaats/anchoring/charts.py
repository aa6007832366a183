"""Charts drawn on the server as SVG: no script (CSP), every mark a link to its record.

Each chart is a ``<figure>`` whose SVG has a title and a description (aria-labelledby /
aria-describedby); the page shows the same data as a table beside it. Colour never carries
meaning alone: marks carry text, and statuses are written out.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

# Dimensions in SVG user units (the SVG scales to its container's width).
_WIDTH = 820
_LABEL_W = 250
# Room right of the longest bar for its value and note.
_VALUE_W = 250
_ROW_H = 28
_PAD = 12


@dataclass
class Bar:
    """One bar: its label, value, the record it links to, and an optional baseline value
    (drawn as a line across the bar, e.g. a pilot's reporting rhythm)."""

    label: str
    value: float
    url: str
    note: str = ""
    baseline: float | None = None
    css: str = ""


def _svg_open(uid: str, title: str, desc: str, height: float) -> SafeString:
    return format_html(
        '<svg class="bp-chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="group" '
        'aria-labelledby="{uid}-title" aria-describedby="{uid}-desc" '
        'xmlns="http://www.w3.org/2000/svg">'
        '<title id="{uid}-title">{title}</title><desc id="{uid}-desc">{desc}</desc>',
        w=_WIDTH,
        h=round(height),
        uid=uid,
        title=title,
        desc=desc,
    )


def bar_chart(*, uid: str, title: str, desc: str, bars: list[Bar], unit: str = "") -> SafeString:
    """Return a horizontal bar chart: one linked row per bar, its value written beside it."""
    if not bars:
        return mark_safe("")
    top = max([b.value for b in bars] + [b.baseline or 0 for b in bars] + [1])
    span = _WIDTH - _LABEL_W - _VALUE_W
    rows = []
    for index, bar in enumerate(bars):
        y = _PAD + index * _ROW_H
        length = max(2.0, span * bar.value / top) if bar.value else 0
        text = f"{bar.value:g}{(' ' + unit) if unit else ''}"
        if bar.note:
            text += f" — {bar.note}"
        baseline = ""
        if bar.baseline is not None:
            x = _LABEL_W + span * bar.baseline / top
            baseline = format_html(
                '<line class="bp-chart__baseline" x1="{x}" x2="{x}" y1="{y1}" y2="{y2}"/>',
                x=round(x, 1),
                y1=y - 2,
                y2=y + _ROW_H - 6,
            )
        rows.append(
            format_html(
                '<a href="{url}"><title>{aria}</title>'
                '<text class="bp-chart__label" x="{lx}" y="{ty}">{label}</text>'
                '<rect class="bp-chart__bar {css}" x="{x}" y="{y}" width="{w}" height="{h}"/>'
                '{baseline}<text class="bp-chart__value" x="{vx}" y="{ty}">{text}</text></a>',
                url=bar.url,
                aria=f"{bar.label}: {text}",
                lx=_LABEL_W - 8,
                ty=y + _ROW_H / 2 + 1,
                label=_shorten(bar.label, 34),
                css=bar.css,
                x=_LABEL_W,
                y=y,
                w=round(length, 1),
                h=_ROW_H - 8,
                baseline=baseline,
                vx=round(_LABEL_W + length + 6, 1),
                text=_shorten(text, 44),
            )
        )
    height = 2 * _PAD + len(bars) * _ROW_H
    return format_html("{}{}</svg>", _svg_open(uid, title, desc, height), mark_safe("".join(rows)))


@dataclass
class Slip:
    """A milestone: its original date, its current date, how often re-planned, its record."""

    label: str
    name: str
    planned: datetime.date
    current: datetime.date
    replans: int
    url: str


def slip_chart(*, uid: str, title: str, desc: str, slips: list[Slip], today: datetime.date):
    """Return a timeline with, per milestone, the original date (open circle) joined to the
    current date (filled circle), and today's date as a vertical line."""
    if not slips:
        return mark_safe("")
    dates = [s.planned for s in slips] + [s.current for s in slips] + [today]
    first, last = min(dates), max(dates)
    days = max((last - first).days, 1)
    span = _WIDTH - _LABEL_W - 40

    def x(day: datetime.date) -> float:
        return round(_LABEL_W + span * (day - first).days / days, 1)

    rows = []
    for index, slip in enumerate(slips):
        y = _PAD + 16 + index * _ROW_H + _ROW_H / 2
        moved = slip.current != slip.planned
        summary = _("oorspronkelijk %(planned)s, nu %(current)s, %(n)s× herpland") % {
            "planned": date_format(slip.planned),
            "current": date_format(slip.current),
            "n": slip.replans,
        }
        rows.append(
            format_html(
                '<a href="{url}"><title>{aria}</title>'
                '<text class="bp-chart__label" x="{lx}" y="{ty}">{label}</text>'
                '{line}<circle class="bp-chart__planned" cx="{px}" cy="{y}" r="6"/>'
                '<circle class="bp-chart__current" cx="{cx}" cy="{y}" r="5"/></a>',
                url=slip.url,
                aria=f"{slip.name}: {summary}",
                lx=_LABEL_W - 8,
                ty=y + 4,
                label=_shorten(slip.label, 34),
                line=format_html(
                    '<line class="bp-chart__slip" x1="{a}" x2="{b}" y1="{y}" y2="{y}"/>',
                    a=x(slip.planned),
                    b=x(slip.current),
                    y=y,
                )
                if moved
                else "",
                px=x(slip.planned),
                cx=x(slip.current),
                y=y,
            )
        )
    height = 2 * _PAD + 34 + len(slips) * _ROW_H
    axis = format_html(
        '<line class="bp-chart__today" x1="{t}" x2="{t}" y1="{top}" y2="{bottom}"/>'
        '<text class="bp-chart__axis" x="{t}" y="{by}" text-anchor="middle">{today}</text>'
        '<text class="bp-chart__axis" x="{a}" y="{ty}">{first}</text>'
        '<text class="bp-chart__axis" x="{b}" y="{ty}" text-anchor="end">{last}</text>',
        t=x(today),
        top=_PAD + 14,
        bottom=height - _PAD - 4,
        ty=_PAD + 8,
        by=height - 2,
        today=_("vandaag"),
        a=_LABEL_W,
        b=_WIDTH - 40,
        first=date_format(first, "YEAR_MONTH_FORMAT"),
        last=date_format(last, "YEAR_MONTH_FORMAT"),
    )
    return format_html(
        "{}{}{}</svg>", _svg_open(uid, title, desc, height), axis, mark_safe("".join(rows))
    )


@dataclass
class Path:
    """A stakeholder's ratings in time order: (interest, influence, date) points, its record."""

    label: str
    url: str
    points: list[tuple[int, int, datetime.date]] = field(default_factory=list)
    stale: bool = False


_GRID = 5
_CELL = 100
_LEFT = 70
_TOP = 20


def power_interest_grid(*, uid: str, title: str, desc: str, paths: list[Path]) -> SafeString:
    """Return the power/interest grid (interest across, influence up, 1–5) with each
    stakeholder's path: earlier ratings as small dots joined by a line to the current one,
    labelled with its number (the legend beside the chart, ``grid_legend``, gives the full
    names) and, where there is room, its shortened name (hidden on a phone by the CSS)."""
    size = _GRID * _CELL

    def pos(interest: int, influence: int, offset: float) -> tuple[float, float]:
        cx = _LEFT + (interest - 0.5) * _CELL + offset
        cy = _TOP + (_GRID - influence + 0.5) * _CELL + offset
        return round(cx, 1), round(cy, 1)

    cells = format_html_join(
        "",
        '<rect class="bp-grid__cell" x="{}" y="{}" width="{}" height="{}"/>',
        (
            (_LEFT + i * _CELL, _TOP + j * _CELL, _CELL, _CELL)
            for i in range(_GRID)
            for j in range(_GRID)
        ),
    )
    half = size / 2
    quadrants = format_html_join(
        "",
        '<text class="bp-grid__quadrant" x="{}" y="{}" text-anchor="middle">{}</text>',
        (
            (_LEFT + half / 2, _TOP + 16, _("Tevreden houden")),
            (_LEFT + half * 1.5, _TOP + 16, _("Nauw betrekken")),
            (_LEFT + half / 2, _TOP + size - 8, _("Monitoren")),
            (_LEFT + half * 1.5, _TOP + size - 8, _("Geïnformeerd houden")),
        ),
    )
    ticks = format_html_join(
        "",
        '<text class="bp-chart__axis" x="{}" y="{}" text-anchor="middle">{}</text>',
        [(_LEFT + (n - 0.5) * _CELL, _TOP + size + 18, n) for n in range(1, 6)]
        + [(_LEFT - 14, _TOP + (_GRID - n + 0.5) * _CELL + 4, n) for n in range(1, 6)],
    )
    axes = format_html(
        '<text class="bp-chart__axis" x="{}" y="{}" text-anchor="middle">{}</text>'
        '<text class="bp-chart__axis" x="{}" y="{}" text-anchor="middle" '
        'transform="rotate(-90 {} {})">{}</text>',
        _LEFT + half,
        _TOP + size + 40,
        _("Belang →"),
        22,
        _TOP + half,
        22,
        _TOP + half,
        _("Invloed →"),
    )
    marks = []
    for index, path in enumerate(paths):
        # Stakeholders on the same cell would hide each other: each gets its own small offset.
        offset = ((index % 5) - 2) * 9
        points = [pos(i, f, offset) for i, f, _d in path.points]
        if not points:
            continue
        steps = " → ".join(f"{i}/{f} ({date_format(d)})" for i, f, d in path.points)
        aria = _("%(name)s: belang/invloed %(steps)s") % {"name": path.label, "steps": steps}
        if path.stale:
            aria += " — " + _("niet recent opnieuw ingeschat")
        line = (
            format_html(
                '<polyline class="bp-grid__path" points="{}"/>',
                " ".join(f"{x},{y}" for x, y in points),
            )
            if len(points) > 1
            else ""
        )
        earlier = format_html_join(
            "", '<circle class="bp-grid__earlier" cx="{}" cy="{}" r="4"/>', points[:-1]
        )
        cx, cy = points[-1]
        marks.append(
            format_html(
                '<a href="{url}"><title>{aria}</title>{line}{earlier}'
                '<circle class="bp-grid__current{stale}" cx="{cx}" cy="{cy}" r="12"/>'
                '<text class="bp-grid__number" x="{cx}" y="{ny}" text-anchor="middle">{number}'
                '</text><text class="bp-grid__label" x="{tx}" y="{ty}">{label}</text></a>',
                url=path.url,
                aria=aria,
                line=line,
                earlier=earlier,
                stale=" bp-grid__current--stale" if path.stale else "",
                cx=cx,
                cy=cy,
                tx=cx + 15,
                ty=cy + 4,
                ny=cy + 5,
                number=index + 1,
                label=_shorten(path.label, 18) + (" !" if path.stale else ""),
            )
        )
    # Room on the right for the names of stakeholders in the last column.
    width = _LEFT + size + 150
    height = _TOP + size + 50
    head = format_html(
        '<svg class="bp-chart bp-grid" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        'role="group" aria-labelledby="{uid}-title" aria-describedby="{uid}-desc" '
        'xmlns="http://www.w3.org/2000/svg">'
        '<title id="{uid}-title">{title}</title><desc id="{uid}-desc">{desc}</desc>',
        w=width,
        h=height,
        uid=uid,
        title=title,
        desc=desc,
    )
    return format_html(
        "{}{}{}{}{}{}</svg>", head, cells, quadrants, ticks, axes, mark_safe("".join(marks))
    )


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
