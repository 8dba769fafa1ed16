"""The ministry's workbook on paper: LibreOffice prints every sheet on A4 landscape,
legibly (no text under 9 pt once the page is scaled), with every amount in full (no
``###``) and the page numbers in the footer; and wrapped cells get rows tall enough
for their lines (openpyxl writes no height by itself, and LibreOffice then lets a
wrapped cell run over the rows below)."""

import math
import re
import shutil
import subprocess
from io import BytesIO

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from assignments.choices import AssignmentRole
from indicators.models import Agency, Indicator
from reporting.exports.report import ministry_report
from reporting.exports.workbook import ministry_workbook
from reporting.models import Submission, TaskProgress
from tests.factories import AgencyFactory, IndicatorAssignmentFactory, TaskFactory

from .world import period

pytestmark = pytest.mark.django_db
HEADER_ROW = 4

NAMES = {
    "RATE": "Tỷ lệ hồ sơ thủ tục hành chính được tiếp nhận, xử lý trực tuyến toàn trình "
    "trên Cổng Dịch vụ công của tỉnh",
    "ARTICLES": "Số tin, bài tuyên truyền về chuyển đổi số được đăng trên Cổng Thông tin điện tử "
    "và các phương tiện truyền thông của tỉnh",
    "OPENDATA": "Cơ quan nhà nước cung cấp dữ liệu mở theo danh mục dữ liệu mở đã được phê duyệt",
    "BUDGET": "Tổng kinh phí chi cho chuyển đổi số từ ngân sách nhà nước và các nguồn vốn hợp pháp "
    "khác trong năm",
}
COORDINATING = [
    "Sở Nội vụ",
    "Sở Tài chính",
    "Sở Kế hoạch và Đầu tư",
    "Sở Giáo dục và Đào tạo",
    "Sở Y tế",
    "Công an tỉnh",
    "Ủy ban nhân dân các huyện, thành phố",
]


@pytest.fixture
def realistic(compiled):
    """The compiled world with what a real province writes: long indicator names, real
    agency names, seven coordinating agencies, a long note and a task. BUDGET is
    3.000.000.000 đồng (agency A0's amount, see ``compiled``)."""
    for code, name in NAMES.items():
        Indicator.objects.filter(pk=compiled["indicators"][code].pk).update(name=name)
    for agency, name in zip(
        compiled["agencies"],
        ["Sở Khoa học và Công nghệ", "Văn phòng Ủy ban nhân dân tỉnh", "Sở Văn hóa, Thể thao và Du lịch"],
        strict=True,
    ):
        Agency.objects.filter(pk=agency.pk).update(name=name)
    plan = compiled["indicators"]["BUDGET"].targets.get().plan
    for name in COORDINATING:
        agency = AgencyFactory(parent=compiled["province"], name=name)
        for code in ("BUDGET", "RATE"):
            IndicatorAssignmentFactory(
                plan=plan,
                indicator=compiled["indicators"][code],
                year=2024,
                agency=agency,
                role=AssignmentRole.COORDINATING,
            )
    submission = Submission.objects.get(agency=compiled["agencies"][0], period__year=2024, period__quarter=1)
    submission.values.filter(indicator__code="ARTICLES").update(
        note="Số tin, bài giảm so với cùng kỳ do Cổng Thông tin điện tử nâng cấp trong tháng 2"
    )
    task = TaskFactory(
        plan=plan,
        number="2.3",
        content="Triển khai nền tảng tích hợp, chia sẻ dữ liệu cấp tỉnh (LGSP) kết nối với nền tảng "
        "quốc gia, bảo đảm an toàn thông tin theo cấp độ",
        deadline_text="Quý IV năm 2024",
    )
    TaskProgress.objects.create(
        submission=submission,
        task=task,
        status="in_progress",
        note="Đã hoàn thành kết nối 12/15 hệ thống thông tin của các sở, ngành",
    )
    return compiled


