"""The quarterly report's files: CSV, XLSX and PDF (with SVG charts), made from the report's suppressed figures.

Every file shows the same figures, named in the report's language, with their definitions. Nothing here queries
the pillars: the figures come in as they were taken (reporting.py), so a resumed report matches its first run.
"""

import csv
import io
from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meedoen.core.pdf import render_pdf
from meedoen.reports.exports import BOM, DELIMITER, safe_cell
from meedoen.reports.figures import DEFINITIONS, Period
from meedoen.reports.models import QuarterlyReport

PILLARS = {
    "signals": gettext_lazy("District signal meetings"),
    "brigade": gettext_lazy("Flying Brigade"),
    "zelfregie": gettext_lazy("Self-direction centre"),
    "path": gettext_lazy("From pillar to pillar"),
}

# Short names for the tables; what each figure means is in figures.DEFINITIONS.
LABELS = {
    "signals.new": gettext_lazy("New signals"),
    "signals.closed": gettext_lazy("Closed signals"),
    "signals.by_category": gettext_lazy("Signals per concern"),
    "signals.by_outcome": gettext_lazy("Closed signals per outcome"),
    "signals.first_discussions": gettext_lazy("Signals discussed for the first time"),
    "signals.median_working_days_to_first_discussion": gettext_lazy("Median working days to first discussion"),
    "signals.share_overdue": gettext_lazy("Share not discussed in time (%)"),
    "brigade.requests": gettext_lazy("Visit requests"),
    "brigade.residents_visited": gettext_lazy("Residents visited"),
    "brigade.referred_on": gettext_lazy("Referred on"),
    "brigade.by_referral": gettext_lazy("Finished visit requests per outcome"),
    "brigade.first_contacts": gettext_lazy("First contacts"),
    "brigade.median_days_to_first_contact": gettext_lazy("Median days to first contact"),
    "zelfregie.visitors": gettext_lazy("Walk-in visits"),
    "zelfregie.new_visitors": gettext_lazy("Of which first visits"),
    "zelfregie.visitors_per_week": gettext_lazy("Walk-in visits per week and meeting place"),
    "zelfregie.activities": gettext_lazy("Activity dates held"),
    "zelfregie.attendance": gettext_lazy("Attendance at activities"),
    "path.signals_to_brigade": gettext_lazy("Signals that led to a visit request"),
    "path.visits_to_referral": gettext_lazy("Brigade visits that led to a referral"),
    "path.referrals_arrived": gettext_lazy("Referred residents who arrived at a meeting place"),
}


@dataclass(frozen=True)
class Row:
    key: str  # "signals.by_outcome"
    label: str
    part: str  # what a row of a breakdown is about ("" for a single figure)
    value: int | float | str | None


def _rows(pillar: str, values: dict) -> tuple[list[Row], list[tuple[str, str, list[Row]]]]:
    """A pillar's single figures, and its breakdowns as (key, label, rows)."""
    singles, breakdowns = [], []
    for name, value in values.items():
        key = f"{pillar}.{name}"
        label = str(LABELS.get(key, key))
        if isinstance(value, list):
            rows = [_breakdown_row(key, label, item) for item in value]
            breakdowns.append((key, label, rows or [Row(key, label, "–", 0)]))
        else:
            singles.append(Row(key, label, "", value))
    return singles, breakdowns


def _breakdown_row(key: str, label: str, item: dict) -> Row:
    if "week" in item:
        return Row(key, label, f"{item['week']} · {item['place']}", item["visitors"])
    return Row(key, label, str(item["name"]), item["count"])


def document_for(report: QuarterlyReport, period: Period, figures: dict) -> dict:
    """Everything the three files show, in the report's language."""
    sections = []
    for pillar, values in figures.items():
        singles, breakdowns = _rows(pillar, values)
        sections.append(
            {
                "key": pillar,
                "title": str(PILLARS.get(pillar, pillar)),
                "singles": singles,
                "breakdowns": [
                    {"key": key, "label": label, "rows": rows, "charts": _charts(key, rows)}
                    for key, label, rows in breakdowns
                ],
            }
        )
    definitions = [
        {"pillar": str(PILLARS.get(key.split(".")[0], "")), "label": str(LABELS.get(key, key)), "text": str(text)}
        for key, text in DEFINITIONS.items()
    ]
    return {
        "year": report.year,
        "quarter": report.quarter,
        "name": f"{report.year} {report.get_quarter_display()}",
        "period": period.label(),
        "taken": formats.date_format(timezone.localtime(report.started_at or timezone.now()), "DATE_FORMAT"),
        "sections": sections,
        "definitions": definitions,
    }


def show(value) -> str:
    """A value as the files write it: "<5" stays, an empty figure (no data) is a dash."""
    if value is None:
        return "–"
    if isinstance(value, float):
        return formats.number_format(value, decimal_pos=1)
    return str(value)


