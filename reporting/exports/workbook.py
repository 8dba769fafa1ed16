"""The ministry's Excel report, a function from ``report.ministry_report`` to a
workbook. Workbooks are written by xlsxwriter in constant-memory mode (each row goes
to a temporary file as it is written) so that memory stays flat however many agency
values there are; xlsxwriter wrote the same 100,000 rows of cells and formats in 0.7 ×
openpyxl's write-only time (bench/README.md, row 5). Text is written as text, never as
a formula, whatever it starts with.

Numbers are stored as numbers with number formats (Excel shows them with the
reader's separators: 1.234,5 in a Vietnamese Excel); header rows are frozen,
columns sized to their text and numbers, rows to their wrapped lines, and every sheet
prints on A4 landscape at 9 pt or more, with its name and page numbers in the footer.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from textwrap import TextWrapper

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from xlsxwriter import Workbook
from xlsxwriter.format import Format

from indicators.formatting import excel_number
from indicators.measures import Reported
from indicators.text import cell_text

from ..choices import SHOWN_STATUSES

NUMBER = "#,##0.####"  # replaced per cell: whole numbers get "#,##0" (no trailing mark)
WHOLE = "#,##0"
PERCENT = "0.0%"
# A date, and a date and time, in a column of no number format (as openpyxl wrote them).
DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd h:mm:ss"
HEADER_FILL = "#DDEBF7"
A4 = 9  # the paper size's number in a spreadsheet's page setup

# On paper. A column's width is counted in digits of the workbook's font, Calibri 11 pt,
# the cell's padding included: 7 pixels at 96 dpi (5.25 pt) in Excel, the digit's own
# 5.58 pt in LibreOffice. A sheet prints at the scale that fits its printed columns
# between the margins of A4 landscape, but never under MIN_SCALE, so that its 11 pt text
# prints at 9 pt or more: a sheet wider than that goes on over more pages rather than
# shrinking (fit-to-width would shrink it to any size, and more so where a wider font
# stands in for Calibri).
MARGIN = 0.4  # inch, left and right
PRINTABLE_WIDTH = (11.69 - 2 * MARGIN) * 72  # points between the margins of A4 landscape
POINTS_PER_CHARACTER = 5.6  # the wider of the two
MIN_SCALE = 85  # per cent: 11 pt prints at 9.35 pt
LINE_HEIGHT = 15  # points a line of 11 pt text takes in a row
WIDEST = 40  # characters a text column grows to unless told otherwise; longer text wraps
# A line of text left unwrapped needs TEXT digits' width a character (capitals are
# wider than a digit, as in KH-UBND), BOLD in a header, and 2 for the padding. Wrapped
# prose is mostly small letters, narrower than a digit: a line holds about the column's
# width in characters, bold or not.
TEXT = 1.1
BOLD = 1.2
TEXTS = 10_000  # texts a sheet keeps worked out (cleaned, lines counted) for the rows after


def displayed(value, fmt: str | None) -> str:
    """``value`` as a spreadsheet shows it under the number format ``fmt`` (a
    separator takes a character, as in 1.234.567 or 1,234,567)."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)  # text, and a date (DD/MM/YYYY is as long as 2024-03-31)
    if fmt == PERCENT:
        return f"{value:.1%}"
    if fmt == NUMBER:
        return f"{value:,}" if isinstance(value, int) else f"{value:,.4f}".rstrip("0").rstrip(".")
    return f"{round(value):,}" if fmt == WHOLE else str(round(value))


@lru_cache(maxsize=4096)  # the same indicators' and agencies' names come back row after row
def wrapped_lines(text: str, characters: int) -> int:
    """How many lines ``text`` takes in a cell that holds ``characters`` a line, words
    laid as a spreadsheet lays them (a word longer than a line is broken)."""
    wrapper = TextWrapper(width=max(characters, 1), break_on_hyphens=False)
    return sum(len(wrapper.wrap(line)) or 1 for line in text.split("\n"))