def workbook_bytes(world) -> bytes:
    output = BytesIO()
    ministry_workbook(ministry_report(period=period(world, 1)), output)
    return output.getvalue()


def printed(path, tmp_path):
    """The PDF that LibreOffice prints of the workbook at ``path``, with a profile of its
    own so that parallel runs do not share one."""
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "pdf"),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return tmp_path / "pdf" / (path.stem + ".pdf")


def spans(page) -> list[tuple[str, float]]:
    """Each piece of text on ``page`` with its size in points as printed: the font size
    times the vertical scale of the text matrix and the page's transformation."""
    found = []

    def visit(text, cm, tm, _font, size):
        a, b, c, d = (
            tm[0] * cm[0] + tm[1] * cm[2],
            tm[0] * cm[1] + tm[1] * cm[3],
            tm[2] * cm[0] + tm[3] * cm[2],
            tm[2] * cm[1] + tm[3] * cm[3],
        )
        if text.strip():
            found.append((text, size * math.sqrt(abs(a * d - b * c))))

    page.extract_text(visitor_text=visit)
    return found


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_every_sheet_prints_at_9_pt_or_more_on_a4_landscape(realistic, tmp_path):
    path = tmp_path / "bao-cao.xlsx"
    path.write_bytes(workbook_bytes(realistic))
    pages = PdfReader(printed(path, tmp_path)).pages
    texts = [page.extract_text() for page in pages]
    # Four sheets, each printed (its name in the footer's left).
    for sheet in ("Tổng hợp", "Chỉ tiêu", "Số liệu đơn vị", "Nhiệm vụ"):
        assert any(sheet in text for text in texts), sheet
    smallest = {}
    for number, (page, text) in enumerate(zip(pages, texts, strict=True), start=1):
        # A4 is 210 × 297 mm: 595.3 × 841.9 pt, here on its side.
        assert (float(page.mediabox.width), float(page.mediabox.height)) == (
            pytest.approx(841.9, abs=1),
            pytest.approx(595.3, abs=1),
        )
        sizes = [size for _text, size in spans(page)]
        smallest[number] = min(sizes)
        assert "##" not in text  # a number wider than its column would show ###
        assert f"Trang {number} / {len(pages)}" in text
    assert min(smallest.values()) >= 9, smallest  # 11 pt at 85 % at the least: 9.35 pt
    whole = " ".join(" ".join(texts).split())  # wrapped lines joined
    # The amount in full: 3,000,000,000 (or 3.000.000.000 under a Vietnamese locale).
    assert re.search(r"3[.,]000[.,]000[.,]000(?!\d)", whole)
    # The Chỉ tiêu sheet's screen-only columns are not printed.
    assert "Giá trị mức kế hoạch" not in whole and "Báo cáo phải có" not in whole
    # The target is named as on the pages, the indicator "Chỉ tiêu".
    assert "Mức kế hoạch năm" in whole and "% so với mức kế hoạch" in whole
    assert "Chỉ tiêu năm" not in whole and "so với chỉ tiêu" not in whole
    assert "Căn cứ đánh giá" in whole and "Ủy ban nhân dân các huyện" in whole


