"""The DTI against the ministry's assessment: the published score set against the
provisional one, components followed across framework versions, and the evidence
package (exactly the evidence of approved values, the checklist, the zip)."""

import zipfile
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from assignments.choices import Role
from dti import selectors
from dti.models import DtiAssessment, Framework, FrameworkComponent, PublishedComponentScore
from dti.services import framework_load
from reporting import services
from reporting.choices import FigureStatus, PeriodState, SubmissionStatus
from reporting.models import ProvinceFigure, ReportingPeriod, Submission
from reporting.rollup.services import compile_province_rollup
from tests.reporting.world import period, report

from .framework import FRAMEWORK

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 ke hoach"
LATER = """
decision: N/QĐ
issued_on: 2024-01-01
title: Bộ chỉ số mới
first_year: 2024
max_points: 100
main_indicators:
  - {code: X, name: Nền tảng mới, group: foundation, max_points: 100}
components:
  - {main: X, code: X.1, name: Tỷ lệ (kế tiếp A.1), rule: share_of_target, max_points: 100, continues: ["T/QĐ:A.1"]}
"""


@pytest.fixture
def framework(tmp_path):
    path = tmp_path / "framework.yaml"
    path.write_text(FRAMEWORK, encoding="utf-8")
    framework_load(path=path)
    return Framework.objects.get(decision="T/QĐ")


def attach(world, n, quarter, code, *, status=SubmissionStatus.APPROVED, **evidence):
    """Agency ``n`` attaches one document to its ``code`` value of ``quarter`` and sends
    the report as far as ``status``."""
    submission = Submission.objects.get(
        agency=world["agencies"][n], period__year=2024, period__quarter=quarter
    )
    value = submission.values.get(indicator__code=code)
    if "file" in evidence:
        evidence["file"] = SimpleUploadedFile(evidence["file"], PDF)
        evidence["file"].portal_content_type = "application/pdf"
    services.submission_save(
        submission=submission,
        actor=world["staff"][n],
        version=submission.version,
        evidence=[services.EvidenceUpload(value_id=value.pk, **evidence)],
    )
    if status == SubmissionStatus.DRAFT:
        return
    report(
        world,
        n,
        quarter,
        {
            "RATE": {"numerator": 45, "denominator": 60},
            "ARTICLES": {"value": 12},
            "OPENDATA": {"is_done": True},
            "BUDGET": {"value": 3_000_000_000},
        },
        approve=status == SubmissionStatus.APPROVED,
    )


DOCUMENT = {"document_number": "125/KH-UBND", "document_date": date(2024, 3, 5), "issuer": "UBND tỉnh"}


@pytest.fixture
def evidenced(world, framework):
    """Evidence on values in every state: approved (A0 Q1, with a PDF for RATE and a
    link for ARTICLES; A0 Q2 for BUDGET, which the ministry measures), submitted (A1),
    a draft (A2); the year compiled."""
    attach(world, 0, 1, "RATE", status=SubmissionStatus.DRAFT, file="Kế hoạch 125.pdf", **DOCUMENT)
    submission = Submission.objects.get(agency=world["agencies"][0], period__year=2024, period__quarter=1)
    services.submission_save(
        submission=submission,
        actor=world["staff"][0],
        version=submission.version,
        evidence=[
            services.EvidenceUpload(
                value_id=submission.values.get(indicator__code="ARTICLES").pk,
                link="https://bacgiang.gov.vn/tin-bai",
                document_number="12/BC-STTTT",
                document_date=date(2024, 4, 1),
            )
        ],
    )
    report(
        world,
        0,
        1,
        {
            "RATE": {"numerator": 45, "denominator": 60},
            "ARTICLES": {"value": 12},
            "OPENDATA": {"is_done": True},
            "BUDGET": {"value": 3_000_000_000},
        },
    )
    attach(world, 0, 2, "BUDGET", file="Ngân sách.pdf", **DOCUMENT)
    attach(world, 1, 1, "RATE", status=SubmissionStatus.SUBMITTED, file="Chưa duyệt.pdf", **DOCUMENT)
    attach(world, 2, 1, "RATE", status=SubmissionStatus.DRAFT, file="Nháp.pdf", **DOCUMENT)
    for quarter in (1, 2, None):
        compile_province_rollup(period=period(world, quarter))
    return world


