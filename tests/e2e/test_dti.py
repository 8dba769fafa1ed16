"""The DTI assessment's evidence, end to end, in a real browser and in Vietnamese. A
department's staff member types the first quarter's figures and attaches the plan
that proves one of them: first the document's number without its file (the page
says to choose the file and keeps what was typed), then the PDF with its number,
date and issuer; and submits. The DIC officer approves the report and compiles the
figures now. With the ministry's framework loaded and its assessment of the year
entered (window, published index, one component's points), the DIC officer reads
the provisional DTI score beside the ministry's, opens the evidence package, finds
the document described as the ministry asks for it and the counts of what is still
missing, and downloads the package: a zip with the index workbook and the very PDF
that was uploaded. A steering-committee member sees the score but neither the
package's tab nor its page (403).

Every step leaves a screenshot test-artifacts/e2e/dti-NN-….png, in order."""

import zipfile
from datetime import date
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dti.models import DtiAssessment, Framework, FrameworkComponent, PublishedComponentScore
from dti.services import framework_load
from reporting.models import Submission

from .conftest import follow, login, logout, message, shot
from .test_quarter import tiny_pdf

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DEPARTMENT = "Sở Kế hoạch và Đầu tư"
NAMES = {
    # code: (name, unit)
    "RATE": ("Tỷ lệ hồ sơ thủ tục hành chính được xử lý trực tuyến", "%"),
    "ARTICLES": ("Số tin, bài tuyên truyền về chuyển đổi số", "bài"),
    "OPENDATA": ("Công bố dữ liệu mở của đơn vị", ""),
    "BUDGET": ("Kinh phí chi cho chuyển đổi số", "đồng"),
}
# The ministry's framework as a small file, its components mapped to the world's
# indicators: A.1 is scored from RATE, A.2 from ARTICLES, B.1 from OPENDATA; B.2 has
# no indicator of the province; the ministry measures B.3 itself.
FRAMEWORK = """
decision: 1/QĐ-BTTTT-THU
issued_on: 2023-01-01
title: Bộ chỉ số đánh giá chuyển đổi số cấp tỉnh (bản thử)
first_year: 2023
max_points: 200
main_indicators:
  - {code: A, name: Chính quyền số, group: foundation, max_points: 100}
  - {code: B, name: Hoạt động chuyển đổi số, group: activity, max_points: 100}
components:
  - {main: A, code: A.1, name: Tỷ lệ hồ sơ xử lý trực tuyến, rule: share_of_target, max_points: 40, indicators: [RATE]}
  - {main: A, code: A.2, name: "Tuyên truyền, nâng cao nhận thức", rule: share_of_target, max_points: 60, indicators: [ARTICLES]}
  - {main: B, code: B.1, name: Dữ liệu mở, rule: yes_no, max_points: 50, indicators: [OPENDATA]}
  - {main: B, code: B.2, name: Nhân lực chuyển đổi số, rule: share_of_target, max_points: 30}
  - {main: B, code: B.3, name: Chi cho chuyển đổi số, rule: share_of_target, max_points: 20, measured_by_ministry: true, indicators: [BUDGET]}
"""
DOC_NUMBER, DOC_DATE, ISSUER = "125/KH-UBND", date(2024, 3, 5), "UBND tỉnh Bắc Giang"
PDF = tiny_pdf("Ke hoach 125/KH-UBND ngay 05/03/2024")
MISSING_FILE = "Hãy chọn tệp hoặc nhập đường dẫn của văn bản này."
ZIP_BUTTON = "Tải hồ sơ (tệp nén .zip kèm danh mục Excel)"


@pytest.fixture
def story(world, steering_user):
    """The ``world`` of 2024 with real names; agency 0's first quarter still a draft."""
    names = iter(((DEPARTMENT, "Sở KH&ĐT"), ("Sở Tài chính", "Sở TC"), ("Sở Nội vụ", "Sở NV")))
    for agency, (name, short) in zip(world["agencies"], names, strict=True):
        agency.name, agency.short_name = name, short
        agency.save()
    for code, indicator in world["indicators"].items():
        indicator.name, indicator.unit = NAMES[code]
        indicator.save()
    for user, name in (
        (world["staff"][0], "Nguyễn Thị Lan"),
        (world["dic_user"], "Trần Văn Minh"),
        (steering_user, "Lê Quang Huy"),
    ):
        user.first_name = name
        user.save()
    submission = Submission.objects.get(agency=world["agencies"][0], period__year=2024, period__quarter=1)
    rows = {
        value.indicator.code: f"#value-{value.pk}" for value in submission.values.select_related("indicator")
    }
    return {**world, "submission": submission, "rows": rows}


