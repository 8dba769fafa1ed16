"""Issue 7: one quarter of the DTI workflow, end to end, in a real browser and in
Vietnamese. The administrator opens the year's periods on the "Kỳ báo cáo" page; a
department's staff member types the figures (one wrong, corrected after the message
next to the field), attaches a PDF and submits; the DIC officer returns it with a
comment, the staff member fixes and resubmits, the DIC officer approves and asks for
the roll-up now; the steering-committee member reads the province figure on the
dashboard and downloads the ministry's Excel report, whose figure is checked.

Every step leaves a screenshot test-artifacts/e2e/quarter-NN-….png, in order."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from assignments.choices import AssignmentRole
from indicators.choices import AgencyRollup, Comparison, MeasureType, TimeRollup
from reporting.models import ReportingPeriod
from tests.factories import (
    IndicatorAssignmentFactory,
    IndicatorFactory,
    PillarFactory,
    PlanFactory,
    ReportingObligationFactory,
    TargetFactory,
)

from .conftest import follow, login, logout, message, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

RATE_NAME = "Tỷ lệ hồ sơ thủ tục hành chính được xử lý trực tuyến"
COUNT_NAME = "Số tin, bài tuyên truyền về chuyển đổi số"
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
RETURN_COMMENT = (
    "Số tin, bài chưa khớp với danh sách đăng trên Cổng thông tin điện tử của Sở; đề nghị rà soát lại."
)
VALUE_COMMENT = "Danh sách kèm theo có 14 tin, bài, báo cáo ghi 12."


def tiny_pdf(text: str) -> bytes:
    """A real one-page PDF (the portal checks evidence by its content)."""
    stream = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


PDF = tiny_pdf("Bien ban kiem tra so lieu ho so truc tuyen")


@pytest.fixture
def catalogue(province, department, dic, admin_user_portal, staff_user, dic_user, steering_user):
    """The province's plan for this year: a rate and a count that the department leads
    and must report, with their targets; a user of each role. No period is open."""
    year = timezone.localdate().year
    plan = PlanFactory(
        province=province,
        number="125/KH-UBND",
        title=f"Kế hoạch chuyển đổi số năm {year}",
        year_from=year,
        year_to=year,
    )
    pillar = PillarFactory(code="CQS", name="Chính quyền số", order=1)
    rate = IndicatorFactory(
        province=province,
        code="CQS.01",
        name=RATE_NAME,
        pillar=pillar,
        unit="%",
        measure_type=MeasureType.RATE,
        numerator_label="Số hồ sơ xử lý trực tuyến",
        denominator_label="Tổng số hồ sơ tiếp nhận",
        rollup_agencies=AgencyRollup.RATIO_OF_SUMS,
        rollup_time=TimeRollup.STOCK,
    )
    count = IndicatorFactory(
        province=province,
        code="CQS.02",
        name=COUNT_NAME,
        pillar=pillar,
        unit="bài",
        measure_type=MeasureType.COUNT,
        numerator_label="",
        denominator_label="",
        rollup_agencies=AgencyRollup.SUM,
        rollup_time=TimeRollup.FLOW,
    )
    for indicator, target in ((rate, 85), (count, 40)):
        TargetFactory(
            plan=plan,
            indicator=indicator,
            year=year,
            comparison=Comparison.GTE,
            value=Decimal(target),
            wording=f"{indicator.name} đạt {target}",
        )
        IndicatorAssignmentFactory(
            plan=plan, indicator=indicator, year=year, agency=department, role=AssignmentRole.LEAD
        )
        ReportingObligationFactory(indicator=indicator, agency=department, year=year)
    # Real people's names and the department's short name, as the pages show them.
    department.short_name = "Sở KH&ĐT"
    department.save()
    for user, name in (
        (admin_user_portal, "Phạm Thu Hà"),
        (staff_user, "Nguyễn Thị Lan"),
        (dic_user, "Trần Văn Minh"),
        (steering_user, "Lê Quang Huy"),
    ):
        user.first_name = name
        user.save()
    assert not ReportingPeriod.objects.exists()
    quarter = (timezone.localdate().month - 1) // 3 + 1
    return {
        "year": year,
        "quarter": quarter,
        "period": f"Quý {ROMAN[quarter]}/{year}",
        "rate": rate,
        "count": count,
    }


def test_a_quarter_from_opening_the_periods_to_the_ministry_report(page, catalogue, department, tmp_path):
    year, quarter, period_name = catalogue["year"], catalogue["quarter"], catalogue["period"]
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))

    # 1. The administrator opens the year's periods on the "Kỳ báo cáo" page.
    login(page, "quantri")
    follow(page, page.get_by_role("link", name="Báo cáo các đơn vị"))
    follow(page, page.get_by_role("link", name="Kỳ báo cáo"))
    assert page.locator("h1").inner_text() == "Kỳ báo cáo"
    assert "Chưa có kỳ báo cáo nào." in page.locator("table").inner_text()
    page.get_by_label("Mở các kỳ báo cáo của năm").fill(str(year))
    shot(page, "quarter-01-admin-periods-before")
    follow(page, page.get_by_role("button", name="Mở 4 quý và cả năm"))
    assert dialogs and dialogs[-1].startswith("Mở các kỳ báo cáo của năm này")
    opened = message(page).filter(has_text="mở mới 5 kỳ")
    assert opened.count() == 1
    assert f"Năm {year} của" in opened.inner_text() and "tạo 4 báo cáo" in opened.inner_text()
    rows = page.locator("tbody tr")
    assert rows.count() == 5
    assert page.locator("tbody tr", has_text=period_name).locator("td").nth(6).inner_text() == "0 / 0 / 1"
    shot(page, "quarter-02-admin-periods-opened")
    logout(page)

    # 2. The department's staff member enters the figures; the rate's numerator is typed
    # larger than its denominator.
    login(page, "canbo")
    assert "Đơn vị của bạn: Sở Kế hoạch và Đầu tư" in page.content()
    report_row = page.locator("tbody tr", has_text=period_name)
    assert "Đang nhập" in report_row.inner_text()
    shot(page, "quarter-03-staff-home")
    follow(page, report_row.get_by_role("link", name="Nhập số liệu"))
    assert page.locator("h1").inner_text() == "Nhập số liệu báo cáo"
    rate_row = page.locator("tbody tr", has_text=RATE_NAME)
    count_row = page.locator("tbody tr", has_text=COUNT_NAME)
    rate_row.get_by_label("Tử số").fill("1.530")  # a typo: 1.350 was meant
    rate_row.get_by_label("Mẫu số").fill("1.500")
    count_row.get_by_label("Số lượng").fill("12")
    percentage = rate_row.locator("[data-quotient-out]")
    assert percentage.inner_text() == "102%"  # shown as typed, in red
    assert "text-danger" in percentage.get_attribute("class")
    shot(page, "quarter-04-staff-typing-wrong-rate")
    follow(page, page.get_by_role("button", name="Gửi báo cáo"))
    rate_row = page.locator("tbody tr", has_text=RATE_NAME)
    error = rate_row.locator("input[data-numerator] + .invalid-feedback")
    assert error.inner_text() == "Tử số không được lớn hơn mẫu số: tỷ lệ phải từ 0 đến 100%."
    assert "is-invalid" in rate_row.get_by_label("Tử số").get_attribute("class")
    assert "Báo cáo chưa gửi được: còn 1 chỗ cần sửa" in message(page).first.inner_text()
    assert rate_row.get_by_label("Tử số").input_value() == "1.530"  # what was typed stays
    shot(page, "quarter-05-staff-error-next-to-field")
    # The page with the errors comes back as 400 Bad Request, which chromium logs; no
    # script failed.
    assert len(page.errors) == 1 and "status of 400" in page.errors[0]
    page.errors.clear()

    # ...corrects it, attaches the evidence and submits.
    rate_row.get_by_label("Tử số").fill("1.350")
    assert rate_row.locator("[data-quotient-out]").inner_text() == "90%"
    assert "is-invalid" not in rate_row.get_by_label("Tử số").get_attribute(
        "class"
    )  # the message goes with the fix
    assert error.count() == 0
    rate_row.get_by_label("Giải trình, ghi chú").fill(
        "Số liệu lấy từ Hệ thống thông tin giải quyết TTHC của tỉnh."
    )
    rate_row.locator("summary", has_text="Thêm minh chứng").click()
    rate_row.get_by_label("Tệp minh chứng").set_input_files(
        files=[{"name": "bien-ban-kiem-tra.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    shot(page, "quarter-06-staff-corrected-with-evidence")
    follow(page, page.get_by_role("button", name="Gửi báo cáo"))
    assert "Đã gửi báo cáo tới Sở KH&CN." in message(page).first.inner_text()
    assert page.locator("h1").inner_text() == "Báo cáo số liệu"
    rate_row = page.locator("tbody tr", has_text=RATE_NAME)
    assert "1.350/1.500 (90%)" in rate_row.inner_text()
    assert rate_row.locator("a[href*='/evidence/']:not([href$='/describe/'])").count() == 1
    shot(page, "quarter-07-staff-submitted")
    logout(page)

    # 3. The DIC officer opens the report from the queue and returns it with a comment.
    login(page, "sotttt")
    follow(page, page.get_by_role("link", name="báo cáo chờ duyệt"))
    queue_row = page.locator("tbody tr", has_text="Sở Kế hoạch và Đầu tư")
    assert queue_row.count() == 1 and period_name in queue_row.inner_text()
    shot(page, "quarter-08-dic-review-queue")
    follow(page, queue_row.get_by_role("link", name="Xem và duyệt"))
    with page.expect_download() as evidence:  # the DIC reads the evidence
        page.locator("tbody tr", has_text=RATE_NAME).locator(
            "a[href*='/evidence/']:not([href$='/describe/'])"
        ).click()
    assert Path(evidence.value.path()).read_bytes() == PDF
    follow(page, page.get_by_role("link", name="Trả lại để sửa"))
    page.get_by_label("Ý kiến chung gửi đơn vị").fill(RETURN_COMMENT)
    page.locator("tbody tr", has_text=COUNT_NAME).get_by_label("Ý kiến về số liệu này").fill(VALUE_COMMENT)
    shot(page, "quarter-09-dic-return-form")
    follow(page, page.get_by_role("button", name="Trả lại báo cáo"))
    assert "Đã trả lại báo cáo cho đơn vị kèm ý kiến." in message(page).first.inner_text()
    logout(page)

    # 4. The staff member sees the comment, fixes the count and resubmits.
    login(page, "canbo")
    returned = page.locator("section", has_text="Báo cáo bị trả lại, cần sửa")
    assert RETURN_COMMENT in returned.inner_text()
    shot(page, "quarter-10-staff-sees-return")
    follow(page, returned.get_by_role("link", name=period_name))
    assert (
        RETURN_COMMENT
        in page.get_by_role("alert").filter(has_text="Ý kiến của Sở KH&CN khi trả lại").inner_text()
    )
    count_row = page.locator("tbody tr", has_text=COUNT_NAME)
    assert f"Sở KH&CN: {VALUE_COMMENT}" in count_row.inner_text()
    assert count_row.get_by_label("Số lượng").input_value() == "12"
    count_row.get_by_label("Số lượng").fill("14")
    count_row.get_by_label("Giải trình, ghi chú").fill(
        "Bổ sung 2 tin, bài đăng ngày 15 và 28 của tháng cuối quý."
    )
    shot(page, "quarter-11-staff-fixing")
    follow(page, page.get_by_role("button", name="Gửi báo cáo"))
    assert "Đã gửi báo cáo tới Sở KH&CN." in message(page).first.inner_text()
    assert page.locator("tbody tr", has_text=COUNT_NAME).locator("td").nth(3).inner_text() == "14"
    logout(page)

    # 5. The DIC officer approves and asks for the province figures now.
    login(page, "sotttt")
    follow(page, page.get_by_role("link", name="báo cáo chờ duyệt"))
    follow(
        page,
        page.locator("tbody tr", has_text="Sở Kế hoạch và Đầu tư").get_by_role("link", name="Xem và duyệt"),
    )
    assert page.locator("tbody tr", has_text=COUNT_NAME).locator("td").nth(3).inner_text() == "14"
    follow(page, page.get_by_role("button", name="Phê duyệt"))
    assert "Đã phê duyệt báo cáo." in message(page).first.inner_text()
    assert "báo cáo chỉ còn để đọc" in page.content()
    shot(page, "quarter-12-dic-approved")
    follow(page, page.get_by_role("link", name="Cổng DTI"))
    follow(page, page.get_by_role("link", name="Bàn làm việc Sở KH&CN"))
    assert page.locator("h1").inner_text() == "Bàn làm việc của Sở KH&CN"
    runs = page.locator("table", has_text="Lý do").locator("tbody tr", has_text=period_name)
    assert runs.count() >= 1  # the approval asked for the roll-up of the quarter (and the year)
    shot(page, "quarter-13-dic-desk")
    follow(page, page.get_by_role("link", name="Kỳ báo cáo", exact=True))
    follow(page, page.locator("tbody tr", has_text=period_name).get_by_role("button", name="tổng hợp ngay"))
    assert f"Đã tổng hợp số liệu {period_name}" in message(page).first.inner_text()
    compiled_row = page.locator("tbody tr", has_text=period_name)
    assert compiled_row.locator("td").nth(6).inner_text() == "1 / 0 / 1"
    assert compiled_row.locator("td").nth(7).inner_text().strip() != "—"
    shot(page, "quarter-14-dic-compiled")
    logout(page)

    # 6. The steering-committee member reads the province figure on the dashboard.
    login(page, "bcd")
    follow(page, page.get_by_role("link", name="Bảng điều hành"))
    page.get_by_label("Năm").select_option(str(year))
    page.get_by_label("Kỳ").select_option(str(quarter))
    follow(page, page.get_by_role("button", name="Xem"))
    assert period_name in page.locator("main").inner_text()
    figure_cells = {
        name: page.locator("tbody tr", has_text=name).locator("td").nth(1).inner_text()
        for name in (RATE_NAME, COUNT_NAME)
    }
    assert figure_cells == {RATE_NAME: "90% (1.350/1.500)", COUNT_NAME: "14 bài"}
    assert "Dựa trên 1/1 báo cáo đã duyệt (100%)" in page.locator("tbody tr", has_text=RATE_NAME).inner_text()
    shot(page, "quarter-15-steering-dashboard")

    # 7. ...and downloads the ministry's Excel report.
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải báo cáo gửi Bộ (Excel)").click()
    assert download.value.suggested_filename == f"bao-cao-bo-BG-{year}-Q{quarter}.xlsx"
    workbook = tmp_path / download.value.suggested_filename
    download.value.save_as(workbook)
    sheet = load_workbook(workbook, read_only=True)["Chỉ tiêu"]
    lines = list(sheet.iter_rows(values_only=True))
    assert lines[0][0].endswith(period_name)
    header = next(i for i, line in enumerate(lines) if line[0] == "STT")
    rows = {line[3]: dict(zip(lines[header], line, strict=True)) for line in lines[header + 1 :] if line[3]}
    assert rows["CQS.01"]["Chỉ tiêu"] == RATE_NAME
    assert rows["CQS.01"]["Kết quả"] == 90
    assert rows["CQS.01"]["Đánh giá"] == "Đạt"
    assert rows["CQS.01"]["Cơ quan chủ trì"] == department.name
    assert rows["CQS.02"]["Kết quả"] == 14

    assert page.errors == []
