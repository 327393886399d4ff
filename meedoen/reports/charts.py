"""Charts as inline SVG, drawn on the server: no JavaScript and no inline styles, so they pass a strict CSP.

This module only does the geometry; the templates `reports/partials/chart_bars.html` and
`reports/partials/chart_columns.html` draw it, each with a data table holding the same numbers for screen readers.
Colours come from classes in static/css/charts.css. A value may also be a suppressed count such as "<5" (the
quarterly report's figures): it is drawn as an empty bar and written as it is.
"""

import math
from dataclasses import dataclass, field

WIDTH = 640
FONT = 13  # px in the viewBox: the label widths below assume about 7 px per character
CHAR = 7
SERIES = 8  # colours in charts.css: .chart-series-0 … .chart-series-7


def _number(value) -> float:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else 0


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def nice_ceiling(value: float) -> tuple[float, float]:
    """A round top for an axis at or above `value`, and a round step (1, 2 or 5 × 10ⁿ) that divides it in at most five."""
    if value <= 0:
        return 1, 1
    raw = value / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(factor * magnitude for factor in (1, 2, 5, 10) if factor * magnitude >= raw)
    step = max(step, 1)  # counts: whole steps
    return math.ceil(value / step) * step, step


@dataclass
class Bar:
    label: str
    short_label: str
    value: int | float | str
    x: float
    y: float
    width: float
    height: float
    label_x: float
    text_y: float
    value_x: float


@dataclass
class BarChart:
    """Horizontal bars, one row per label; `centered` draws them as a funnel."""

    id: str
    title: str
    value_heading: str
    bars: list[Bar]
    width: int
    height: int
    label_heading: str = ""
    centered: bool = False

    @property
    def empty(self) -> bool:
        return not self.bars or not any(_number(bar.value) for bar in self.bars)


def bar_chart(
    chart_id: str,
    title: str,
    rows,
    *,
    label_heading: str = "",
    value_heading: str = "",
    centered: bool = False,
) -> BarChart:
    """A bar chart of (label, value) rows, in the order given."""
    rows = [(str(label), value) for label, value in rows]
    row_height, bar_height, pad, value_room = 28, 18, 6, 56
    longest = max((len(label) for label, _ in rows), default=0)
    label_width = min(260, max(80, CHAR * longest + 12))
    plot_width = WIDTH - label_width - value_room
    top = max((_number(value) for _, value in rows), default=0) or 1
    bars = []
    for index, (label, value) in enumerate(rows):
        width = plot_width * _number(value) / top
        x = label_width + ((plot_width - width) / 2 if centered else 0)
        y = pad + index * row_height + (row_height - bar_height) / 2
        bars.append(
            Bar(
                label=label,
                short_label=_shorten(label, (label_width - 12) // CHAR),
                value=value,
                x=round(x, 1),
                y=round(y, 1),
                width=round(width, 1),
                height=bar_height,
                label_x=label_width - 8,
                text_y=round(y + bar_height / 2 + FONT / 2 - 2, 1),
                value_x=round((x + width if not centered else label_width + (plot_width + width) / 2) + 6, 1),
            )
        )
    return BarChart(
        id=chart_id,
        title=title,
        label_heading=label_heading,
        value_heading=value_heading,
        bars=bars,
        width=WIDTH,
        height=2 * pad + row_height * len(rows),
        centered=centered,
    )


@dataclass
class Segment:
    series: int  # index of the colour class
    name: str
    value: int | float | str
    x: float
    y: float
    width: float
    height: float


@dataclass
class Column:
    label: str
    total: int | float
    values: list  # one value per series, in the order of ColumnChart.series; None where the series has no row
    segments: list[Segment] = field(default_factory=list)
    label_x: float = 0
    show_label: bool = False


@dataclass
class Tick:
    value: float
    y: float


@dataclass
class ColumnChart:
    """Columns over time (e.g. weeks), stacked per series (e.g. meeting place), with a legend."""

    id: str
    title: str
    label_heading: str
    series: list[dict]  # {"name": …, "index": colour index}
    columns: list[Column]
    ticks: list[Tick]
    width: int
    height: int
    plot_left: float
    plot_right: float
    baseline: float
    label_y: float
    axis_x: float
    total_heading: str = ""

    @property
    def empty(self) -> bool:
        return not any(column.total for column in self.columns)


def column_chart(
    chart_id: str,
    title: str,
    rows,
    *,
    column_key: str,
    series_key: str,
    value_key: str,
    label_heading: str = "",
    total_heading: str = "",
) -> ColumnChart:
    """Stacked columns from rows such as {"week": "2026-W10", "place": "Matilo", "visitors": 12}.

    Columns appear in the order of their first row (the figures come sorted by week); series in name order.
    """
    rows = list(rows)
    column_names = list(dict.fromkeys(row[column_key] for row in rows))
    series_names = sorted({row[series_key] for row in rows})
    cells = {(row[column_key], row[series_key]): row[value_key] for row in rows}
    height, left, right, top_pad, bottom_pad = 260, 48, 12, 12, 36
    plot_width = WIDTH - left - right
    baseline = height - bottom_pad
    plot_height = baseline - top_pad
    totals = [sum(_number(cells.get((name, s), 0)) for s in series_names) for name in column_names]
    axis_top, step = nice_ceiling(max(totals, default=0))
    slot = plot_width / len(column_names) if column_names else plot_width
    bar_width = min(max(slot * 0.7, 1), 48)
    label_every = max(1, math.ceil(len(column_names) / 6))  # room for labels like 2026-W10
    columns = []
    for position, (name, total) in enumerate(zip(column_names, totals, strict=True)):
        x = left + position * slot + (slot - bar_width) / 2
        column = Column(
            label=name,
            total=total,
            values=[cells.get((name, s)) for s in series_names],
            label_x=round(x + bar_width / 2, 1),
            show_label=position % label_every == 0,
        )
        stacked = 0.0
        for index, series in enumerate(series_names):
            value = cells.get((name, series))
            if value is None:
                continue
            segment_height = plot_height * _number(value) / axis_top
            stacked += segment_height
            column.segments.append(
                Segment(
                    series=index % SERIES,
                    name=series,
                    value=value,
                    x=round(x, 1),
                    y=round(baseline - stacked, 1),
                    width=round(bar_width, 1),
                    height=round(segment_height, 1),
                )
            )
        columns.append(column)
    ticks = []
    value = 0.0
    while value <= axis_top + 1e-9:
        tick_value = int(value) if float(value).is_integer() else round(value, 2)
        ticks.append(Tick(value=tick_value, y=round(baseline - plot_height * value / axis_top, 1)))
        value += step
    return ColumnChart(
        id=chart_id,
        title=title,
        label_heading=label_heading,
        total_heading=total_heading,
        series=[{"name": name, "index": index % SERIES} for index, name in enumerate(series_names)],
        columns=columns,
        ticks=ticks,
        width=WIDTH,
        height=height,
        plot_left=left,
        plot_right=WIDTH - right,
        baseline=baseline,
        label_y=baseline + 18,
        axis_x=left - 6,
    )