# -- the evidence package ------------------------------------------------------------


def test_the_package_lists_exactly_the_evidence_of_approved_values(evidenced):
    package = selectors.evidence_package(province=evidenced["province"], year=2024)
    listed = {
        (entry.component.code, doc.value.submission.agency.code, doc.value.indicator.code, str(doc.evidence))
        for entry, doc in package.documents
    }
    assert listed == {
        ("A.1", "BG.A0", "RATE", "Kế hoạch 125.pdf"),
        ("A.2", "BG.A0", "ARTICLES", "https://bacgiang.gov.vn/tin-bai"),
    }
    # The submitted and the draft report's documents are not in it; nor is the
    # ministry-measured component, which needs no evidence from the province.
    assert "B.3" not in {entry.component.code for entry in package.components}
    rate = next(entry for entry in package.components if entry.component.code == "A.1")
    assert {agency.code for agency in rate.agencies} == {"BG.A0"}  # A1's value is not approved


def test_the_checklist_names_what_the_assessment_will_miss(evidenced):
    DtiAssessment.objects.create(
        province=evidenced["province"],
        year=2024,
        framework=Framework.objects.get(),
        opens_on=date(2024, 3, 1),
        closes_on=date(2024, 3, 31),
    )
    package = selectors.evidence_package(province=evidenced["province"], year=2024)
    problems = {
        entry.component.code: [problem.text for problem in entry.problems] for entry in package.components
    }
    assert any("chưa được duyệt (Đã gửi, chờ duyệt)" in p for p in problems["A.1"])  # A1
    assert any("Đang nhập" in p for p in problems["A.1"])  # A2's draft
    assert any("“https://bacgiang.gov.vn/tin-bai” thiếu cơ quan ban hành" in p for p in problems["A.2"])
    assert any("sau hạn gửi minh chứng (31/03/2024)" in p for p in problems["A.2"])  # dated 1 April
    # One line per agency and indicator, naming the periods.
    (opendata,) = [p for p in problems["B.1"] if p.endswith("chưa có minh chứng.")]
    assert opendata.endswith("số liệu đã duyệt của Quý I/2024, Quý II/2024 chưa có minh chứng.")
    assert problems["B.2"] == ["Chưa gắn chỉ tiêu nào của tỉnh với chỉ số này."]
    assert dict(package.problem_counts) == {
        # 10 reports not approved (A0's Q3–Q4, A1's and A2's four quarters) for each of 3 components;
        # A0's approved OPENDATA of Q1 and RATE, ARTICLES, OPENDATA of Q2 have no document:
        # one line each for RATE, ARTICLES and OPENDATA (Q1 and Q2 together).
        "Chưa gắn chỉ tiêu của tỉnh": 1,
        "Báo cáo chưa được duyệt": 30,
        "Số liệu chưa có minh chứng": 3,
        "Minh chứng thiếu số, ký hiệu, ngày hoặc cơ quan ban hành": 1,
        "Văn bản ban hành sau hạn gửi": 1,
    }