def one_line(width: float) -> float:
    """Characters of text that a column ``width`` wide shows unwrapped."""
    return (width - 2) / TEXT


def line_capacity(width: float) -> int:
    """Characters a wrapped line of a column ``width`` wide holds."""
    return int(width - 1)


def column_width(header: str, fmt: str | None, values, widest: float) -> float:
    """A column's width, in characters: its widest cell as displayed, a text no wider
    than ``widest`` (longer text wraps), and never narrower than the header's longest
    word (the header wraps between words). A number is never cut to ``widest``: a
    spreadsheet shows ### for a number wider than its column."""
    texts, numbers = [len(str(header)) * BOLD], [3.0]
    texts += [len(v) * TEXT for v in values if isinstance(v, str)]
    numbers += [len(displayed(v, fmt)) for v in values if v is not None and not isinstance(v, str)]
    numbers.append(max(len(word) for word in str(header).split() or [""]) * BOLD)
    return max(min(max(texts) + 2, widest), max(numbers) + 2)


def streamed_workbook(output) -> Workbook:
    """A workbook written to ``output`` (a path or a binary file) by its ``close()``,
    each sheet's rows kept in a temporary file as they are written (xlsxwriter's
    constant-memory mode): a sheet's rows are written in order, each once."""
    return Workbook(output, {"constant_memory": True})


def column_pixels(width: float) -> float:
    """A column ``width`` in characters as the pixels xlsxwriter takes, 7 a character
    (Calibri 11 pt's digit). xlsxwriter stores a width rounded down to 1/256 of a
    character: given half a step over ``width`` rounded up to 1/256, it stores that, never
    less than ``width`` (9 stays 9, as openpyxl wrote it; 5.6 is 5.6015625)."""
    return (math.ceil(round(width * 256, 6)) + 0.5) * 7 / 256


