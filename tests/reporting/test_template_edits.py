"""The offline template as users really edit it (issue 17): columns moved in Calc or
Excel are read by their header; a formula without a stored result, an Excel error and
a number formatted as a percentage are refused with the sheet, row and column named,
and nothing is saved; a file that is not .xlsx is told so."""

import io

import pytest
from openpyxl.utils import get_column_letter

from reporting import services
from reporting.models import Submission
from reporting.workbooks import FIRST_ROW, VALUES_SHEET

from .test_workbooks import COLUMNS, filled, rows_by_code, template, upload

pytestmark = pytest.mark.django_db


def saved_count(submission):
    return Submission.objects.get(pk=submission.pk).values.get(indicator__code="BG.COUNT").value


def with_count_saved(submission, staff_user, value=7):
    count = submission.values.get(indicator__code="BG.COUNT")
    return services.submission_save(
        submission=submission,
        actor=staff_user,
        version=submission.version,
        values={count.pk: {"value": value}},
    )


def save(workbook):
    output = io.BytesIO()
    workbook.save(output)
    output.seek(0)
    output.name = "bao-cao.xlsx"
    return output


def test_a_column_dragged_before_another_is_read_by_its_header(client, staff_user, submission):
    workbook = template(submission)
    sheet = workbook[VALUES_SHEET]
    row = rows_by_code(sheet)["BG.RATE"]
    sheet.cell(row=row, column=COLUMNS["numerator"], value=45)
    sheet.cell(row=row, column=COLUMNS["denominator"], value=60)
    # "Mẫu số" dragged before "Tử số": the two whole columns change places.
    numerator, denominator = (get_column_letter(COLUMNS[n]) for n in ("numerator", "denominator"))
    for cells in sheet.iter_rows(min_row=FIRST_ROW - 1):
        left, right = cells[COLUMNS["numerator"] - 1], cells[COLUMNS["denominator"] - 1]
        left.value, right.value = right.value, left.value
    assert sheet[f"{numerator}{FIRST_ROW - 1}"].value == "Mẫu số"
    client.force_login(staff_user)
    assert upload(client, submission, save(workbook)).status_code == 302
    rate = Submission.objects.get(pk=submission.pk).values.get(indicator__code="BG.RATE")
    assert (rate.numerator, rate.denominator) == (45, 60)


def test_a_sheet_missing_a_header_of_the_template_is_refused(client, staff_user, submission):
    workbook = template(submission)
    workbook[VALUES_SHEET].cell(row=FIRST_ROW - 1, column=COLUMNS["numerator"], value="Tử")
    client.force_login(staff_user)
    response = upload(client, submission, save(workbook))
    assert response.status_code == 400
    assert "Trang “Số liệu” không đúng mẫu: thiếu cột “Tử số”." in response.content.decode()


@pytest.mark.parametrize(
    "field, cell, message",
    [
        ("value", "=1+1", "cột “Số lượng / số tiền”: ô có công thức “=1+1” chưa có kết quả"),
        ("value", "=SUM(A1:A2)", "ô có công thức “=SUM(A1:A2)” chưa có kết quả"),
        ("note", "#N/A", "cột “Giải trình, ghi chú”: ô có lỗi “#N/A” của Excel."),
    ],
)
def test_a_formula_without_a_result_or_an_excel_error_is_named_and_nothing_is_saved(
    client, staff_user, submission, field, cell, message
):
    saved = with_count_saved(submission, staff_user)
    client.force_login(staff_user)
    response = upload(client, saved, filled(template(saved), {"BG.COUNT": {field: cell}}))
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and "Trang “Số liệu”, dòng" in page
    assert saved_count(saved) == 7  # the saved value is not erased


def test_a_number_formatted_as_a_percentage_is_refused(client, staff_user, submission):
    saved = with_count_saved(submission, staff_user)
    workbook = template(saved)
    sheet = workbook[VALUES_SHEET]
    cell = sheet.cell(row=rows_by_code(sheet)["BG.COUNT"], column=COLUMNS["value"], value=0.45)
    cell.number_format = "0%"  # "45%" typed in Excel
    client.force_login(staff_user)
    response = upload(client, saved, save(workbook))
    assert response.status_code == 400
    assert "ô định dạng phần trăm (45%); hãy nhập số không kèm dấu %" in response.content.decode()
    assert saved_count(saved) == 7


@pytest.mark.parametrize("name", ["bao-cao.ods", "bao-cao.xls"])
def test_a_file_that_is_not_xlsx_is_told_so(client, staff_user, submission, name):
    file = io.BytesIO(b"PK\x03\x04 not really")
    file.name = name
    client.force_login(staff_user)
    response = upload(client, submission, file)
    assert response.status_code == 400
    assert f"Tệp “{name}” không phải .xlsx: hãy lưu tệp dưới dạng Excel (.xlsx)" in response.content.decode()


def test_a_sheet_of_too_many_rows_is_refused_at_the_limit(
    client, staff_user, submission, settings, monkeypatch
):
    """300,000 rows would take the server half a minute: the read stops at the limit."""
    settings.TEMPLATE_MAX_ROWS = 50
    workbook = template(submission)
    sheet = workbook[VALUES_SHEET]
    for n in range(2000):
        sheet.append([f"X{n}", "dòng thêm"])
    read = []
    from openpyxl.worksheet import _read_only

    real = _read_only.ReadOnlyWorksheet._cells_by_row

    def counting(self, *args, **kwargs):
        for row in real(self, *args, **kwargs):
            read.append(1)
            yield row

    monkeypatch.setattr(_read_only.ReadOnlyWorksheet, "_cells_by_row", counting)
    client.force_login(staff_user)
    response = upload(client, submission, save(workbook))
    assert response.status_code == 400
    assert "Trang “Số liệu” có hơn 50 dòng, không phải mẫu báo cáo" in response.content.decode()
    assert len(read) < 500  # of more than 4,000 rows in the two readings