def test_the_dti_evidence_from_the_entry_page_to_the_ministrys_zip(page, story, tmp_path):
    rows, submission, province = story["rows"], story["submission"], story["province"]
    pdf = tmp_path / "ke-hoach-125-KH-UBND.pdf"
    pdf.write_bytes(PDF)
    assert pdf.read_bytes().startswith(b"%PDF-1.4")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))

    # 1. The staff member opens the draft of the first quarter and types the figures.
    login(page, "canbo0")
    follow(page, page.locator("tbody tr", has_text="Quý I/2024").get_by_role("link", name="Nhập số liệu"))
    assert page.url == page.base + reverse("reporting:submission-edit", args=[submission.pk])
    assert page.locator("h1").inner_text() == "Nhập số liệu báo cáo"
    rate = page.locator(rows["RATE"])
    rate.get_by_label("Tử số").fill("45")
    rate.get_by_label("Mẫu số").fill("60")
    assert rate.locator("[data-quotient-out]").inner_text() == "75%"
    page.locator(rows["ARTICLES"]).get_by_label("Số lượng").fill("12")
    page.locator(rows["OPENDATA"]).get_by_label("Trả lời").select_option(label="Có")
    page.locator(rows["BUDGET"]).get_by_label("Số tiền (đồng)").fill("3.000.000.000")
    # ...opens "Thêm minh chứng …" and types the plan's number, but forgets its file.
    rate.locator("summary", has_text="Thêm minh chứng").click()
    docnumber = rate.locator("input[name$='-docnumber']")
    assert docnumber.is_visible() and docnumber.get_attribute("placeholder") == "ví dụ 125/KH-UBND"
    docnumber.fill(DOC_NUMBER)
    shot(page, "dti-01-staff-number-without-file")
    follow(page, page.get_by_role("button", name="Gửi báo cáo"))
    rate = page.locator(rows["RATE"])
    docnumber = rate.locator("input[name$='-docnumber']")
    assert rate.locator("details").get_attribute("open") is not None  # opened, to show the message
    files = rate.locator("input[name$='-files']")
    error = files.locator("xpath=following-sibling::div[contains(@class, 'invalid-feedback')]")
    assert error.inner_text() == MISSING_FILE  # under the file to choose
    assert "is-invalid" in files.get_attribute("class")
    assert "Chưa lưu được: có ô nhập chưa đúng" in message(page).first.inner_text()
    assert docnumber.input_value() == DOC_NUMBER  # what was typed stays
    assert rate.get_by_label("Tử số").input_value() == "45"
    assert page.locator(rows["BUDGET"]).get_by_label("Số tiền (đồng)").input_value() == "3.000.000.000"
    assert Submission.objects.get(pk=submission.pk).status == "draft"  # nothing was sent
    shot(page, "dti-02-staff-choose-the-file")
    # The page with the error comes back as 400 Bad Request, which chromium logs; no
    # script failed.
    assert len(page.errors) == 1 and "status of 400" in page.errors[0]
    page.errors.clear()

    # ...chooses the PDF and fills the document's date and issuer, then submits.
    rate.get_by_label("Tệp minh chứng").set_input_files(pdf)
    rate.locator("input[name$='-docdate']").fill(DOC_DATE.isoformat())
    assert rate.locator("input[name$='-docdate']").get_attribute("type") == "date"
    rate.locator("input[name$='-issuer']").fill(ISSUER)
    assert [
        rate.locator(f"input[name$='-{name}']").evaluate("e => e.labels[0].textContent")
        for name in ("docnumber", "docdate", "issuer")
    ] == ["Số, ký hiệu văn bản", "Ngày ban hành", "Cơ quan ban hành"]
    shot(page, "dti-03-staff-document-described")
    follow(page, page.get_by_role("button", name="Gửi báo cáo"))
    assert "Đã gửi báo cáo tới Sở KH&CN." in message(page).first.inner_text()
    assert page.locator("h1").inner_text() == "Báo cáo số liệu"
    evidence_line = page.locator(rows["RATE"]).locator("div", has=page.locator("a[href*='/evidence/']"))
    assert evidence_line.inner_text() == f"{pdf.name} (Số {DOC_NUMBER} ngày 05/03/2024 của {ISSUER})"
    shot(page, "dti-04-staff-submitted")
    logout(page)

    # 2. The DIC officer approves the report and compiles the figures now.
    login(page, "sotttt")
    follow(page, page.get_by_role("link", name="Báo cáo các đơn vị"))
    queue_row = page.locator("tbody tr", has_text=DEPARTMENT)
    assert queue_row.count() == 1 and "Quý I/2024" in queue_row.inner_text()
    follow(page, queue_row.get_by_role("link", name="Xem và duyệt"))
    follow(page, page.get_by_role("button", name="Phê duyệt"))
    assert "Đã phê duyệt báo cáo." in message(page).first.inner_text()
    shot(page, "dti-05-dic-approved")
    page.goto(page.base + reverse("reporting:period-list"))
    follow(page, page.locator("tbody tr", has_text="Quý I/2024").get_by_role("button", name="tổng hợp ngay"))
    assert "Đã tổng hợp số liệu Quý I/2024" in message(page).first.inner_text()
    assert page.locator("tbody tr", has_text="Năm 2024").locator("td").nth(7).inner_text().strip() != "—"

    # 3. The ministry's framework is loaded and its assessment of 2024 entered (the
    # admin's pages for these are tested elsewhere).
    framework_file = tmp_path / "framework.yaml"
    framework_file.write_text(FRAMEWORK, encoding="utf-8")
    framework_load(path=framework_file)
    assessment = DtiAssessment.objects.create(
        province=province,
        year=2024,
        framework=Framework.objects.get(decision="1/QĐ-BTTTT-THU"),
        opens_on=date(2025, 3, 10),
        closes_on=date(2025, 4, 10),
        published_on=date(2025, 7, 15),
        published_index=Decimal("0.65"),
    )
    PublishedComponentScore.objects.create(
        assessment=assessment, component=FrameworkComponent.objects.get(code="A.1"), points=Decimal(35)
    )

    # 4. The DIC officer reads the provisional score beside the ministry's.
    follow(page, page.get_by_role("link", name="Bảng điều hành"))
    follow(page, page.locator(".nav-tabs").get_by_role("link", name="Điểm DTI tạm tính"))
    page.get_by_label("Năm").select_option("2024")
    follow(page, page.get_by_role("button", name="Xem"))
    assert page.url == page.base + reverse("dti:score") + "?year=2024"
    assert page.locator("h1").inner_text() == "Điểm Chỉ số chuyển đổi số (DTI) tạm tính của tỉnh"
    # RATE 75 % against ≥ 50: all 40 points; ARTICLES 12 against 20: 60 % of 60 = 36;
    # OPENDATA all yes: 50; B.2 has no figure; B.3 is the ministry's: 126 / 180 = 0,7,
    # said to rest on 180 of the framework's 200 points.
    cards = page.locator(".display-6")
    assert cards.nth(0).inner_text() == "0,7"
    main = page.locator("main").inner_text()
    assert "tính trên 180/200 điểm; 0 chỉ số thành phần chưa theo dõi" in main
    assert "126 / 180 điểm" in main
    assert cards.nth(1).inner_text() == "0,65"
    assert "Bộ công bố ngày 15/07/2025" in page.locator("main").inner_text()
    assert "Gửi số liệu, minh chứng cho Bộ: 10/03/2025 – 10/04/2025" in page.locator("main").inner_text()
    a1 = page.locator("tbody tr", has_text="Tỷ lệ hồ sơ xử lý trực tuyến")
    headers = page.locator("table", has=a1).locator("thead th").all_inner_texts()
    assert headers[-2:] == ["Bộ công bố", "Chênh lệch (Bộ − tạm tính)"]
    cells = a1.locator("td").all_inner_texts()
    assert "RATE: 75%" in cells[1]
    assert cells[2:] == ["40", "40", "0", "35", "-5"]
    assert "text-danger" in a1.locator("td").nth(6).get_attribute("class")
    a2 = page.locator("tbody tr", has_text="Tuyên truyền, nâng cao nhận thức").locator("td").all_inner_texts()
    assert a2[2:] == ["36", "60", "24", "—", "—"]  # no published points for A.2
    shot(page, "dti-06-dic-provisional-score")

    # ...then the evidence package: the document as the ministry asks for it.
    follow(page, page.locator(".nav-tabs").get_by_role("link", name="Hồ sơ minh chứng DTI"))
    assert page.url == page.base + reverse("dti:evidence") + "?year=2024"
    assert page.locator("h1").inner_text() == "Hồ sơ minh chứng gửi Bộ đánh giá DTI"
    assert "Gửi số liệu, minh chứng từ 10/03/2025 đến 10/04/2025" in page.locator("main").inner_text()
    assert "4 chỉ số thành phần do tỉnh báo cáo · 1 minh chứng" in page.locator("main").inner_text()
    component = page.locator("[id='component-A.1']")
    document = component.get_by_text(f"Số {DOC_NUMBER} ngày 05/03/2024 của {ISSUER}")
    assert not document.is_visible()  # folded
    component.locator("summary", has_text="1 minh chứng").click()
    assert document.is_visible()
    assert f"{pdf.name} · {DEPARTMENT}, Quý I/2024" in component.inner_text()
    assert "Tên tệp trong hồ sơ nén: A.1/01-" in component.inner_text()
    # What is missing: the other reports of the year are not approved (agency 0's
    # Q2–Q4, agencies 1 and 2's four quarters: 11 for each of RATE, ARTICLES and
    # OPENDATA), ARTICLES and OPENDATA of Q1 have no evidence, B.2 no indicator.
    checklist = page.locator("div.col-md-4", has_text="Việc còn thiếu")
    assert checklist.locator(".badge").inner_text() == "36"
    counts = dict(line.split("\n") for line in checklist.locator("div.d-flex").all_inner_texts())
    assert counts == {
        "Chưa gắn chỉ tiêu của tỉnh": "1",
        "Báo cáo chưa được duyệt": "33",
        "Số liệu chưa có minh chứng": "2",
    }
    assert "Minh chứng thiếu số, ký hiệu, ngày hoặc cơ quan ban hành" not in checklist.inner_text()
    component.locator("summary", has_text="còn thiếu").click()
    assert (
        f"{DEPARTMENT}: báo cáo Quý II/2024 chưa được duyệt (Đang nhập) — Tỷ lệ hồ sơ thủ tục hành chính được xử lý trực tuyến."
        in component.inner_text()
    )
    shot(page, "dti-07-dic-evidence-package")

    # ...and downloads the package for the ministry.
    with page.expect_download() as download:
        page.get_by_role("link", name=ZIP_BUTTON).click()
    assert download.value.suggested_filename == "minh-chung-dti-BG-2024.zip"
    archive = zipfile.ZipFile(Path(download.value.path()))
    names = archive.namelist()
    assert names[0] == "00-Danh-muc.xlsx"
    (packed,) = names[1:]
    assert packed.startswith("A.1/01-") and packed.endswith(".pdf")
    assert archive.read(packed) == pdf.read_bytes()
    index = load_workbook(BytesIO(archive.read("00-Danh-muc.xlsx")), read_only=True)
    listed = [row for row in index["Minh chứng"].iter_rows(min_row=5, values_only=True) if row[0]]
    assert [(row[1], row[2], row[6], row[8], row[10]) for row in listed] == [
        ("A.1", "RATE", DOC_NUMBER, ISSUER, packed)
    ]
    logout(page)

    # 5. The steering-committee member sees the score, not the package.
    login(page, "bcd")
    follow(page, page.get_by_role("link", name="Bảng điều hành"))
    follow(page, page.locator(".nav-tabs").get_by_role("link", name="Điểm DTI tạm tính"))
    tabs = page.locator(".nav-tabs .nav-link").all_inner_texts()
    assert "Điểm DTI tạm tính" in tabs and "Hồ sơ minh chứng DTI" not in tabs
    shot(page, "dti-08-steering-no-package-tab")
    for url in (reverse("dti:evidence"), reverse("dti:evidence-zip")):
        response = page.goto(page.base + url + "?year=2024")
        assert response.status == 403
        assert page.locator("h1").inner_text() == "Bạn không có quyền thực hiện thao tác này"
    assert DEPARTMENT not in page.content()
    shot(page, "dti-09-steering-refused")
    # The refusals come back as 403 Forbidden, which chromium logs; no script failed.
    assert len(page.errors) == 2 and all("status of 403" in error for error in page.errors)
    page.errors.clear()

    # The one question asked: the approval's confirmation.
    assert dialogs == [
        "Phê duyệt báo cáo Quý I/2024 của Sở Kế hoạch và Đầu tư? Số liệu được duyệt sẽ vào số "
        "tổng hợp của tỉnh; muốn sửa sau đó phải mở lại báo cáo."
    ]
    assert page.errors == []