def test_wrapped_cells_get_rows_tall_enough_and_numbers_room(realistic):
    """Heights by hand, 15 pt a line; a wrapped line holds its column's width less
    one, in characters, words laid as a spreadsheet lays them."""
    workbook = load_workbook(BytesIO(workbook_bytes(realistic)))
    indicators = workbook["Chỉ tiêu"]
    # Header: "% so với mức kế hoạch" in column H, 9 wide (8 a line): "% so với" /
    # "mức kế" / "hoạch", the tallest header.
    assert indicators["H4"].value == "% so với mức kế hoạch"
    assert indicators.column_dimensions["H"].width == 9
    assert indicators.row_dimensions[HEADER_ROW].height == 3 * 15
    rows = {row[3].value: row[0].row for row in indicators.iter_rows(min_row=HEADER_ROW + 1)}
    # The seven coordinating agencies, in column K, 18 wide (17 a line): "Công an tỉnh,
    # Sở" / "Giáo dục và Đào" / "tạo, Sở Kế hoạch" / "và Đầu tư, Sở Nội" / "vụ, Sở Tài
    # chính," / "Sở Y tế, Ủy ban" / "nhân dân các" / "huyện, thành phố": 8 lines.
    assert indicators.column_dimensions["K"].width == 18
    assert indicators.cell(rows["RATE"], 11).alignment.wrap_text
    assert indicators.row_dimensions[rows["RATE"]].height == 8 * 15
    assert indicators.row_dimensions[rows["BUDGET"]].height == 8 * 15
    # In a row of several lines every cell stands at the top, numbers too.
    assert indicators.cell(rows["BUDGET"], 7).alignment.vertical == "top"
    # 3,000,000,000: 13 characters and 2 of padding, in "Kết quả" (G).
    assert indicators.cell(rows["BUDGET"], 7).value == 3_000_000_000
    assert indicators.column_dimensions["G"].width == 15
    # The task, in column C, 40 wide (39 a line): "Triển khai nền tảng tích hợp, chia sẻ" /
    # "dữ liệu cấp tỉnh (LGSP) kết nối với nền" / "tảng quốc gia, bảo đảm an toàn thông" /
    # "tin theo cấp độ": 4 lines, more than any other cell of its row.
    tasks = workbook["Nhiệm vụ"]
    assert tasks.column_dimensions["C"].width == 40
    assert tasks.row_dimensions[HEADER_ROW + 1].height == 4 * 15
    # The summary's rows hold one line each: no height written, the default's.
    summary = workbook["Tổng hợp"]
    assert [summary.row_dimensions[n].height for n in range(HEADER_ROW + 1, summary.max_row + 1)] == [
        None
    ] * 5
    # The values are streamed: their "Giá trị" column (E) holds 100,000,000,000 đồng,
    # 15 characters and 2 of padding.
    assert workbook["Số liệu đơn vị"].column_dimensions["E"].width == 17


def test_a_long_sheet_keeps_every_rows_height_and_not_in_memory():
    """xlsxwriter keeps each row's height for as long as its sheet; the sheet drops it
    once the row is in its temporary file, so that 1,000 tall rows leave at most one
    height in memory, and every row still has its height in the file. The note column
    is 12 wide (11 characters a wrapped line, 9 on one line): "Số liệu thay đổi do sắp
    xếp lại đơn vị" takes "Số liệu" / "thay đổi do" / "sắp xếp lại" / "đơn vị", 4
    lines of 15 pt."""
    from reporting.exports.workbook import Sheet, streamed_workbook

    note = "Số liệu thay đổi do sắp xếp lại đơn vị"
    output = BytesIO()
    workbook = streamed_workbook(output)
    sheet = Sheet(workbook, "Ghi chú", ["Tiêu đề"], [("STT", "0", 5), ("Ghi chú", None, 12)], [[1, note]])
    for number in range(1, 1001):
        sheet.row([number, note])
        assert len(sheet.sheet.row_info) <= 2  # this row's, and the one before until written
    workbook.close()
    written = load_workbook(BytesIO(output.getvalue()))["Ghi chú"]
    assert written.column_dimensions["B"].width == 12
    assert written.max_row == 1002  # the title, the header, 1,000 rows
    assert written.row_dimensions[2].height is None  # "Ghi chú" fits on one line
    assert {written.row_dimensions[row].height for row in range(3, 1003)} == {4 * 15}
    assert written["B1002"].value == note and written["A1002"].value == 1000


