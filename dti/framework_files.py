"""A DTI framework as the ministry's table or as YAML, read into the one form
``services.framework_load`` checks and writes: the framework's keys, its
``main_indicators`` and its ``components`` (the format: ``fixtures/README.md``).

The workbook has three sheets, each with the YAML's keys as its header row:
``framework`` (two columns, key and value), ``main_indicators`` and ``components``.
A cell that cannot be read (a number, a yes/no, a threshold) is named by sheet, row
and column, every one of them before anything is written.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from xml.etree.ElementTree import ParseError
from zipfile import BadZipFile

import yaml
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.utils.exceptions import InvalidFileException

from dti_portal.errors import DomainError
from indicators.archives import ArchiveRefused, check_zip
from indicators.formatting import parse_number

__all__ = ["COMPONENT_COLUMNS", "FrameworkError", "MAIN_COLUMNS", "framework_data_read", "framework_template"]

FRAMEWORK_KEYS = ["decision", "issued_on", "title", "first_year", "max_points", "provisional_note"]
MAIN_COLUMNS = ["code", "name", "group", "max_points", "component_count"]
COMPONENT_COLUMNS = [
    "main",
    "code",
    "name",
    "rule",
    "max_points",
    "thresholds",
    "measured_by_ministry",
    "indicators",
    "continues",
]
YES = {"true", "1", "x", "có", "co", "yes"}
NO = {"false", "0", "", "không", "khong", "no"}


class FrameworkError(DomainError):
    code = "framework_invalid"


def framework_data_read(path: Path) -> dict:
    """The framework a ``.yaml`` or ``.xlsx`` file states. Raises ``FrameworkError``
    naming every cell it cannot read."""
    suffix = path.suffix.lower()
    try:
        if suffix in (".yaml", ".yml"):
            return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if suffix == ".xlsx":
            return _workbook_data(path)
    except (
        OSError,
        yaml.YAMLError,
        ValueError,
        KeyError,
        TypeError,
        EOFError,
        BadZipFile,
        ParseError,
        InvalidFileException,
    ) as error:
        raise FrameworkError(
            _("Không đọc được tệp %(path)s: %(error)s") % {"path": path.name, "error": error}
        ) from error
    raise FrameworkError(_("Tệp %(path)s: chỉ nhận tệp .xlsx hoặc .yaml.") % {"path": path.name})


def _workbook_data(path: Path) -> dict:
    try:
        check_zip(path, max_unzipped=settings.SPREADSHEET_MAX_UNZIPPED_BYTES, name=path.name)
    except ArchiveRefused as error:
        raise FrameworkError(error.message) from error
    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        return _sheets_data(workbook, path)
    finally:
        workbook.close()


def _sheets_data(workbook, path: Path) -> dict:
    problems: list[str] = []
    missing = [name for name in ("framework", "main_indicators", "components") if name not in workbook]
    if missing:
        raise FrameworkError(
            _("Tệp %(path)s thiếu trang %(sheets)s.") % {"path": path.name, "sheets": ", ".join(missing)}
        )
    data: dict = {}
    for row in workbook["framework"].iter_rows(min_row=1, values_only=True):
        if row and row[0] in FRAMEWORK_KEYS:
            data[row[0]] = row[1] if len(row) > 1 else None
    for key in ("first_year",):
        data[key] = _number(data.get(key), "framework", key, key, problems, whole=True)
    data["max_points"] = _number(data.get("max_points"), "framework", "max_points", "max_points", problems)
    if isinstance(data.get("issued_on"), datetime.datetime):
        data["issued_on"] = data["issued_on"].date()
    elif isinstance(data.get("issued_on"), int | float):  # a date cell read as Excel's day number
        data["issued_on"] = from_excel(data["issued_on"]).date()
    elif isinstance(data.get("issued_on"), str):
        try:
            data["issued_on"] = datetime.date.fromisoformat(data["issued_on"].strip())
        except ValueError:
            problems.append(_where("framework", "issued_on", "issued_on") + _("ngày phải viết YYYY-MM-DD."))
    mains = []
    for number, row in _rows(workbook["main_indicators"], MAIN_COLUMNS, problems):
        main = {
            "code": _text(row.get("code")),
            "name": _text(row.get("name")),
            "group": _text(row.get("group")),
            "max_points": _number(row.get("max_points"), "main_indicators", number, "max_points", problems),
        }
        if row.get("component_count") not in (None, ""):
            main["component_count"] = _number(
                row.get("component_count"), "main_indicators", number, "component_count", problems, whole=True
            )
        mains.append(main)
    data["main_indicators"] = mains
    components = []
    for number, row in _rows(workbook["components"], COMPONENT_COLUMNS, problems):
        component = {
            "main": _text(row.get("main")),
            "code": _text(row.get("code")),
            "name": _text(row.get("name")),
            "rule": _text(row.get("rule")),
            "thresholds": _thresholds(row.get("thresholds"), number, problems),
            "measured_by_ministry": _yes(row.get("measured_by_ministry"), number, problems),
            "indicators": _codes(row.get("indicators")),
            "continues": _codes(row.get("continues")),
        }
        if row.get("max_points") not in (None, ""):
            component["max_points"] = _number(
                row.get("max_points"), "components", number, "max_points", problems
            )
        components.append(component)
    data["components"] = components
    if problems:
        raise FrameworkError(
            _("Tệp %(path)s có %(count)s ô không đọc được.") % {"path": path.name, "count": len(problems)},
            details=problems,
        )
    return data


def _rows(sheet, columns: list[str], problems: list[str]):
    """(row number, {column: value}) for each non-empty row under the header row."""
    rows = sheet.iter_rows(values_only=True)
    header = [_text(cell) for cell in next(rows, ())]
    absent = [name for name in columns[:3] if name not in header]
    if absent:
        problems.append(
            _("Trang “%(sheet)s”: dòng tiêu đề thiếu cột %(columns)s.")
            % {"sheet": sheet.title, "columns": ", ".join(absent)}
        )
        return
    for number, values in enumerate(rows, start=2):
        if not any(value not in (None, "") for value in values):
            continue
        yield number, {name: value for name, value in zip(header, values, strict=False) if name}


def _where(sheet: str, row: int | str, column: str) -> str:
    return _("Trang “%(sheet)s”, dòng %(row)s, cột “%(column)s”: ") % {
        "sheet": sheet,
        "row": row,
        "column": column,
    }


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _number(value, sheet: str, row, column: str, problems: list[str], *, whole: bool = False):
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value)) if isinstance(value, int | float | Decimal) else parse_number(str(value))
    except (ValueError, ArithmeticError):
        problems.append(_where(sheet, row, column) + _("“%(value)s” không phải số.") % {"value": value})
        return None
    if whole:
        if number != number.to_integral_value():
            problems.append(
                _where(sheet, row, column) + _("“%(value)s” phải là số nguyên.") % {"value": value}
            )
            return None
        return int(number)
    return number


def _yes(value, row: int, problems: list[str]) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if text in YES:
        return True
    if text not in NO:
        problems.append(
            _where("components", row, "measured_by_ministry")
            + _("“%(value)s”: ghi “có” hoặc để trống.") % {"value": value}
        )
    return False


def _codes(value) -> list[str]:
    """Codes separated by ";", "," or line breaks."""
    text = _text(value).replace("\n", ";").replace(",", ";")
    return [code.strip() for code in text.split(";") if code.strip()]


def _thresholds(value, row: int, problems: list[str]) -> list[list[float]]:
    """``"50:0,5; 80:1"``: at 50 half the points, at 80 all of them."""
    pairs = []
    for part in (p.strip() for p in _text(value).split(";")):
        if not part:
            continue
        level, _colon, share = part.partition(":")
        try:
            pairs.append([float(parse_number(level)), float(parse_number(share))])
        except ValueError:
            problems.append(
                _where("components", row, "thresholds")
                + _("“%(value)s”: ghi mức:phần điểm, cách nhau bởi dấu chấm phẩy (ví dụ 50:0,5; 80:1).")
                % {"value": part}
            )
    return pairs


def framework_template(output) -> None:
    """The empty workbook to fill in: the three sheets with their header rows, and a
    sheet that says what each column holds."""
    workbook = Workbook()
    framework = workbook.active
    framework.title = "framework"
    for key in FRAMEWORK_KEYS:
        framework.append([key, None])
    workbook.create_sheet("main_indicators").append(MAIN_COLUMNS)
    components = workbook.create_sheet("components")
    components.append(COMPONENT_COLUMNS)
    # Codes ("1.10"), thresholds ("80:1") and lists stay text: Excel would make them a
    # number or a time.
    for name in ("code", "thresholds", "indicators", "continues"):
        letter = get_column_letter(COMPONENT_COLUMNS.index(name) + 1)
        for row in range(2, 501):
            components[f"{letter}{row}"].number_format = "@"
    guide = workbook.create_sheet("huong_dan")
    guide.append([_("Cột"), _("Nội dung")])
    for column, text in GUIDE:
        guide.append([column, str(text)])
    guide.column_dimensions["A"].width = 36
    guide.column_dimensions["B"].width = 110
    workbook.save(output)


GUIDE = [
    ("framework: decision", gettext_lazy("Số quyết định của Bộ, ví dụ 922/QĐ-BTTTT (giá trị ở cột B).")),
    ("framework: issued_on", gettext_lazy("Ngày ban hành, YYYY-MM-DD.")),
    ("framework: first_year", gettext_lazy("Năm đánh giá đầu tiên áp dụng bộ chỉ số.")),
    ("framework: max_points", gettext_lazy("Tổng điểm tối đa của bộ chỉ số.")),
    (
        "framework: provisional_note",
        gettext_lazy(
            "Bỏ trống khi mọi mục đã đúng như Quyết định; nếu không, ghi phần nào còn tạm (trang DTI "
            "hiển thị ghi chú này)."
        ),
    ),
    ("main_indicators: max_points", gettext_lazy("Điểm tối đa của chỉ số chính.")),
    (
        "main_indicators: group",
        gettext_lazy("foundation (nền tảng chung) hoặc activity (hoạt động chuyển đổi số)."),
    ),
    (
        "main_indicators: component_count",
        gettext_lazy("Số chỉ số thành phần Quyết định giao cho chỉ số chính (bỏ trống nếu chưa biết)."),
    ),
    ("components: main", gettext_lazy("Mã chỉ số chính của chỉ số thành phần.")),
    (
        "components: rule",
        gettext_lazy(
            "share_of_target (theo mức đạt so với mức kế hoạch), thresholds (theo ngưỡng) "
            "hoặc yes_no (có/không)."
        ),
    ),
    ("components: max_points", gettext_lazy("Bỏ trống khi Quyết định chưa ghi điểm: điểm được tạm tính.")),
    (
        "components: thresholds",
        gettext_lazy("mức:phần điểm, cách nhau bởi dấu chấm phẩy, ví dụ 50:0,5; 80:1."),
    ),
    (
        "components: measured_by_ministry",
        gettext_lazy("“có” khi Bộ tự đo từ nền tảng quốc gia; để trống nếu không."),
    ),
    (
        "components: indicators",
        gettext_lazy("Mã chỉ tiêu của tỉnh tính điểm cho chỉ số thành phần, cách nhau bởi dấu chấm phẩy."),
    ),
    (
        "components: continues",
        gettext_lazy("Chỉ số của bộ trước mà chỉ số này kế tiếp: QUYẾT ĐỊNH:MÃ, ví dụ 922/QĐ-BTTTT:NTS.1."),
    ),
]