class Sheet:
    """A sheet of ``streamed_workbook`` with a title block, one frozen header row, sized
    columns and A4 landscape page setup. Widths come from the header and the rows given
    up front (``sample``), since a streamed sheet cannot be measured after the fact; a
    column may name the widest it grows, as a third item after its header and number
    format. A cell whose text is wider than its column wraps, and its row is made tall
    enough for its lines (a spreadsheet program does not measure rows it is given). Only
    the first ``printed`` columns are printed, when given: the others are for the
    screen; call ``close`` after the last row to set that print area."""

    def __init__(
        self,
        workbook: Workbook,
        title: str,
        heading: Sequence[str],
        columns: Sequence[tuple],
        sample: Sequence[Sequence] = (),
        *,
        printed: int | None = None,
    ):
        self.workbook = workbook
        self.sheet = workbook.add_worksheet(title)
        self.columns = [(header, fmt) for header, fmt, *_widest in columns]
        self.number_formats = [fmt for _header, fmt in self.columns]
        self.formats: dict[tuple[str | None, bool, bool], Format | None] = {}
        self.texts: dict[tuple[int, str], tuple[str, int]] = {}
        self.writers: dict[tuple, tuple[Callable, Format | None]] = {}
        self.widths = [
            column_width(
                str(header), fmt, [row[index] for row in sample[:500]], widest[0] if widest else WIDEST
            )
            for index, (header, fmt, *widest) in enumerate(columns)
        ]
        self.one_line = [one_line(width) for width in self.widths]
        self.capacities = [line_capacity(width) for width in self.widths]
        for index, width in enumerate(self.widths):
            self.sheet.set_column_pixels(index, index, column_pixels(width))
        self.printed = printed or len(columns)
        self.rows = 0
        header_row = len(heading)  # counted from 0, as xlsxwriter counts rows
        self.sheet.freeze_panes(header_row + 1, 0)
        self.sheet.repeat_rows(header_row)
        self._page_setup()
        # The title in bold 13 pt; the lines under it in the workbook's font, Calibri 11 pt.
        title_format = workbook.add_format({"bold": True, "font_size": 13})
        for number, line in enumerate(heading):
            row = self._start_row(1)
            self.sheet.write_string(row, 0, cell_text(str(line)), title_format if number == 0 else None)
        header_format = workbook.add_format(
            {
                "bold": True,
                "pattern": 1,
                "bg_color": HEADER_FILL,
                "text_wrap": True,
                "align": "center",
                "valign": "vcenter",
            }
        )
        row = self._start_row(
            max(
                wrapped_lines(str(header), line_capacity(width))
                for (header, _fmt), width in zip(self.columns, self.widths, strict=True)
            )
        )
        for column, (header, _fmt) in enumerate(self.columns):
            self.sheet.write_string(row, column, str(header), header_format)
        self._forget_height(row)

    def _page_setup(self) -> None:
        """A4 landscape at the scale that fits the printed columns across the page, not
        under MIN_SCALE; the sheet's name and the page numbers in the footer."""
        sheet = self.sheet
        sheet.set_landscape()
        sheet.set_paper(A4)
        width = sum(self.widths[: self.printed]) * POINTS_PER_CHARACTER
        sheet.set_print_scale(max(MIN_SCALE, min(100, int(PRINTABLE_WIDTH / width * 100))))
        sheet.print_across()  # a row's columns that overflow print on the next page
        sheet.set_margins(left=MARGIN, right=MARGIN, top=0.5, bottom=0.6)
        sheet.set_header("", {"margin": 0.3})
        # The sheet's name (&A) on the left and the page numbers in the centre, at 11 pt
        # (&11) as the cells: 9 pt and more once scaled.
        pages = _("Trang %(page)s / %(pages)s") % {"page": "&P", "pages": "&N"}
        sheet.set_footer(f"&L&11 &A&C&11 {pages}", {"margin": 0.3})

    def _start_row(self, lines: int) -> int:
        """The next row's number (from 0), made as tall as ``lines`` lines when more
        than one."""
        row = self.rows
        if lines > 1:
            # 409 points is the tallest row a spreadsheet allows; a longer text scrolls.
            # In pixels (4 to 3 points): set_row would round 409 to 545 pixels, 408.75 points.
            self.sheet.set_row_pixels(row, min(lines * LINE_HEIGHT, 409) * 4 / 3)
        self.rows += 1
        return row

    def _forget_height(self, row: int) -> None:
        """Once a cell of ``row`` is written, the row before it is in the temporary
        file: its height is dropped, which xlsxwriter would keep as long as the sheet
        (to place images, which these sheets have none of), so that memory stays flat
        however many rows."""
        self.sheet.row_info.pop(row - 1, None)
        self.sheet.row_sizes.pop(row - 1, None)

    def row(self, values: list) -> None:
        """Append one row. A cell is formatted only when it needs a number format,
        wrapping or, in a row of more than one line, to stand at the top; each distinct
        format is made once per sheet. Empty cells, and empty text, stay empty: they
        hold nothing to format. Text is written as text (never a formula, whatever it
        starts with: =, +, -, @), numbers as numbers, dates as dates."""
        if len(values) != len(self.columns):
            raise ValueError(f"{len(values)} values for {len(self.columns)} columns")
        cells, lines, texts = [], 1, self.texts
        for column, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, str):
                if not value:
                    continue
                # The same names come back row after row: each text's cleaning and lines
                # are worked out once per column.
                text, count = texts.get((column, value)) or self._text(column, value)
                cells.append((column, text, count > 1))
                if count > lines:
                    lines = count
            elif value != "":  # a translation proxy of "" is as empty as the text
                cells.append((column, value, False))
        tall = lines > 1
        row = self._start_row(lines)
        writers = self.writers
        for column, value, wrapped in cells:
            key = (column, type(value), wrapped, tall)
            write, cell_format = writers[key] if key in writers else self._writer(key, value)
            write(row, column, value, cell_format)
        if cells:
            self._forget_height(row)

    def _writer(self, key: tuple, value) -> tuple[Callable, Format | None]:
        """How a cell of ``key`` (its column, its value's type, whether it wraps, whether
        its row is taller than a line) is written: the sheet's method for the type and
        the cell's format. Worked out once per sheet for each key."""
        column, _type, wrapped, tall = key
        fmt = self.number_formats[column]
        if fmt == NUMBER and isinstance(value, int):
            fmt = WHOLE  # a whole number shows no decimal mark
        elif fmt is None and isinstance(value, date):
            # A date shows as one in a column with no number format too.
            fmt = DATETIME if isinstance(value, datetime) else DATE
        sheet = self.sheet
        if isinstance(value, str):
            write = sheet.write_string
        elif isinstance(value, bool):
            write = sheet.write_boolean
        elif isinstance(value, date):
            write = sheet.write_datetime
        elif isinstance(value, int | float | Decimal):
            write = sheet.write_number
        else:
            raise TypeError(f"a cell holds text, a number or a date, not {value!r}")
        self.writers[key] = found = (write, self._format(fmt, wrapped, tall))
        return found

    def _text(self, column: int, value: str) -> tuple[str, int]:
        """``value`` as a cell holds it (without the characters a cell cannot hold: text
        stored before it was cleaned on the way in) and the lines it takes in ``column``:
        one when it fits on one line, else its wrapped lines and at least two. Kept for
        the next rows, up to TEXTS texts a sheet (then forgotten, so that memory stays
        flat)."""
        fits, capacity = self.one_line[column], self.capacities[column]
        lines = max(wrapped_lines(value, capacity), 2) if len(value) > fits or "\n" in value else 1
        if len(self.texts) >= TEXTS:
            self.texts.clear()
        self.texts[column, value] = text = (cell_text(value), lines)
        return text

    def close(self) -> None:
        """After the last row: print only the first ``printed`` columns, if given."""
        if self.printed < len(self.columns):
            self.sheet.print_area(0, 0, self.rows - 1, self.printed - 1)

    def _format(self, number_format: str | None, wrap: bool, top: bool) -> Format | None:
        key = (number_format, wrap, top)
        if key not in self.formats:
            properties: dict[str, object] = {}
            if number_format:
                properties["num_format"] = number_format
            if wrap:
                properties["text_wrap"] = True
            if wrap or top:
                properties["valign"] = "top"
            self.formats[key] = self.workbook.add_format(properties) if properties else None
        return self.formats[key]