def test_each_cell_gets_the_format_of_its_value_and_row_whatever_came_before():
    """A cell's format follows from its column's number format, its value's type,
    whether its text wraps and whether its row is taller than a line; the sheet works
    it out once for each of those and writes the next such cell alike. Rows of the same
    cells, short then tall then short again, each get their own: the Ghi chú column is
    12 wide, so "Số liệu thay đổi do sắp xếp lại đơn vị" wraps (4 lines) and "Đạt" does
    not; "Tử số" is "#,##0.####", shown "#,##0" for a whole number."""
    from datetime import date, datetime
    from decimal import Decimal

    from django.utils.translation import gettext_lazy

    from reporting.exports.workbook import Sheet, streamed_workbook

    long_note = "Số liệu thay đổi do sắp xếp lại đơn vị"
    output = BytesIO()
    workbook = streamed_workbook(output)
    columns = [("Tử số", "#,##0.####", 12), ("Ngày", None, 20), ("Ghi chú", None, 12), ("Có", None, 8)]
    sheet = Sheet(workbook, "Ô", ["Tiêu đề"], columns, [[7, date(2025, 12, 31), long_note, True]])
    sheet.row([7, date(2025, 12, 31), "Đạt", True])  # row 3: one line
    sheet.row([Decimal("7.5"), datetime(2025, 12, 31, 8, 30), long_note, False])  # row 4: 4 lines
    sheet.row([8, date(2026, 1, 2), "Đạt", None])  # row 5: one line again
    sheet.row([Decimal("8.25"), None, "", True])  # row 6: one line, empty text left empty
    # Row 7: a yes in the number column after whole numbers, a time after days, both on
    # one line; an empty translation and text of only what a cell cannot hold.
    sheet.row([True, datetime(2026, 1, 3, 9, 15), gettext_lazy(""), "\x07"])
    sheet.row([9, date(2026, 1, 4), None, False])  # row 8: a whole number and a day again
    workbook.close()
    cells = load_workbook(BytesIO(output.getvalue()))["Ô"]

    def shown(cell: str) -> tuple:
        found = cells[cell]
        return (found.number_format, found.alignment.wrap_text or False, found.alignment.vertical)

    assert [shown(f"A{row}") for row in range(3, 7)] == [
        ("#,##0", False, None),
        ("#,##0.####", False, "top"),
        ("#,##0", False, None),
        ("#,##0.####", False, None),
    ]
    assert [shown(f"B{row}") for row in (3, 4, 5)] == [
        ("yyyy-mm-dd", False, None),
        ("yyyy-mm-dd h:mm:ss", False, "top"),
        ("yyyy-mm-dd", False, None),
    ]
    assert [shown(f"C{row}") for row in (3, 4, 5)] == [
        ("General", False, None),
        ("General", True, "top"),
        ("General", False, None),
    ]
    assert [shown(f"D{row}") for row in (3, 4, 6)] == [
        ("General", False, None),
        ("General", False, "top"),
        ("General", False, None),
    ]
    assert [cells[f"D{row}"].value for row in (3, 4, 6)] == [True, False, True]
    assert cells["B6"].value is None and cells["C6"].value is None and cells["D5"].value is None
    assert cells["A4"].value == 7.5 and cells["B4"].value == datetime(2025, 12, 31, 8, 30)
    assert [cells.row_dimensions[row].height for row in range(3, 7)] == [None, 4 * 15, None, None]
    assert (cells["A7"].value, shown("A7")) == (True, ("#,##0", False, None))
    assert (cells["A8"].value, shown("A8")) == (9, ("#,##0", False, None))
    assert (cells["B7"].value, shown("B7")) == (
        datetime(2026, 1, 3, 9, 15),
        ("yyyy-mm-dd h:mm:ss", False, None),
    )
    assert (cells["B8"].value, shown("B8")) == (datetime(2026, 1, 4), ("yyyy-mm-dd", False, None))
    assert cells["C7"].value is None  # the empty translation: nothing written
    assert cells["D7"].value in (None, "")  # the text once cleaned: an empty string