def test_the_zip_holds_the_index_and_exactly_the_approved_files(client, evidenced, dic_user):
    client.force_login(dic_user)
    response = client.get(reverse("dti:evidence-zip"), {"year": 2024})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert "minh-chung-dti-BG-2024.zip" in response["Content-Disposition"]
    archive = zipfile.ZipFile(BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    assert names[0] == "00-Danh-muc.xlsx"
    files = names[1:]
    assert len(files) == 1 and files[0].startswith("A.1/01-") and files[0].endswith("Kế hoạch 125.pdf")
    assert archive.read(files[0]) == PDF
    workbook = load_workbook(BytesIO(archive.read("00-Danh-muc.xlsx")))
    assert workbook.sheetnames == ["Chỉ số thành phần", "Minh chứng", "Còn thiếu"]
    rows = [row for row in workbook["Minh chứng"].iter_rows(min_row=5, values_only=True) if row[0]]
    assert [(row[1], row[2], row[6], row[8], row[10]) for row in rows] == [
        ("A.1", "RATE", "125/KH-UBND", "UBND tỉnh", files[0]),
        ("A.2", "ARTICLES", "12/BC-STTTT", None, "https://bacgiang.gov.vn/tin-bai"),
    ]
    assert rows[0][7].date() == date(2024, 3, 5)
    missing = [row for row in workbook["Còn thiếu"].iter_rows(min_row=5, values_only=True) if row[0]]
    package = selectors.evidence_package(province=evidenced["province"], year=2024)
    assert len(missing) == len(package.checklist) > 0


def test_the_package_page_shows_documents_and_checklist_in_a_fixed_number_of_queries(
    client, evidenced, dic_user
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def page_queries():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("dti:evidence"), {"year": 2024})
        return response, len(queries)

    client.force_login(dic_user)
    response, few = page_queries()
    page = response.content.decode()
    assert "Số 125/KH-UBND ngày 05/03/2024 của UBND tỉnh" in page
    assert "Việc còn thiếu" in page and "chưa có minh chứng" in page
    assert "Chưa duyệt.pdf" not in page and "Nháp.pdf" not in page
    # More approved reports, documents and agencies: the same number of queries.
    attach(evidenced, 1, 2, "ARTICLES", file="Tin bài quý II.pdf", **DOCUMENT)
    attach(evidenced, 2, 2, "OPENDATA", link="https://bacgiang.gov.vn/du-lieu-mo", **DOCUMENT)
    compile_province_rollup(period=period(evidenced, None))
    response, more = page_queries()
    assert "Tin bài quý II.pdf" in response.content.decode()
    assert more == few <= 26  # 26 since the filters look up the provinces a merged one continues


def test_a_file_gone_from_the_server_is_listed_and_left_out_of_the_zip(client, evidenced, dic_user):
    from reporting.models import Evidence

    stored = Evidence.objects.get(file_name="Kế hoạch 125.pdf")
    stored.file.storage.delete(stored.file.name)
    package = selectors.evidence_package(province=evidenced["province"], year=2024)
    assert any(
        "tệp “Kế hoạch 125.pdf” không còn trên máy chủ" in problem.text
        for _entry, problem in package.checklist
    )
    client.force_login(dic_user)
    response = client.get(reverse("dti:evidence-zip"), {"year": 2024})
    archive = zipfile.ZipFile(BytesIO(b"".join(response.streaming_content)))
    assert archive.namelist() == ["00-Danh-muc.xlsx"]


def test_a_file_of_two_components_is_in_both_folders(evidenced):
    """RATE mapped to A.1 and B.2 too: its document belongs to both, once in each."""
    FrameworkComponent.objects.get(code="B.2").indicators.add(evidenced["indicators"]["RATE"])
    package = selectors.evidence_package(province=evidenced["province"], year=2024)
    names = [doc.zip_name for _entry, doc in package.documents if doc.zip_name]
    assert len(names) == len(set(names)) == 2
    assert {name.split("/")[0] for name in names} == {"A.1", "B.2"}


def test_zip_names_keep_the_extension_and_unzip_on_windows():
    assert selectors.zip_part("Báo cáo: kết quả/quý I?.pdf", 80) == "Báo cáo- kết quả-quý I-.pdf"
    long = selectors.zip_part("Kế hoạch " + "rất dài " * 20 + ".pdf", 40)
    assert long.endswith(".pdf") and len(long) <= 40 and not long[:-4].endswith((" ", "."))
    assert selectors.zip_part("...", 10) == "-" and selectors.zip_part("no-suffix", 5) == "no-su"


def test_the_dic_completes_a_document_of_an_approved_report_the_agency_cannot(
    client, evidenced, dic_user, steering_user
):
    from reporting.models import Evidence

    link = Evidence.objects.get(link="https://bacgiang.gov.vn/tin-bai")
    url = reverse("reporting:evidence-describe", args=[link.pk])
    client.force_login(evidenced["staff"][0])
    assert client.get(url).status_code == 403  # its report is approved
    client.force_login(steering_user)
    assert client.get(url).status_code == 403
    client.force_login(dic_user)
    back = reverse("dti:evidence") + "?year=2024"
    form = {
        "document_number": "12/BC-STTTT",
        "document_date": "01/04/2024",
        "issuer": "Sở TT&TT",
        "description": "Báo cáo tin bài",
        "next": back,
    }
    assert client.post(url, {**form, "document_date": "01/01/2999"}).status_code == 400
    response = client.post(url, {**form, "next": "https://ke-gian.example/"})
    assert response.status_code == 302 and response["Location"] == link.value.submission.get_absolute_url()
    response = client.post(url, form)
    assert response.status_code == 302 and response["Location"] == back
    link.refresh_from_db()
    assert (link.issuer, link.history.first().history_user) == ("Sở TT&TT", dic_user)
    package = selectors.evidence_package(province=evidenced["province"], year=2024)
    assert not any("thiếu cơ quan ban hành" in problem.text for _entry, problem in package.checklist)


# -- the published score -------------------------------------------------------------


def test_the_published_score_is_set_against_the_provisional_one(client, compiled, steering_user, framework):
    assessment = DtiAssessment.objects.create(
        province=compiled["province"],
        year=2024,
        framework=framework,
        published_on=date(2025, 6, 1),
        published_index=Decimal("0.43"),
    )
    a1, b1 = (FrameworkComponent.objects.get(code=code) for code in ("A.1", "B.1"))
    PublishedComponentScore.objects.create(assessment=assessment, component=a1, points=Decimal(35))
    PublishedComponentScore.objects.create(assessment=assessment, component=b1, points=Decimal(25))
    client.force_login(steering_user)
    response = client.get(reverse("dti:score"), {"year": 2024})
    rows = {row.component.code: row for rows in response.context["dti"].rows.values() for row in rows}
    assert (rows["A.1"].published, rows["A.1"].difference) == (Decimal(35), Decimal(-5))  # provisional 40
    assert (rows["B.1"].published, rows["B.1"].difference) == (Decimal(25), Decimal(25))  # provisional 0
    assert rows["A.2"].published is None and rows["A.2"].difference is None
    assert response.context["dti"].published_points == Decimal(60)
    page = response.content.decode()
    assert "0,43" in page and "-5" in page and "Bộ công bố" in page


def test_published_points_belong_to_the_framework_and_stay_within_the_maximum(compiled, framework, tmp_path):
    assessment = DtiAssessment.objects.create(province=compiled["province"], year=2024, framework=framework)
    too_many = PublishedComponentScore(
        assessment=assessment, component=FrameworkComponent.objects.get(code="A.1"), points=Decimal(41)
    )
    with pytest.raises(ValidationError, match="vượt điểm tối đa"):
        too_many.full_clean()
    later = tmp_path / "later.yaml"
    later.write_text(LATER, encoding="utf-8")
    framework_load(path=later)
    foreign = PublishedComponentScore(
        assessment=assessment, component=FrameworkComponent.objects.get(code="X.1"), points=Decimal(1)
    )
    with pytest.raises(ValidationError, match="không thuộc bộ chỉ số"):
        foreign.full_clean()
    with pytest.raises(ValidationError, match="từ 0 đến 1"):
        DtiAssessment(
            province=compiled["province"], year=2023, framework=framework, published_index=Decimal("1.2")
        ).full_clean()


def test_the_dic_enters_the_published_score_in_the_admin(client, compiled, dic_user, framework):
    client.force_login(dic_user)
    url = reverse("admin:dti_dtiassessment_add")
    a1 = FrameworkComponent.objects.get(code="A.1")
    form = {
        "province": compiled["province"].pk,
        "year": 2024,
        "framework": framework.pk,
        "note": "",
        "opens_on": "2025-04-12",
        "closes_on": "2025-05-12",
        "published_on": "",
        "published_index": "0.4",
        "component_scores-TOTAL_FORMS": 1,
        "component_scores-INITIAL_FORMS": 0,
        "component_scores-0-component": a1.pk,
        "component_scores-0-points": "30",
    }
    assert client.get(url).status_code == 200
    assert client.get(reverse("admin:dti_publishedcomponentscore_import")).status_code == 200
    response = client.post(url, form)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    assessment = DtiAssessment.objects.get()
    assert assessment.component_scores.get().points == Decimal(30)
    # A point count above the component's maximum is refused and nothing is saved.
    form["year"], form["component_scores-0-points"] = 2023, "99"
    assert client.post(url, form).status_code == 200
    assert DtiAssessment.objects.count() == 1


# -- a component followed across framework versions ----------------------------------


def test_a_component_keeps_its_plan_indicator_and_past_figures_in_a_later_framework(
    client, compiled, steering_user, framework, tmp_path
):
    """X.1 of the later framework (in force from 2024) has no indicator of its own; it
    continues A.1, so it is scored from RATE and shows RATE's 2023 figure."""
    later = tmp_path / "later.yaml"
    later.write_text(LATER, encoding="utf-8")
    framework_load(path=later)
    earlier = ReportingPeriod.objects.create(
        province=compiled["province"],
        year=2023,
        opens_on=date(2023, 1, 1),
        due_on=date(2024, 1, 15),
        compile_on=date(2024, 1, 20),
    )
    ProvinceFigure.objects.create(
        period=earlier,
        indicator=compiled["indicators"]["RATE"],
        value=Decimal(30),
        status=FigureStatus.INSUFFICIENT,
        compiled_at=timezone.now(),
    )
    client.force_login(steering_user)
    response = client.get(reverse("dti:score"), {"year": 2024})
    result = response.context["dti"]
    assert result.framework.decision == "N/QĐ"
    (row,) = [row for rows in result.rows.values() for row in rows]
    assert [f.indicator.code for f in row.figures] == ["RATE"] and row.score.points == Decimal(100)
    assert [(f.period.year, f.value) for f in row.past] == [(2023, Decimal(30))]
    assert "2023" in response.content.decode()
    # The earlier year is still scored by the framework in force then.
    assert selectors.dti_score(province=compiled["province"], year=2023).framework.decision == "T/QĐ"


# -- the API -------------------------------------------------------------------------


def test_the_api_gives_the_score_as_the_page_does(client, compiled, steering_user, framework):
    assessment = DtiAssessment.objects.create(
        province=compiled["province"], year=2024, framework=framework, published_index=Decimal("0.43")
    )
    PublishedComponentScore.objects.create(
        assessment=assessment, component=FrameworkComponent.objects.get(code="A.1"), points=Decimal(35)
    )
    client.force_login(steering_user)
    data = client.get(reverse("api:dti-score"), {"year": 2024}).json()
    # 82 points over the 180 of the components the province reports, of the framework's 200.
    assert (data["province_code"], data["framework"], data["index"], data["points"], data["maximum"]) == (
        "BG",
        "T/QĐ",
        "0.4556",
        "82.00",
        "180.00",
    )
    assert (data["framework_points"], data["untracked_components"]) == ("200.00", 0)
    assert data["published_index"] == "0.4300" and data["missing"] == ["B.2"]
    a1 = data["main_indicators"][0]["components"][0]
    assert (a1["code"], a1["points"], a1["published"], a1["difference"]) == ("A.1", "40.00", "35.00", "-5.00")
    assert a1["figures"][0]["indicator_code"] == "RATE" and a1["figures"][0]["year"] == 2024


def test_the_api_refuses_bad_input_and_other_provinces_in_json(
    client, compiled, steering_user, framework, other_province, staff_user
):
    client.force_login(steering_user)
    response = client.get(reverse("api:dti-score"), {"year": "năm nay"})
    assert response.status_code == 400 and list(response.json()["fields"]) == [
        "year"
    ]  # the field and its message
    response = client.get(reverse("api:dti-score"), {"year": 2024, "province": other_province.pk})
    assert (
        response.status_code == 404
        and response.json()["detail"] == "Không tìm thấy tỉnh hoặc bạn không có quyền xem."
    )
    client.force_login(staff_user)
    assert client.get(reverse("api:dti-score"), {"year": 2024}).status_code == 403


# -- importing the ministry's points -------------------------------------------------


def test_the_published_points_import_all_or_nothing_with_every_bad_row_named(
    compiled, framework, dic_user, other_province
):
    from dti.resources import PublishedComponentScoreResource
    from tests.factories import AgencyFactory, dataset, make_user

    DtiAssessment.objects.create(province=compiled["province"], year=2024, framework=framework)
    headers = ["province", "year", "component", "points"]
    rows = [["BG", 2024, "A.1", 35], ["BG", 2024, "A.2", 61], ["BG", 2024, "Z.9", 1], ["BG", 2023, "A.1", 1]]
    result = PublishedComponentScoreResource(user=dic_user).import_data(dataset(headers, *rows))
    assert result.has_validation_errors()
    assert [row.number for row in result.invalid_rows] == [2, 3, 4]
    assert not PublishedComponentScore.objects.exists()

    result = PublishedComponentScoreResource(user=dic_user).import_data(
        dataset(headers, ["BG", 2024, "A.1", 35], ["BG", 2024, "B.1", "25,5"])
    )
    assert not result.has_errors() and not result.has_validation_errors(), result.invalid_rows
    assert dict(PublishedComponentScore.objects.values_list("component__code", "points")) == {
        "A.1": Decimal(35),
        "B.1": Decimal("25.5"),
    }
    # Imported again with a corrected figure, the row is updated, not doubled.
    PublishedComponentScoreResource(user=dic_user).import_data(dataset(headers, ["BG", 2024, "A.1", 36]))
    assert PublishedComponentScore.objects.get(component__code="A.1").points == Decimal(36)

    outsider = make_user(Role.DIC_OFFICER, AgencyFactory(parent=other_province), username="dic_khac")
    for row in (["BG", 2024, "A.2", 1], ["BG", 2023, "A.2", 1], ["BG", 2024, "Z.9", 1]):
        result = PublishedComponentScoreResource(user=outsider).import_data(dataset(headers, row))
        # Whatever exists in BG, the outsider hears the same thing.
        (invalid,) = result.invalid_rows
        assert invalid.error.messages == ["Bạn chỉ được nhập dữ liệu của tỉnh mình."]
    assert not PublishedComponentScore.objects.filter(component__code="A.2").exists()


def test_during_the_window_the_dti_pages_open_on_the_year_being_assessed(
    client, compiled, dic_user, framework
):
    services.periods_open(province=compiled["province"], year=2025, actor=dic_user)
    client.force_login(dic_user)
    for name in ("dti:score", "dti:evidence"):
        assert client.get(reverse(name)).context["dash"]["year"] == 2025  # the latest year with periods
    today = timezone.localdate()
    DtiAssessment.objects.create(
        province=compiled["province"],
        year=2024,
        framework=framework,
        opens_on=today - timedelta(days=3),
        closes_on=today + timedelta(days=27),
    )
    for name in ("dti:score", "dti:evidence"):
        response = client.get(reverse(name))
        assert response.context["dash"]["year"] == 2024
        assert '<option value="2024" selected>' in response.content.decode()
        assert client.get(reverse(name), {"year": 2025}).context["dash"]["year"] == 2025  # asked for
    response = client.get(reverse("dti:evidence-zip"))
    assert "minh-chung-dti-BG-2024.zip" in response["Content-Disposition"]


def test_the_page_lists_at_most_50_lines_per_component_the_workbook_all(client, evidenced, dic_user):
    from tests.factories import AgencyFactory, ReportingObligationFactory

    rate = evidenced["indicators"]["RATE"]
    for _ in range(15):  # 15 more agencies × 4 quarters = 60 more reports not approved
        ReportingObligationFactory(
            indicator=rate, agency=AgencyFactory(parent=evidenced["province"]), year=2024
        )
    services.periods_open(province=evidenced["province"], year=2024, actor=dic_user)
    package = selectors.evidence_package(province=evidenced["province"], year=2024)
    a1 = next(entry for entry in package.components if entry.component.code == "A.1")
    assert len(a1.problems) > 60
    client.force_login(dic_user)
    row = client.get(reverse("dti:evidence"), {"year": 2024}).content.decode()
    row = row[row.index('id="component-A.1"') : row.index('id="component-A.2"')]
    assert row.count("<li>") == 50
    assert f"… và {len(a1.problems) - 50} việc khác: xem đủ trong danh mục Excel của hồ sơ nén." in row


# -- after the second review ---------------------------------------------------------


def test_a_report_not_approved_is_listed_once_for_a_component_of_two_indicators(evidenced):
    FrameworkComponent.objects.get(code="A.1").indicators.add(evidenced["indicators"]["ARTICLES"])
    package = selectors.evidence_package(province=evidenced["province"], year=2024)
    a1 = next(entry for entry in package.components if entry.component.code == "A.1")
    unapproved = [p.text for p in a1.problems if p.kind == "not_approved"]
    assert len(unapproved) == 10  # ten reports, each naming both indicators
    assert all("; " in text for text in unapproved)


def test_published_points_may_exceed_an_estimated_maximum_not_a_stated_one(compiled, framework):
    assessment = DtiAssessment.objects.create(province=compiled["province"], year=2024, framework=framework)
    a1 = FrameworkComponent.objects.get(code="A.1")
    a1.points_provisional = True  # 40 was an equal share, not the decision's figure
    a1.save()
    PublishedComponentScore(assessment=assessment, component=a1, points=Decimal(45)).full_clean()


def test_an_assessment_uses_the_framework_in_force_and_keeps_its_published_points(
    compiled, framework, tmp_path
):
    from django.db.models import ProtectedError

    later = tmp_path / "later.yaml"
    later.write_text(LATER, encoding="utf-8")
    framework_load(path=later)  # in force from 2024
    with pytest.raises(ValidationError, match="Năm 2024 đánh giá theo bộ chỉ số N/QĐ, không phải T/QĐ"):
        DtiAssessment(province=compiled["province"], year=2024, framework=framework).full_clean()
    DtiAssessment(province=compiled["province"], year=2023, framework=framework).full_clean()
    assessment = DtiAssessment.objects.create(province=compiled["province"], year=2023, framework=framework)
    PublishedComponentScore.objects.create(
        assessment=assessment, component=FrameworkComponent.objects.get(code="A.1"), points=Decimal(30)
    )
    with pytest.raises(ProtectedError):
        assessment.delete()


def test_no_difference_without_provisional_points_or_for_what_the_ministry_measures(
    client, compiled, steering_user, framework
):
    assessment = DtiAssessment.objects.create(province=compiled["province"], year=2024, framework=framework)
    for code in ("B.2", "B.3"):
        PublishedComponentScore.objects.create(
            assessment=assessment, points=Decimal(10), component=FrameworkComponent.objects.get(code=code)
        )
    result = selectors.dti_score(province=compiled["province"], year=2024)
    rows = {row.component.code: row for rows in result.rows.values() for row in rows}
    assert (rows["B.2"].published, rows["B.2"].difference) == (Decimal(10), None)  # no indicator, no points
    assert (rows["B.3"].published, rows["B.3"].difference) == (Decimal(10), None)  # the ministry's own
    client.force_login(steering_user)
    b3 = client.get(reverse("api:dti-score"), {"year": 2024}).json()["main_indicators"][1]["components"][2]
    assert (b3["code"], b3["lost"], b3["difference"]) == ("B.3", None, None)


def test_describing_evidence_is_refused_by_the_service_itself(evidenced, steering_user, dic_user):
    from dti_portal.errors import PermissionDenied
    from reporting.models import Evidence

    approved = Evidence.objects.get(file_name="Kế hoạch 125.pdf")  # A0's approved Q1
    draft = Evidence.objects.get(file_name="Nháp.pdf")  # A2's draft Q1
    for actor, evidence in (
        (steering_user, approved),
        (evidenced["staff"][0], approved),
        (evidenced["staff"][1], draft),
    ):  # another agency's
        with pytest.raises(PermissionDenied):
            services.evidence_describe(evidence=evidence, actor=actor, issuer="x")
    services.evidence_describe(evidence=draft, actor=evidenced["staff"][2], issuer="UBND tỉnh")
    # Once the period is closed, a draft is no longer the agency's to change.
    services.period_set_state(period=draft.value.submission.period, state=PeriodState.CLOSED, actor=dic_user)
    draft = Evidence.objects.get(pk=draft.pk)
    with pytest.raises(PermissionDenied):
        services.evidence_describe(evidence=draft, actor=evidenced["staff"][2], issuer="khác")
    services.evidence_describe(evidence=approved, actor=dic_user, issuer="Sở TT&TT")
    assert Evidence.objects.get(pk=approved.pk).issuer == "Sở TT&TT"


def test_a_target_that_is_a_ceiling_scores_lower_figures_higher(compiled, framework):
    """RATE's year figure is 50 %; with a ceiling of 40 % instead of a floor of 50 %,
    A.1 earns 40 × 40/50 = 32 of its 40 points."""
    from indicators.choices import Comparison

    compiled["indicators"]["RATE"].targets.update(comparison=Comparison.LTE, value=Decimal(40))
    rows = {
        row.component.code: row
        for rows in selectors.dti_score(province=compiled["province"], year=2024).rows.values()
        for row in rows
    }
    assert rows["A.1"].score.points == Decimal("32.00")
