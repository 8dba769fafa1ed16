"""Offline entry: a submission as a pre-filled xlsx template, and reading it back.

The template has one sheet of values (one row per indicator, named by its code) and
one of task progress, plus a hidden sheet naming the submission and the version it
was made from. Reading checks every row and returns either all the changes or every
error with its sheet and row, so that a bad file saves nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO
from pathlib import PurePath

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from dti_portal.errors import DomainError
from indicators.archives import ArchiveRefused, check_zip
from indicators.formatting import excel_number, format_number, parse_number, storable
from indicators.text import cell_text, clean_text

from .choices import TaskStatus

VALUES_SHEET = "Số liệu"
TASKS_SHEET = "Nhiệm vụ"
META_SHEET = "_meta"
FIRST_ROW = 5
# (field, header, width); the first seven columns are for reading only.
VALUE_COLUMNS = [
    ("code", "Mã chỉ tiêu", 12),
    ("pillar", "Trụ cột", 16),
    ("name", "Chỉ tiêu", 50),
    ("unit", "Đơn vị tính", 12),
    ("measure", "Loại số liệu", 18),
    ("target", "Mức kế hoạch năm", 18),
    ("previous", "Kỳ trước", 18),
    ("numerator", "Tử số", 12),
    ("denominator", "Mẫu số", 12),
    ("value", "Số lượng / số tiền", 16),
    ("is_done", "Có / Không (đã hoàn thành?)", 16),
    ("done_on", "Ngày hoàn thành (dd/mm/yyyy)", 16),
    ("text", "Nội dung", 30),
    ("note", "Giải trình, ghi chú", 40),
]
TASK_COLUMNS = [
    ("plan", "Kế hoạch", 18),
    ("number", "Số TT", 8),
    ("content", "Nhiệm vụ", 60),
    ("deadline", "Thời hạn", 16),
    ("status", "Tiến độ", 18),
    ("note", "Ghi chú", 40),
]
HEADERS = {name: header for name, header, _width in VALUE_COLUMNS}
# Headers that templates downloaded before a rename still carry, and the header each now
# reads as: an agency fills a template offline for days, and its file must still upload.
# The year's target was "Chỉ tiêu năm" until the pages called it "Mức kế hoạch" and kept
# "Chỉ tiêu" for the indicator.
FORMER_HEADERS = {"Chỉ tiêu năm": "Mức kế hoạch năm"}
ENTRY_COLUMNS = {"numerator", "denominator", "value", "is_done", "done_on", "text"}
YES = {"có", "co", "x", "yes", "đã hoàn thành", "da hoan thanh", "1", "true"}
NO = {"không", "khong", "no", "chưa hoàn thành", "chua hoan thanh", "0", "false"}
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
GREY_FILL = PatternFill("solid", fgColor="EEEEEE")


class WorkbookInvalid(DomainError):
    code = "workbook_invalid"


@dataclass
class WorkbookData:
    version: int
    values: dict[int, dict] = field(default_factory=dict)
    tasks: dict[int, dict] = field(default_factory=dict)


def submission_workbook(*, submission, groups, tasks) -> bytes:
    """The submission as an xlsx template, filled with what is saved now."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = VALUES_SHEET
    _title(sheet, submission, _("Số liệu chỉ tiêu"), len(VALUE_COLUMNS))
    _header(sheet, VALUE_COLUMNS)
    yes_no = DataValidation(type="list", formula1='"Có,Không"', allow_blank=True)
    sheet.add_data_validation(yes_no)
    row_number = FIRST_ROW
    for group in groups:
        for row in group.values:
            indicator = row.indicator
            cells = {
                "code": indicator.code,
                "pillar": indicator.pillar.name,
                "name": indicator.name,
                "unit": indicator.unit,
                "measure": str(indicator.get_measure_type_display()),
                "target": "; ".join(t.display for t in row.targets),
                "previous": row.previous.display if row.previous else "",
                "numerator": excel_number(row.numerator),
                "denominator": excel_number(row.denominator),
                "value": excel_number(row.value),
                "is_done": {True: "Có", False: "Không"}.get(row.is_done, ""),
                "done_on": row.done_on,
                "text": row.text,
                "note": row.note,
            }
            usable = {*indicator.measure.fields, "note"}
            for column, (name, _header_text, _width) in enumerate(VALUE_COLUMNS, start=1):
                cell = _put(sheet, row_number, column, cells[name])
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                if column <= 7 or name not in usable:
                    cell.fill = GREY_FILL  # for reading only
                if name == "done_on":
                    cell.number_format = "DD/MM/YYYY"
                elif name in ("numerator", "denominator", "value"):
                    cell.number_format = "#,##0.####"
            if "is_done" in usable:
                yes_no.add(sheet.cell(row=row_number, column=11))
            row_number += 1
    task_sheet = workbook.create_sheet(TASKS_SHEET)
    _title(task_sheet, submission, _("Tiến độ nhiệm vụ"), len(TASK_COLUMNS))
    _header(task_sheet, TASK_COLUMNS)
    labels = [str(label) for label in TaskStatus.labels]
    statuses = DataValidation(type="list", formula1='"' + ",".join(labels) + '"', allow_blank=False)
    task_sheet.add_data_validation(statuses)
    for offset, progress in enumerate(tasks):
        task = progress.task
        values = [
            task.plan.number,
            task.number,
            task.content,
            task.deadline_text,
            str(progress.get_status_display()),
            progress.note,
        ]
        for column, value in enumerate(values, start=1):
            cell = _put(task_sheet, FIRST_ROW + offset, column, value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if column <= 4:
                cell.fill = GREY_FILL
        statuses.add(task_sheet.cell(row=FIRST_ROW + offset, column=5))
    meta = workbook.create_sheet(META_SHEET)
    meta.append(["submission", submission.pk])
    meta.append(["version", submission.version])
    meta.sheet_state = "hidden"
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()


def _put(sheet, row: int, column: int, value):
    """Write a cell; text is always text, so "=1+1" typed in a note stays "=1+1"
    instead of becoming a formula (which Excel would run and openpyxl read as empty)."""
    if isinstance(value, str):
        value = cell_text(value)  # text stored before it was cleaned on the way in
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def _title(sheet, submission, heading: str, width: int) -> None:
    sheet.cell(
        row=1, column=1, value=cell_text(f"{heading} — {submission.agency.name} — {submission.period.name}")
    ).font = Font(bold=True, size=13)
    sheet.cell(
        row=2,
        column=1,
        value=_(
            "Điền vào các ô trắng (ô xám chỉ để đọc) rồi tải tệp lên trang báo cáo. Không sửa mã chỉ tiêu, "
            "không thêm hay xoá dòng. Số thập phân ghi dấu phẩy (ví dụ 12,5)."
        ),
    ).font = Font(italic=True)
    sheet.cell(
        row=3, column=1, value=_("Hạn gửi: %(date)s") % {"date": submission.deadline.strftime("%d/%m/%Y")}
    )


def _header(sheet, columns) -> None:
    for column, (_name, text, width) in enumerate(columns, start=1):
        cell = sheet.cell(row=FIRST_ROW - 1, column=column, value=text)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = sheet.cell(row=FIRST_ROW, column=4)


def submission_workbook_read(*, upload, submission, groups, tasks) -> WorkbookData:
    """Read a filled template of ``submission``. Every error is collected; if there is
    any, ``WorkbookInvalid`` lists them all (``details``) and nothing is returned.

    Columns are found by their header, so a column dragged elsewhere (LibreOffice,
    Excel) is still read as what it is; a sheet missing one of the template's headers
    is refused. A cell is refused, named by sheet, row and column, when it holds a
    formula with no result stored (a file saved by a program that does not calculate),
    an Excel error such as #N/A, or a number formatted as a percentage (45% is 0.45
    to the file)."""
    name = getattr(upload, "name", "") or ""
    if PurePath(name).suffix.lower() in (".xls", ".ods", ".csv"):
        raise WorkbookInvalid(
            _("Tệp “%(name)s” không phải .xlsx: hãy lưu tệp dưới dạng Excel (.xlsx) rồi tải lên lại.")
            % {"name": name}
        )
    try:
        check_zip(upload, max_unzipped=settings.SPREADSHEET_MAX_UNZIPPED_BYTES, name=name)
    except ArchiveRefused as error:
        raise WorkbookInvalid(error.message) from error
    unreadable = _("Không đọc được tệp Excel. Hãy dùng mẫu tải từ trang báo cáo.")
    try:
        workbook = load_workbook(upload, data_only=True, read_only=True)
        upload.seek(0)
        formulas = load_workbook(upload, data_only=False, read_only=True)
    except Exception:  # openpyxl raises many kinds of error for a damaged file
        raise WorkbookInvalid(unreadable) from None
    errors: list[str] = []
    missing = [name for name in (VALUES_SHEET, TASKS_SHEET, META_SHEET) if name not in workbook.sheetnames]
    if missing:
        raise WorkbookInvalid(
            _("Tệp không đúng mẫu: thiếu trang tính %(sheets)s. Hãy tải mẫu mới từ trang báo cáo.")
            % {"sheets": ", ".join(missing)}
        )
    try:
        # Cells are parsed as the rows are read: a damaged sheet (a cell "NaN" typed as
        # a number, truncated XML) fails here, not halfway through the checks.
        meta_rows = list(workbook[META_SHEET].iter_rows(values_only=True))
        value_rows = _sheet_rows(workbook[VALUES_SHEET], formulas[VALUES_SHEET], VALUE_COLUMNS, errors)
        task_rows = _sheet_rows(workbook[TASKS_SHEET], formulas[TASKS_SHEET], TASK_COLUMNS, errors)
    except WorkbookInvalid:
        raise
    except Exception:  # openpyxl raises many kinds of error for a damaged sheet
        raise WorkbookInvalid(unreadable) from None
    finally:
        workbook.close()
        formulas.close()
    meta = {row[0]: row[1] for row in meta_rows if row and row[0]}
    if meta.get("submission") != submission.pk:
        raise WorkbookInvalid(_("Tệp này là mẫu của một báo cáo khác; hãy tải mẫu của báo cáo này."))
    version = meta.get("version")
    if not isinstance(version, int):
        raise WorkbookInvalid(_("Tệp không đúng mẫu: thiếu phiên bản. Hãy tải mẫu mới từ trang báo cáo."))
    data = WorkbookData(version=version)

    rows_by_code = {row.indicator.code: row for group in groups for row in group.values}
    seen: set[str] = set()
    for number, named in value_rows:
        where = _("Trang “Số liệu”, dòng %(row)s") % {"row": number}
        code = str(named["code"] or "").strip()
        row = rows_by_code.get(code)
        if row is None:
            errors.append(
                f"{where}: " + _("mã chỉ tiêu “%(code)s” không có trong báo cáo này.") % {"code": code}
            )
            continue
        if code in seen:
            errors.append(f"{where}: " + _("chỉ tiêu “%(code)s” có hai dòng.") % {"code": code})
            continue
        seen.add(code)
        fields: dict[str, object] = {"note": _text(named["note"])}
        usable = row.indicator.measure.fields
        for name in ENTRY_COLUMNS - set(usable):
            if named[name] not in (None, ""):
                # A figure typed in the wrong column would otherwise be dropped silently.
                errors.append(
                    f"{where}: "
                    + _(
                        "cột “%(column)s” không dùng cho chỉ tiêu loại “%(measure)s”; hãy ghi vào "
                        "%(columns)s."
                    )
                    % {
                        "column": HEADERS[name],
                        "measure": row.indicator.get_measure_type_display(),
                        "columns": ", ".join(f"“{HEADERS[n]}”" for n in usable),
                    }
                )
        for name in usable:
            try:
                fields[name] = _READERS[name](named[name])
            except ValueError:
                errors.append(
                    f"{where}: "
                    + _("cột “%(column)s” có giá trị “%(value)s” không hợp lệ.")
                    % {"column": HEADERS[name], "value": named[name]}
                )
        data.values[row.pk] = fields
    absent = sorted(set(rows_by_code) - seen)
    if absent:
        errors.append(_("Trang “Số liệu” thiếu dòng của chỉ tiêu: %(codes)s.") % {"codes": ", ".join(absent)})

    tasks_by_key = {(p.task.plan.number, str(p.task.number)): p for p in tasks}
    status_by_label = {str(label).lower(): value for value, label in TaskStatus.choices}
    seen_tasks: set[int] = set()
    for number, cells in task_rows:
        where = _("Trang “Nhiệm vụ”, dòng %(row)s") % {"row": number}
        key = (str(cells["plan"] or "").strip(), str(cells["number"] or "").strip())
        progress = tasks_by_key.get(key)
        if progress is None:
            errors.append(f"{where}: " + _("nhiệm vụ không có trong báo cáo này."))
            continue
        if progress.pk in data.tasks or progress.pk in seen_tasks:
            errors.append(f"{where}: " + _("nhiệm vụ %(number)s có hai dòng.") % {"number": key[1]})
            continue
        seen_tasks.add(progress.pk)
        status = status_by_label.get(_text(cells["status"]).lower())
        if status is None:
            errors.append(
                f"{where}: "
                + _("tiến độ “%(value)s” không hợp lệ; chọn một trong: %(choices)s.")
                % {
                    "value": cells["status"] or "",
                    "choices": ", ".join(str(label) for label in TaskStatus.labels),
                }
            )
            continue
        data.tasks[progress.pk] = {"status": status, "note": _text(cells["note"])}
    missing_tasks = [p.task.number for p in tasks if p.pk not in seen_tasks]
    if missing_tasks:
        errors.append(
            _("Trang “Nhiệm vụ” thiếu dòng của nhiệm vụ: %(numbers)s.")
            % {"numbers": ", ".join(missing_tasks)}
        )
    if errors:
        raise WorkbookInvalid(
            _("Tệp có %(count)s lỗi nên chưa có số liệu nào được lưu. Hãy sửa rồi tải lên lại.")
            % {"count": len(errors)},
            details=errors,
        )
    return data


EXCEL_ERRORS = {"#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!", "#SPILL!", "#CALC!"}
NUMBER_FIELDS = {"numerator", "denominator", "value"}


def _sheet_rows(values, formulas, columns, errors: list[str]) -> list[tuple[int, dict]]:
    """The filled rows of a template sheet as (row number, {field: value}), columns
    found by their header (row ``FIRST_ROW - 1``), or by the header an earlier template
    gave it (``FORMER_HEADERS``). Raises ``WorkbookInvalid`` when a template header is
    missing or twice; appends to ``errors`` every cell that holds a formula without a
    result, an Excel error, or a number formatted as a percentage."""
    title = values.title
    wanted = {clean_text(header).strip().lower(): name for name, header, _width in columns}
    for former, current in FORMER_HEADERS.items():
        if (name := wanted.get(clean_text(current).strip().lower())) is not None:
            wanted[clean_text(former).strip().lower()] = name
    header_rows = list(values.iter_rows(min_row=FIRST_ROW - 1, max_row=FIRST_ROW - 1, values_only=True))
    found: dict[str, int] = {}
    twice = []
    for index, header in enumerate(header_rows[0] if header_rows else ()):
        name = wanted.get(clean_text(str(header or "")).strip().lower())
        if name is None:
            continue  # a column the user added: never read
        if name in found:
            twice.append(header)
        found[name] = index
    missing = [header for name, header, _width in columns if name not in found]
    problems = []
    if missing:
        problems.append(_("thiếu cột %(columns)s") % {"columns": ", ".join(f"“{h}”" for h in missing)})
    if twice:
        problems.append(_("cột %(columns)s có hai lần") % {"columns": ", ".join(f"“{h}”" for h in twice)})
    if problems:
        raise WorkbookInvalid(
            _("Trang “%(sheet)s” không đúng mẫu: %(problems)s. Hãy tải mẫu mới từ trang báo cáo.")
            % {"sheet": title, "problems": "; ".join(problems)}
        )
    headers = {name: header for name, header, _width in columns}
    rows = []
    cells_by_row = values.iter_rows(min_row=FIRST_ROW)
    formulas_by_row = formulas.iter_rows(min_row=FIRST_ROW, values_only=True)
    # The same file read twice: the same rows (a difference is a damaged file).
    for number, (cells, typed) in enumerate(zip(cells_by_row, formulas_by_row, strict=True), start=FIRST_ROW):
        if number - FIRST_ROW >= settings.TEMPLATE_MAX_ROWS:
            # A report has a few hundred rows: a sheet of 300,000 is refused at the
            # limit, before the rest is read.
            raise WorkbookInvalid(
                _("Trang “%(sheet)s” có hơn %(limit)s dòng, không phải mẫu báo cáo: hãy tải mẫu mới.")
                % {"sheet": title, "limit": format_number(settings.TEMPLATE_MAX_ROWS)}
            )
        named: dict[str, object] = {}
        for name, index in found.items():
            cell = cells[index] if index < len(cells) else None
            value = getattr(cell, "value", None)
            written = typed[index] if index < len(typed) else None
            where = _("Trang “%(sheet)s”, dòng %(row)s, cột “%(column)s”") % {
                "sheet": title,
                "row": number,
                "column": headers[name],
            }
            if isinstance(written, str) and written.startswith("=") and value is None:
                errors.append(
                    f"{where}: "
                    + _(
                        "ô có công thức “%(formula)s” chưa có kết quả; hãy nhập giá trị, hoặc mở tệp bằng "
                        "Excel hay LibreOffice rồi lưu lại."
                    )
                    % {"formula": written[:40]}
                )
                value = None
            elif isinstance(value, str) and value.strip() in EXCEL_ERRORS:
                errors.append(f"{where}: " + _("ô có lỗi “%(error)s” của Excel.") % {"error": value.strip()})
                value = None
            elif (
                name in NUMBER_FIELDS
                and isinstance(value, int | float)
                and "%" in str(getattr(cell, "number_format", ""))
            ):
                errors.append(
                    f"{where}: "
                    + _(
                        "ô định dạng phần trăm (%(shown)s%%); hãy nhập số không kèm dấu %% (tỷ lệ thì "
                        "nhập tử số và mẫu số)."
                    )
                    % {"shown": format_number(Decimal(str(value)) * 100)}
                )
                value = None
            named[name] = value
        if all(v in (None, "") for v in named.values()):
            continue
        rows.append((number, named))
    return rows


def _text(value) -> str:
    return "" if value is None else clean_text(str(value)).strip()


def _decimal(value) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, (int, float)):
        number = Decimal(str(value))  # NaN and infinity too: storable refuses them
    else:
        number = parse_number(str(value))
    return storable(number)


def _yes_no(value) -> bool | None:
    text = _text(value).lower()
    if not text:
        return None
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueError(value)


def _date(value) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.datetime.strptime(str(value).strip(), "%d/%m/%Y").date()
    except ValueError:
        raise ValueError(value) from None


_READERS = {
    "numerator": _decimal,
    "denominator": _decimal,
    "value": _decimal,
    "is_done": _yes_no,
    "done_on": _date,
    "text": _text,
}
