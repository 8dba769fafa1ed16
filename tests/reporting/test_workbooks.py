"""Offline entry: the pre-filled template round-trips, and a bad file saves nothing
and lists every error with its row."""

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reporting import services
from reporting.models import IndicatorValue, Submission
from reporting.selectors import submissions as selectors
from reporting.workbooks import FIRST_ROW, TASKS_SHEET, VALUES_SHEET, submission_workbook

pytestmark = pytest.mark.django_db

COLUMNS = {
    "numerator": 8,
    "denominator": 9,
    "value": 10,
    "is_done": 11,
    "done_on": 12,
    "text": 13,
    "note": 14,
}


def template(submission):
    groups, tasks = selectors.submission_rows(submission=submission)
    return load_workbook(BytesIO(submission_workbook(submission=submission, groups=groups, tasks=tasks)))


def rows_by_code(sheet):
    return {
        sheet.cell(row=r, column=1).value: r
        for r in range(FIRST_ROW, sheet.max_row + 1)
        if sheet.cell(row=r, column=1).value
    }


def filled(workbook, figures):
    sheet = workbook[VALUES_SHEET]
    rows = rows_by_code(sheet)
    for code, fields in figures.items():
        for name, value in fields.items():
            sheet.cell(row=rows[code], column=COLUMNS[name], value=value)
    output = BytesIO()
    workbook.save(output)
    output.seek(0)
    output.name = "bao-cao.xlsx"
    return output


def upload(client, submission, file):
    return client.post(reverse("reporting:submission-upload", args=[submission.pk]), {"file": file})


FIGURES = {
    "BG.RATE": {"numerator": 45, "denominator": 60, "note": "Theo Cổng DVC"},
    "BG.RATIO": {"numerator": "28.000", "denominator": 2000},
    "BG.COUNT": {"value": "1.234"},
    "BG.AMOUNT": {"value": 2000000000},
    "BG.MILESTONE": {"is_done": "Có", "done_on": date(2024, 3, 1)},
    "BG.YES_NO": {"is_done": "Không"},
    "BG.TEXT": {"text": "Đã ban hành quy chế"},
}


def test_the_template_names_the_submission_and_lists_every_indicator_and_task(submission):
    workbook = template(submission)
    assert set(rows_by_code(workbook[VALUES_SHEET])) == set(FIGURES)
    assert workbook[TASKS_SHEET].cell(row=FIRST_ROW, column=5).value == "Chưa triển khai"
    assert workbook["_meta"].sheet_state == "hidden"
    assert [list(r) for r in workbook["_meta"].iter_rows(values_only=True)] == [
        ["submission", submission.pk],
        ["version", 1],
    ]
    assert workbook[VALUES_SHEET].freeze_panes == "D5"


def test_a_filled_template_round_trips(client, staff_user, submission):
    client.force_login(staff_user)
    workbook = template(submission)
    workbook[TASKS_SHEET].cell(row=FIRST_ROW, column=5, value="Đang thực hiện")
    response = upload(client, submission, filled(workbook, FIGURES))
    assert response.status_code == 302
    values = {v.indicator.code: v for v in submission.values.select_related("indicator")}
    assert (values["BG.RATE"].numerator, values["BG.RATE"].denominator, values["BG.RATE"].note) == (
        45,
        60,
        "Theo Cổng DVC",
    )
    assert values["BG.COUNT"].value == 1234 and values["BG.AMOUNT"].value == 2_000_000_000
    assert (values["BG.MILESTONE"].is_done, values["BG.MILESTONE"].done_on) == (True, date(2024, 3, 1))
    assert values["BG.YES_NO"].is_done is False and values["BG.TEXT"].text == "Đã ban hành quy chế"
    assert submission.task_progress.get().status == "in_progress"
    saved = Submission.objects.get(pk=submission.pk)
    assert saved.version == 2
    # What was uploaded downloads again as it was saved.
    again = template(saved)[VALUES_SHEET]
    row = rows_by_code(again)["BG.RATE"]
    assert (again.cell(row=row, column=8).value, again.cell(row=row, column=9).value) == (45, 60)
    services.submission_submit(submission=saved, actor=staff_user)


def test_the_template_names_the_target_as_the_pages_do(submission):
    """The year's target is "Mức kế hoạch năm"; "Chỉ tiêu" is the indicator."""
    headers = [cell.value for cell in template(submission)[VALUES_SHEET][FIRST_ROW - 1]]
    assert headers[2] == "Chỉ tiêu" and headers[5] == "Mức kế hoạch năm"
    assert "Chỉ tiêu năm" not in headers


@pytest.mark.parametrize("target_header", ["Mức kế hoạch năm", "Chỉ tiêu năm"])
def test_a_template_downloaded_before_the_target_was_renamed_still_uploads(
    client, staff_user, submission, target_header
):
    """A template filled offline from before the rename (its target column headed
    "Chỉ tiêu năm") imports the same figures as today's."""
    client.force_login(staff_user)
    workbook = template(submission)
    workbook[VALUES_SHEET].cell(row=FIRST_ROW - 1, column=6, value=target_header)
    response = upload(client, submission, filled(workbook, FIGURES))
    assert response.status_code == 302, response.content.decode()[:2000]
    values = {v.indicator.code: v for v in submission.values.select_related("indicator")}
    assert (values["BG.RATE"].numerator, values["BG.RATE"].denominator, values["BG.RATE"].note) == (
        45,
        60,
        "Theo Cổng DVC",
    )
    assert (values["BG.RATIO"].numerator, values["BG.RATIO"].denominator) == (28000, 2000)
    assert values["BG.COUNT"].value == 1234 and values["BG.AMOUNT"].value == 2_000_000_000
    assert (values["BG.MILESTONE"].is_done, values["BG.MILESTONE"].done_on) == (True, date(2024, 3, 1))
    assert values["BG.YES_NO"].is_done is False and values["BG.TEXT"].text == "Đã ban hành quy chế"
    assert Submission.objects.get(pk=submission.pk).version == 2