def ministry_workbook(report, output, *, progress: Callable[[int, int], None] | None = None) -> None:
    """Write the ministry's workbook for ``report`` (``report.MinistryReport``) to
    ``output`` (a path or a binary file). ``progress(done, total)`` is called as the
    agency values are written."""
    workbook = streamed_workbook(output)
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
    workbook.close()


def _summary(workbook, heading, report) -> None:
    columns = (
        [(_("Trụ cột"), None, 24)]
        + [(str(label), "0", 14) for _code, label in SHOWN_STATUSES]
        + [(_("Tổng số chỉ tiêu"), "0", 14)]
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


# (header, number format, widest in characters). The first PRINTED columns are printed,
# sized to fit A4 landscape at 9 pt and more; the last three are for the screen (the
# target as a number beside its wording, the reports counted: the basis says them).
# A target is "Mức kế hoạch", as on the pages; "Chỉ tiêu" is the indicator. The share
# column is 9 wide so that its header takes three lines ("% so với" / "mức kế" /
# "hoạch"), not four; the basis gives up that character to keep the printed width.
INDICATOR_COLUMNS = [
    (_lazy("STT"), "0", 5),
    (_lazy("Trụ cột"), None, 11),
    (_lazy("Chỉ tiêu"), None, 28),
    (_lazy("Mã"), None, 10),
    (_lazy("Đơn vị tính"), None, 9),
    (_lazy("Mức kế hoạch năm"), None, 12),
    (_lazy("Kết quả"), NUMBER, 15),
    (_lazy("% so với mức kế hoạch"), PERCENT, 9),
    (_lazy("Đánh giá"), None, 11),
    (_lazy("Cơ quan chủ trì"), None, 15),
    (_lazy("Cơ quan phối hợp"), None, 18),
    (_lazy("Căn cứ đánh giá"), None, 21),
    (_lazy("Giá trị mức kế hoạch"), NUMBER, 15),
    (_lazy("Báo cáo đã duyệt"), "0", 10),
    (_lazy("Báo cáo phải có"), "0", 10),
]
PRINTED = 12


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
        excel_number(result) if isinstance(result, Decimal) else result,
        float(share) if share is not None else None,
        figure.shown_status[1],
        ", ".join(figure.leads),
        ", ".join(figure.coordinating),
        " · ".join(
            part for part in (figure.display if figure.value is not None else "", figure.basis) if part
        ),
        excel_number(target.value) if target else None,
        figure.approved_agencies,
        figure.required_agencies,
    ]