def build_csv(document: dict) -> bytes:
    """One line per figure (and per row of a breakdown): year, quarter, pillar, code, figure, part, value.

    Made for Dutch Excel like the list exports: byte-order mark, semicolons, decimal comma, no formulas.
    """
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=DELIMITER)
    writer.writerow([_("year"), _("quarter"), _("pillar"), _("code"), _("figure"), _("part"), _("value")])
    for section in document["sections"]:
        rows = section["singles"] + [row for breakdown in section["breakdowns"] for row in breakdown["rows"]]
        for row in rows:
            value = "" if row.value is None else show(row.value)  # a number, "<5", or empty when there is no data
            cells = [document["year"], document["quarter"], section["title"], row.key, row.label, row.part, value]
            writer.writerow([safe_cell(cell) for cell in cells])
    return out.getvalue().encode()


def build_xlsx(document: dict) -> bytes:
    """A sheet per pillar, and one with the definitions; written in openpyxl's write-only mode."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    workbook = Workbook(write_only=True)
    bold, right = Font(bold=True), Alignment(horizontal="right")

    def cell(sheet, value, *, font=None, alignment=None):
        written = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            written.data_type = "s"  # text stays text, even when it starts with "=" (no formulas from data)
        if font:
            written.font = font
        if alignment:
            written.alignment = alignment
        return written

    title = _("Quarterly report %(quarter)s (%(period)s)") % {"quarter": document["name"], "period": document["period"]}
    for section in document["sections"]:
        sheet = workbook.create_sheet(section["title"][:31])
        for column, width in zip("ABC", (48, 44, 12), strict=True):
            sheet.column_dimensions[column].width = width
        sheet.append([cell(sheet, f"{section['title']} – {title}", font=bold)])
        sheet.append([])
        sheet.append([cell(sheet, text, font=bold) for text in (_("Figure"), _("Part"), _("Value"))])
        rows = section["singles"] + [row for breakdown in section["breakdowns"] for row in breakdown["rows"]]
        for row in rows:
            sheet.append(
                [cell(sheet, row.label), cell(sheet, row.part or None), cell(sheet, row.value, alignment=right)]
            )
    sheet = workbook.create_sheet(_("Definitions"))
    for column, width in zip("ABC", (26, 48, 100), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.append([cell(sheet, _("Definitions"), font=bold)])
    sheet.append([_notice()])
    sheet.append([])
    sheet.append([cell(sheet, text, font=bold) for text in (_("Pillar"), _("Figure"), _("Definition"))])
    for definition in document["definitions"]:
        sheet.append([cell(sheet, definition[key]) for key in ("pillar", "label", "text")])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def build_pdf(document: dict) -> bytes:
    return render_pdf("reports/print/quarterly.html", {"document": document, "notice": _notice()})


def _notice() -> str:
    return _(
        'This report holds no personal data. Counts of 1 to 4 are shown as "<5"; where a hidden count could be '
        "worked out from a total, a second count is hidden too."
    )


# --- charts (SVG, drawn here so that the PDF needs no JavaScript) --------------------------------------------------

WIDTH = 600
LABEL_WIDTH = 230
BAR_WIDTH = 320
ROW_HEIGHT = 18


def _number(value) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _charts(key: str, rows: list[Row]) -> list[dict]:
    """The charts of a breakdown: bars per row, or for visits per week a column chart per meeting place.

    A "<5" is written, never drawn, so that a chart shows no more than its table.
    """
    if key == "zelfregie.visitors_per_week":
        places: dict[str, list[tuple[str, object]]] = {}
        for row in rows:
            week, _sep, place = row.part.partition(" · ")
            if place:
                places.setdefault(place, []).append((week.rsplit("-", 1)[-1], row.value))
        top = max((_number(row.value) or 0 for row in rows), default=0) or 1  # one scale: places compare
        return [_columns(place, weeks, top) for place, weeks in places.items()]
    return [_bars([(row.part, row.value) for row in rows])]


def _bars(items: list[tuple[str, object]]) -> dict:
    top = max((_number(value) or 0 for _label, value in items), default=0) or 1
    bars = []
    for index, (label, value) in enumerate(items):
        y = index * ROW_HEIGHT
        width = BAR_WIDTH * (_number(value) or 0) / top
        bars.append(
            {
                "label": label,
                "text": show(value),
                "label_x": f"{LABEL_WIDTH - 6}",
                "text_y": f"{y + 13}",
                "bar_x": f"{LABEL_WIDTH}",
                "bar_y": f"{y + 3}",
                "width": f"{width:.1f}",
                "text_x": f"{LABEL_WIDTH + width + 5:.1f}",
            }
        )
    return {"kind": "bars", "title": "", "width": WIDTH, "height": len(items) * ROW_HEIGHT + 4, "bars": bars}


def _columns(title: str, items: list[tuple[str, object]], top: float) -> dict:
    height, base, left = 130, 105, 10
    step = (WIDTH - left) / max(len(items), 1)
    columns = []
    for index, (label, value) in enumerate(items):
        size = 85 * (_number(value) or 0) / top
        x = left + index * step
        columns.append(
            {
                "label": label,
                "text": show(value),
                "x": f"{x + step * 0.15:.1f}",
                "y": f"{base - size:.1f}",
                "width": f"{step * 0.7:.1f}",
                "height": f"{size:.1f}",
                "center": f"{x + step / 2:.1f}",
                "text_y": f"{base - size - 3:.1f}",
            }
        )
    return {"kind": "columns", "title": title, "width": WIDTH, "height": height, "base": base, "columns": columns}