def test_a_template_with_both_the_old_and_the_new_target_header_is_refused(client, staff_user, submission):
    client.force_login(staff_user)
    workbook = template(submission)
    sheet = workbook[VALUES_SHEET]
    sheet.cell(row=FIRST_ROW - 1, column=len(COLUMNS) + 8, value="Chỉ tiêu năm")
    response = upload(client, submission, filled(workbook, FIGURES))
    assert "có hai lần" in response.content.decode()
    assert Submission.objects.get(pk=submission.pk).version == 1


def test_a_file_with_bad_rows_saves_nothing_and_lists_every_error(client, staff_user, submission):
    client.force_login(staff_user)
    bad = FIGURES | {"BG.COUNT": {"value": "mười hai"}, "BG.YES_NO": {"is_done": "Có lẽ"}}
    workbook = template(submission)
    sheet = workbook[VALUES_SHEET]
    sheet.cell(row=sheet.max_row + 1, column=1, value="BG.KHONGCO")
    response = upload(client, submission, filled(workbook, bad))
    assert response.status_code == 400
    details = response.context["details"]
    assert len(details) == 3
    count_row, yes_row = (
        rows_by_code(workbook[VALUES_SHEET])["BG.COUNT"],
        rows_by_code(workbook[VALUES_SHEET])["BG.YES_NO"],
    )
    assert (
        f"Trang “Số liệu”, dòng {count_row}: cột “Số lượng / số tiền” có giá trị “mười hai” không hợp lệ."
        in details
    )
    assert any(line.startswith(f"Trang “Số liệu”, dòng {yes_row}:") for line in details)
    assert any("“BG.KHONGCO” không có trong báo cáo này" in line for line in details)
    assert "Tệp có 3 lỗi nên chưa có số liệu nào được lưu" in response.content.decode()
    assert not IndicatorValue.history.exists()
    assert Submission.objects.get(pk=submission.pk).version == 1


def test_a_template_older_than_the_last_save_is_refused(client, staff_user, submission):
    client.force_login(staff_user)
    old = template(submission)
    services.submission_save(submission=submission, actor=staff_user, version=1, values={})
    response = upload(client, submission, filled(old, FIGURES))
    assert response.status_code == 409
    assert "tải mẫu mới" in response.context["error"]
    assert not IndicatorValue.history.exists()


def test_another_submissions_template_is_refused(client, staff_user, submission, department):
    client.force_login(staff_user)
    q2 = Submission.objects.get(agency=department, period__quarter=2, period__year=2024)
    response = upload(client, submission, filled(template(q2), FIGURES))
    assert response.status_code == 400
    assert "mẫu của một báo cáo khác" in response.context["error"]


def test_a_file_that_is_not_a_workbook_is_refused(client, staff_user, submission):
    client.force_login(staff_user)
    fake = BytesIO(b"not a workbook")
    fake.name = "bao-cao.xlsx"
    response = upload(client, submission, fake)
    assert response.status_code == 400
    assert "không phải tệp Excel" in response.content.decode()


def test_an_approved_submission_refuses_an_upload(client, staff_user, dic_user, submission):
    from .test_services import bring_to

    approved = bring_to("approved", submission, staff_user, dic_user)
    client.force_login(staff_user)
    response = upload(client, approved, filled(template(approved), FIGURES))
    assert response.status_code == 409
    assert "đã được phê duyệt" in response.context["error"]


def test_text_that_looks_like_a_formula_round_trips_as_text(client, staff_user, submission):
    text = submission.values.get(indicator__measure_type="text")
    services.submission_save(
        submission=submission,
        actor=staff_user,
        version=1,
        values={text.pk: {"text": "=> đã ban hành", "note": "=1+1"}},
    )
    saved = Submission.objects.get(pk=submission.pk)
    workbook = template(saved)
    sheet = workbook[VALUES_SHEET]
    row = rows_by_code(sheet)["BG.TEXT"]
    assert sheet.cell(row=row, column=13).data_type == "s" and sheet.cell(row=row, column=14).value == "=1+1"
    client.force_login(staff_user)
    assert upload(client, saved, filled(workbook, {})).status_code == 302
    text.refresh_from_db()
    assert (text.text, text.note) == ("=> đã ban hành", "=1+1")


def test_a_figure_in_a_column_its_measure_does_not_use_is_an_error(client, staff_user, submission):
    client.force_login(staff_user)
    workbook = template(submission)
    response = upload(client, submission, filled(workbook, {"BG.RATE": {"value": 75}}))
    assert response.status_code == 400
    (line,) = response.context["details"]
    assert "cột “Số lượng / số tiền” không dùng cho chỉ tiêu loại “Tỷ lệ % (tử số / mẫu số)”" in line
    assert "“Tử số”, “Mẫu số”" in line


def test_a_removed_row_is_listed_with_the_other_errors(client, staff_user, submission):
    client.force_login(staff_user)
    workbook = template(submission)
    sheet = workbook[VALUES_SHEET]
    sheet.delete_rows(rows_by_code(sheet)["BG.TEXT"])
    workbook[TASKS_SHEET].delete_rows(FIRST_ROW)
    response = upload(client, submission, filled(workbook, {"BG.COUNT": {"value": "x"}}))
    details = response.context["details"]
    assert len(details) == 3
    assert "Trang “Số liệu” thiếu dòng của chỉ tiêu: BG.TEXT." in details
    assert "Trang “Nhiệm vụ” thiếu dòng của nhiệm vụ: 1." in details