def _indicators(workbook, heading, report) -> None:
    rows = [indicator_row(number, figure) for number, figure in enumerate(report.figures, start=1)]
    columns = [(str(header), fmt, widest) for header, fmt, widest in INDICATOR_COLUMNS]
    sheet = Sheet(workbook, _("Chỉ tiêu"), heading, columns, rows, printed=PRINTED)
    for row in rows:
        sheet.row(row)
    sheet.close()


def _values(workbook, heading, report, progress) -> None:
    columns = [
        (_("Cơ quan, đơn vị"), None, 18),
        (_("Kỳ"), None, 12),
        (_("Mã chỉ tiêu"), None, 10),
        (_("Chỉ tiêu"), None, 24),
        (_("Giá trị"), NUMBER),
        (_("Tử số"), NUMBER),
        (_("Mẫu số"), NUMBER),
        (_("Trả lời"), None, 10),
        (_("Ngày hoàn thành"), "DD/MM/YYYY", 12),
        (_("Nội dung"), None, 15),
        (_("Giải trình"), None, 17),
    ]
    # The values are streamed: widths from the widest cells a report holds, an amount
    # of hundreds of billions of đồng, a numerator or a denominator of hundreds of millions.
    sample = [
        ["x" * 40, "Quý IV/2024", "x" * 16, "x" * 60, 100 * 10**9, 10**8, 10**8]
        + ["x" * 16, date(2024, 12, 31), "x" * 40, "x" * 40]
    ]
    sheet = Sheet(workbook, _("Số liệu đơn vị"), heading, columns, sample)
    done = 0
    # Worked out once, not for each of the values: a period's name, and a measure's
    # words for an answer (``Measure.answer_words``: those of a yes, a no or none, the
    # same for every value of the measure type).
    periods: dict[int, str] = {}
    answers: dict[tuple[str, bool | None], str] = {}
    for value in report.values:
        submission, indicator = value.submission, value.indicator
        period = periods.get(submission.period_id)
        if period is None:
            period = periods[submission.period_id] = str(submission.period.name)
        answer = answers.get((indicator.measure_type, value.is_done))
        if answer is None:
            answer = answers[indicator.measure_type, value.is_done] = indicator.measure.answer_words(
                Reported.of(value)
            )
        sheet.row(
            [
                submission.agency.name,
                period,
                indicator.code,
                indicator.name,
                excel_number(value.value),
                excel_number(value.numerator),
                excel_number(value.denominator),
                answer,
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
        (_("Kế hoạch"), None, 14),
        (_("Số TT"), None, 8),
        (_("Nhiệm vụ"), None, 40),
        (_("Cơ quan chủ trì"), None, 20),
        (_("Thời hạn"), None, 14),
        (_("Tiến độ"), None, 14),
        (_("Kỳ báo cáo"), None, 12),
        (_("Ghi chú"), None, 34),
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
