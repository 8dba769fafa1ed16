"""The ministry's Excel report, a function from ``report.ministry_report`` to a
workbook. Workbooks are written by openpyxl in write-only mode so that memory
stays flat however many agency values there are.

Numbers are stored as numbers with number formats (Excel shows them with the
reader's separators: 1.234,5 in a Vietnamese Excel); header rows are frozen,
columns sized to their text, and every sheet prints on A4 landscape.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from copy import copy
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from indicators.formatting import excel_number
from indicators.measures import Reported
from indicators.text import cell_text

from ..choices import SHOWN_STATUSES

NUMBER = "#,##0.####"  # replaced per cell: whole numbers get "#,##0" (no trailing mark)
WHOLE = "#,##0"
PERCENT = "0.0%"
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
WRAP = Alignment(wrap_text=True, vertical="top")


class Sheet:
    """A write-only sheet with a title block, one frozen header row, sized columns and
    A4 landscape page setup. Widths come from the header and the rows given up front
    (``sample``), since a streamed sheet cannot be measured after the fact."""

    def __init__(
        self,
        workbook: Workbook,
        title: str,
        heading: Sequence[str],
        columns: Sequence[tuple[str, str | None]],
        sample: Sequence[Sequence] = (),
    ):
        self.sheet = workbook.create_sheet(title)
        self.columns = columns
        self.styles: dict[tuple[str | None, bool], StyleArray] = {}
        for index, (header, _fmt) in enumerate(columns, start=1):
            longest = max([len(str(header))] + [len(str(row[index - 1] or "")) for row in sample[:500]])
            self.sheet.column_dimensions[get_column_letter(index)].width = min(max(8, longest * 1.1 + 2), 40)
        first_data_row = len(heading) + 2
        self.sheet.freeze_panes = f"A{first_data_row}"
        self.sheet.print_title_rows = f"{first_data_row - 1}:{first_data_row - 1}"
        self.sheet.page_setup.orientation = "landscape"
        self.sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        self.sheet.page_setup.fitToWidth = 1
        self.sheet.page_setup.fitToHeight = 0
        self.sheet.sheet_properties.pageSetUpPr.fitToPage = True
        for number, line in enumerate(heading):
            cell = WriteOnlyCell(self.sheet, cell_text(str(line)))
            cell.font = Font(bold=number == 0, size=13 if number == 0 else 11)
            self.sheet.append([cell])
        header_cells = []
        for header, _fmt in columns:
            cell = WriteOnlyCell(self.sheet, header)
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            header_cells.append(cell)
        self.sheet.append(header_cells)

    def row(self, values: list) -> None:
        """Append one row. A cell is styled only when it needs a number format or
        wrapping; each distinct style is built once per sheet and copied, since
        building it per cell (openpyxl looks the format and the alignment up in the
        workbook's style tables) cost more than writing the cell. Empty cells stay
        empty: they hold no number to format."""
        cells: list[WriteOnlyCell] = []
        for value, (_header, fmt) in zip(values, self.columns, strict=True):
            if value is None:
                cells.append(None)
                continue
            if isinstance(value, str):
                value = cell_text(value)  # text stored before it was cleaned on the way in
            number_format = WHOLE if fmt == NUMBER and isinstance(value, int) else fmt
            wrap = isinstance(value, str) and len(value) > 30
            if not (number_format or wrap or isinstance(value, str) and value.startswith("=")):
                cells.append(value)  # a plain number, date or text: openpyxl's own cell
                continue
            cell = WriteOnlyCell(self.sheet, value)
            if isinstance(value, str):
                cell.data_type = "s"  # text stays text, never a formula
            if number_format or wrap:
                cell._style = copy(self._style(number_format, wrap))
            cells.append(cell)
        self.sheet.append(cells)

    def _style(self, number_format: str | None, wrap: bool) -> StyleArray:
        key = (number_format, wrap)
        if key not in self.styles:
            probe = WriteOnlyCell(self.sheet)
            if number_format:
                probe.number_format = number_format
            if wrap:
                probe.alignment = WRAP
            self.styles[key] = probe._style
        return self.styles[key]


def ministry_workbook(report, output, *, progress: Callable[[int, int], None] | None = None) -> None:
    """Write the ministry's workbook for ``report`` (``report.MinistryReport``) to
    ``output`` (a path or a binary file). ``progress(done, total)`` is called as the
    agency values are written."""
    workbook = Workbook(write_only=True)
    period = report.period
    heading = [
        _("Báo cáo kết quả thực hiện Chỉ số chuyển đổi số — %(period)s") % {"period": period.name},
        f"{report.province_name} · {report.institutions.dic.name} → {report.institutions.ministry.name}",
        _("Ngày xuất: %(date)s") % {"date": report.exported_at.strftime("%d/%m/%Y %H:%M")}
        + " · "
        + (
            _("số liệu tổng hợp lúc %(date)s")
            % {"date": timezone.localtime(report.compiled_at).strftime("%d/%m/%Y %H:%M")}
            if report.compiled_at
            else _("kỳ này chưa được tổng hợp")
        ),
    ]
    _summary(workbook, heading, report)
    _indicators(workbook, heading, report)
    _values(workbook, heading, report, progress)
    _tasks(workbook, heading, report)
    workbook.save(output)


def _summary(workbook, heading, report) -> None:
    columns = (
        [(_("Trụ cột"), None)]
        + [(str(label), "0") for _code, label in SHOWN_STATUSES]
        + [(_("Tổng số chỉ tiêu"), "0")]
    )
    rows = [
        [pillar.name] + [counts.get(code, 0) for code, _label in SHOWN_STATUSES] + [sum(counts.values())]
        for pillar, counts in report.summary
    ]
    sheet = Sheet(workbook, _("Tổng hợp"), heading, columns, rows)
    for row in rows:
        sheet.row(row)
    totals = [sum(row[i] for row in rows) for i in range(1, len(columns))]
    sheet.row([_("Cả tỉnh")] + totals)


INDICATOR_COLUMNS = [
    (_lazy("STT"), "0"),
    (_lazy("Trụ cột"), None),
    (_lazy("Chỉ tiêu"), None),
    (_lazy("Mã"), None),
    (_lazy("Đơn vị tính"), None),
    (_lazy("Chỉ tiêu năm"), None),
    (_lazy("Giá trị chỉ tiêu"), NUMBER),
    (_lazy("Kết quả"), NUMBER),
    (_lazy("% so với chỉ tiêu"), PERCENT),
    (_lazy("Đánh giá"), None),
    (_lazy("Cơ quan chủ trì"), None),
    (_lazy("Cơ quan phối hợp"), None),
    (_lazy("Báo cáo đã duyệt"), "0"),
    (_lazy("Báo cáo phải có"), "0"),
    (_lazy("Căn cứ đánh giá"), None),
]


def indicator_row(number: int, figure) -> list:
    """One indicator's line: the roll-up's figure as stored, its share of the target
    (judged figure over target, as on the pages), its status and what that rests on."""
    indicator, target = figure.indicator, figure.target
    result = indicator.measure.result_cell(figure.value, indicator=indicator)
    share = figure.share_of_target
    return [
        number,
        indicator.pillar.name,
        indicator.name,
        indicator.code,
        indicator.unit,
        target.display if target else "",
        excel_number(target.value) if target else None,
        excel_number(result) if isinstance(result, Decimal) else result,
        float(share) if share is not None else None,
        figure.shown_status[1],
        ", ".join(figure.leads),
        ", ".join(figure.coordinating),
        figure.approved_agencies,
        figure.required_agencies,
        " · ".join(
            part for part in (figure.display if figure.value is not None else "", figure.basis) if part
        ),
    ]


def _indicators(workbook, heading, report) -> None:
    rows = [indicator_row(number, figure) for number, figure in enumerate(report.figures, start=1)]
    columns = [(str(header), fmt) for header, fmt in INDICATOR_COLUMNS]
    sheet = Sheet(workbook, _("Chỉ tiêu"), heading, columns, rows)
    for row in rows:
        sheet.row(row)


def _values(workbook, heading, report, progress) -> None:
    columns = [
        (_("Cơ quan, đơn vị"), None),
        (_("Kỳ"), None),
        (_("Mã chỉ tiêu"), None),
        (_("Chỉ tiêu"), None),
        (_("Giá trị"), NUMBER),
        (_("Tử số"), NUMBER),
        (_("Mẫu số"), NUMBER),
        (_("Trả lời"), None),
        (_("Ngày hoàn thành"), "DD/MM/YYYY"),
        (_("Nội dung"), None),
        (_("Giải trình"), None),
    ]
    sample = [["x" * 40, "Quý IV/2024", "x" * 16, "x" * 60, 1, 1, 1, "", None, "", "x" * 40]]
    sheet = Sheet(workbook, _("Số liệu đơn vị"), heading, columns, sample)
    done = 0
    for value in report.values:
        sheet.row(
            [
                value.submission.agency.name,
                str(value.submission.period.name),
                value.indicator.code,
                value.indicator.name,
                excel_number(value.value),
                excel_number(value.numerator),
                excel_number(value.denominator),
                value.indicator.measure.answer_words(Reported.of(value)),
                value.done_on,
                value.text,
                value.note,
            ]
        )
        done += 1
        if progress and done % 5000 == 0:
            progress(done, report.value_count)
    if progress:
        progress(done, report.value_count)


def _tasks(workbook, heading, report) -> None:
    columns = [
        (_("Kế hoạch"), None),
        (_("Số TT"), None),
        (_("Nhiệm vụ"), None),
        (_("Cơ quan chủ trì"), None),
        (_("Thời hạn"), None),
        (_("Tiến độ"), None),
        (_("Kỳ báo cáo"), None),
        (_("Ghi chú"), None),
    ]
    rows = [
        [
            row.task.plan.number,
            row.task.number,
            row.task.content,
            row.submission.agency.name,
            row.task.deadline_text,
            str(row.get_status_display()),
            str(row.submission.period.name),
            row.note,
        ]
        for row in report.tasks
    ]
    sheet = Sheet(workbook, _("Nhiệm vụ"), heading, columns, rows)
    for row in rows:
        sheet.row(row)
