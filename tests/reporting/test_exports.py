"""The ministry's workbook: every figure equals the roll-up, cell by cell; its layout
(frozen headers, number formats, A4 landscape); the command, the download and the
background export with its progress."""

from io import BytesIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from assignments.choices import Role
from reporting.choices import RollupState
from reporting.exports.report import ministry_report
from reporting.exports.workbook import INDICATOR_COLUMNS, ministry_workbook
from reporting.models import ExportJob, ProvinceFigure
from reporting.rollup.services import compile_province_rollup
from tests.factories import AgencyFactory, make_user

from .world import period

pytestmark = pytest.mark.django_db
HEADER_ROW = 4  # three title lines, then the header


def workbook_of(period_):
    output = BytesIO()
    ministry_workbook(ministry_report(period=period_), output)
    output.seek(0)
    return load_workbook(output)


def test_every_figure_equals_the_rollup_cell_by_cell(compiled):
    q1 = period(compiled, 1)
    sheet = workbook_of(q1)["Chỉ tiêu"]
    headers = [c.value for c in sheet[HEADER_ROW]]
    assert headers == [str(h) for h, *_fmt_width in INDICATOR_COLUMNS]
    rows = {
        row[3]: dict(zip(headers, row, strict=True))
        for row in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)
    }
    figures = ProvinceFigure.objects.filter(period=q1).select_related("indicator", "target")
    assert set(rows) == {f.indicator.code for f in figures}
    for figure in figures:
        row = rows[figure.indicator.code]
        assert (
            row["Kết quả"] == pytest.approx(float(figure.value))
            if figure.value is not None
            else row["Kết quả"] is None
        )
        assert row["Giá trị mức kế hoạch"] == float(figure.target.value)
        assert row["Đánh giá"] == figure.get_status_display()
        assert (row["Báo cáo đã duyệt"], row["Báo cáo phải có"]) == (
            figure.approved_agencies,
            figure.required_agencies,
        )
        if figure.value is not None and figure.share_of_target is not None:
            assert row["% so với mức kế hoạch"] == pytest.approx(
                float(figure.judged_value / figure.target.value)
            )
    rate = rows["RATE"]
    # 45/60 and 5/40 approved: 50/100 = 50 % of a 50 % target, on 2 of 3 reports (67 %).
    assert rate["Kết quả"] == 50 and rate["% so với mức kế hoạch"] == 1
    assert rate["Căn cứ đánh giá"] == "50% (50/100) · Dựa trên 2/3 báo cáo đã duyệt (67%)"
    assert rate["Cơ quan chủ trì"] is None  # the test plan names no lead for the rate
    assert rows["BUDGET"]["Cơ quan chủ trì"] == compiled["agencies"][0].name


def test_the_summary_and_the_agency_values(compiled):
    workbook = workbook_of(period(compiled, 1))
    assert workbook.sheetnames == ["Tổng hợp", "Chỉ tiêu", "Số liệu đơn vị", "Nhiệm vụ"]
    summary = list(workbook["Tổng hợp"].iter_rows(min_row=HEADER_ROW, values_only=True))
    assert summary[0][0] == "Trụ cột" and summary[-1][0] == "Cả tỉnh" and summary[-1][-1] == 4
    values = list(workbook["Số liệu đơn vị"].iter_rows(min_row=HEADER_ROW + 1, values_only=True))
    assert len(values) == 8  # two agencies approved, four indicators each
    assert 45 in [row[5] for row in values]  # A0's numerator, stored as a number
    title = workbook["Chỉ tiêu"]["A1"].value
    assert title == "Báo cáo kết quả thực hiện Chỉ số chuyển đổi số — Quý I/2024"
    # Who sends it to whom, as named on the day of export (since 1 March 2025).
    assert workbook["Chỉ tiêu"]["A2"].value == (
        "UBND tỉnh Bắc Giang · Sở Khoa học và Công nghệ tỉnh Bắc Giang → Bộ Khoa học và Công nghệ"
    )


def test_the_layout_prints_on_a4_landscape_with_frozen_headers(compiled):
    workbook = workbook_of(period(compiled, 1))
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A5"
        assert (sheet.page_setup.orientation, int(sheet.page_setup.paperSize)) == ("landscape", 9)
        assert sheet.print_title_rows == "$4:$4"
    sheet = workbook["Chỉ tiêu"]
    assert sheet.column_dimensions["C"].width > 20  # the indicator's name is wide
    # The target's number is the 13th column, after the twelve printed ones (column L).
    assert sheet.print_area == "'Chỉ tiêu'!$A$1:$L$8"
    assert (
        sheet.cell(row=HEADER_ROW + 1, column=13).number_format == "#,##0"
    )  # a whole target: no trailing mark
    assert sheet.cell(row=HEADER_ROW + 1, column=8).number_format == "0.0%"


def test_the_command_writes_the_report(compiled, tmp_path, capsys):
    output = tmp_path / "bao-cao.xlsx"
    call_command("export_ministry", "--province", "BG", "--period", "2024-Q1", "-o", str(output))
    assert "4 indicators, 8 agency values" in capsys.readouterr().out
    assert load_workbook(output)["Chỉ tiêu"]["D5"].value in {"RATE", "ARTICLES", "OPENDATA", "BUDGET"}


def test_steering_members_and_the_dic_download_it(client, compiled, steering_user):
    client.force_login(steering_user)
    response = client.get(reverse("reporting:ministry-export"), {"year": 2024, "quarter": 1})
    assert response.status_code == 200
    assert 'filename="bao-cao-bo-BG-2024-Q1.xlsx"' in response["Content-Disposition"]
    workbook = load_workbook(BytesIO(b"".join(response.streaming_content)))
    assert workbook["Chỉ tiêu"].max_row == HEADER_ROW + 4
    client.force_login(compiled["staff"][0])
    assert client.get(reverse("reporting:ministry-export"), {"year": 2024}).status_code == 403


def test_a_large_export_runs_in_the_background_with_its_progress(
    client, compiled, dic_user, settings, django_capture_on_commit_callbacks, other_province
):
    settings.EXPORT_SYNC_MAX_VALUES = 3
    client.force_login(dic_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("reporting:ministry-export"), {"year": 2024, "quarter": 1})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    assert (job.state, job.done, job.total, job.percent) == (RollupState.DONE, 8, 8, 100)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Tệp Excel đã sẵn sàng" in page
    download = client.get(reverse("reporting:export-job-download", args=[job.pk]))
    assert load_workbook(BytesIO(b"".join(download.streaming_content)))["Chỉ tiêu"]["A1"].value.endswith(
        "Quý I/2024"
    )
    colleague = make_user(Role.DIC_OFFICER, AgencyFactory(parent=compiled["province"]), username="dongnghiep")
    client.force_login(colleague)
    assert client.get(job.get_absolute_url()).status_code == 404


def test_a_pending_export_refreshes_its_page(client, compiled, dic_user):
    job = ExportJob.objects.create(period=period(compiled, 1), requested_by=dic_user, total=10, done=4)
    client.force_login(dic_user)
    page = client.get(job.get_absolute_url()).content.decode()
    assert 'http-equiv="refresh"' in page and "40%" in page


def test_a_flows_share_of_target_is_its_year_so_far(compiled):
    from reporting.models import TaskProgress

    from .world import report

    report(
        compiled,
        0,
        2,
        {
            "RATE": {"numerator": 45, "denominator": 60},
            "ARTICLES": {"value": 5, "note": "Ít tin bài hơn quý I"},
            "OPENDATA": {"is_done": True},
            "BUDGET": {"value": 3_000_000_000},
        },
    )
    compile_province_rollup(period=period(compiled, 2))
    sheet = workbook_of(period(compiled, 2))["Chỉ tiêu"]
    headers = [c.value for c in sheet[HEADER_ROW]]
    rows = {
        row[3]: dict(zip(headers, row, strict=True))
        for row in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)
    }
    articles = rows["ARTICLES"]
    assert articles["Kết quả"] == 5  # Q2's own articles, as the roll-up stores them
    assert articles["% so với mức kế hoạch"] == pytest.approx(19 / 20)  # 14 + 5 so far, of 20
    # Judged on Q1 (2 of 3 reports) and Q2 (1 of 3): 3 of 6.
    assert (
        articles["Căn cứ đánh giá"]
        == "5 tin, bài · Dựa trên 3/6 báo cáo đã duyệt (50%); lũy kế từ đầu năm: 19 tin, bài"
    )
    assert "số liệu tổng hợp lúc" in sheet["A3"].value
    assert not TaskProgress.objects.exists()  # (no task in this world: the tasks sheet stays empty)
    assert workbook_of(period(compiled, 2))["Nhiệm vụ"].max_row == HEADER_ROW


def test_the_command_refuses_a_period_never_compiled(compiled, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="compile_rollup"):
        call_command(
            "export_ministry", "--province", "BG", "--period", "2024-Q3", "-o", str(tmp_path / "x.xlsx")
        )


def test_department_staff_read_no_province_figures_by_api(compiled):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(compiled["staff"][0])
    assert api.get("/api/v1/figures/").status_code == 403


def test_a_flow_rates_share_of_target_is_its_year_to_date_ratio(world):
    """RATE made a flow with a target ≥ 60 %: Q1 50/100 and Q2 50/100 make 100/200 = 50 %
    so far, 50/60 = 83,3 % of the target (adding the quarters' 50 % + 50 % would say
    100 %, 166,7 % of the target). A lead's yes/no has no share: "Có", not 10.000 %."""
    from indicators.models import Target

    from .world import report

    rate = world["indicators"]["RATE"]
    rate.rollup_time = "flow"
    rate.save()
    Target.objects.filter(indicator=rate).update(value=60)
    opendata = world["indicators"]["OPENDATA"]
    opendata.rollup_agencies, opendata.unit = "lead_value", "có/không"
    opendata.save()
    Target.objects.filter(indicator=opendata).update(value=1)
    from assignments.choices import AssignmentRole
    from tests.factories import IndicatorAssignmentFactory

    IndicatorAssignmentFactory(
        plan=opendata.targets.get().plan,
        indicator=opendata,
        year=2024,
        agency=world["agencies"][0],
        role=AssignmentRole.LEAD,
    )
    for quarter in (1, 2):
        report(
            world, 0, quarter, {"RATE": {"numerator": 50, "denominator": 100}, "OPENDATA": {"is_done": True}}
        )
    for quarter in (1, 2):
        compile_province_rollup(period=period(world, quarter))
    sheet = workbook_of(period(world, 2))["Chỉ tiêu"]
    headers = [c.value for c in sheet[HEADER_ROW]]
    rows = {
        row[3]: dict(zip(headers, row, strict=True))
        for row in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)
    }
    assert rows["RATE"]["Kết quả"] == 50  # the quarter's own 50/100
    assert rows["RATE"]["% so với mức kế hoạch"] == pytest.approx(50 / 60)
    assert "lũy kế từ đầu năm: 50% (100/200)" in rows["RATE"]["Căn cứ đánh giá"]
    assert (rows["OPENDATA"]["Kết quả"], rows["OPENDATA"]["% so với mức kế hoạch"]) == ("Có", None)
    assert rows["OPENDATA"]["Mức kế hoạch năm"] == "= có"


def test_text_that_looks_like_a_formula_stays_text_on_every_sheet(compiled):
    """What users and the plans write is text, whatever it starts with: a spreadsheet
    must never read "=…", "+…", "-…" or "@…" as a formula (nor a formula injected by a
    name). Every free-text cell of the four sheets is given one, and each comes back as
    the same text, with no formula anywhere in the file."""
    import zipfile

    from indicators.models import Agency, Indicator, Pillar, Plan
    from reporting.models import Submission, TaskProgress
    from tests.factories import TaskFactory

    planted = {
        "pillar": "=Trụ cột",
        "indicator": "+Tỷ lệ hồ sơ trực tuyến",
        "agency": '=HYPERLINK("http://example.invalid","Sở")',
        "note": "-5 tin, bài do Cổng nâng cấp",
        "plan": "@KH 12",
        "task number": "=1+1",
        "task": "+Triển khai nền tảng LGSP",
        "deadline": "-Quý IV",
        "task note": "@Đã kết nối 12/15 hệ thống",
    }
    rate = compiled["indicators"]["RATE"]
    Pillar.objects.filter(pk=rate.pillar_id).update(name=planted["pillar"])
    Indicator.objects.filter(pk=rate.pk).update(name=planted["indicator"])
    first = compiled["agencies"][0]
    Agency.objects.filter(pk=first.pk).update(name=planted["agency"])
    submission = Submission.objects.get(agency=first, period__year=2024, period__quarter=1)
    submission.values.filter(indicator__code="ARTICLES").update(note=planted["note"])
    plan = compiled["indicators"]["BUDGET"].targets.get().plan
    Plan.objects.filter(pk=plan.pk).update(number=planted["plan"])
    task = TaskFactory(
        plan=plan, number=planted["task number"], content=planted["task"], deadline_text=planted["deadline"]
    )
    TaskProgress.objects.create(
        submission=submission, task=task, status="in_progress", note=planted["task note"]
    )

    output = BytesIO()
    ministry_workbook(ministry_report(period=period(compiled, 1)), output)
    workbook = load_workbook(BytesIO(output.getvalue()))
    found = {}
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and cell.value[:1] in "=+-@":
                    assert cell.data_type == "s", (sheet.title, cell.coordinate)
                    found.setdefault(sheet.title, set()).add(cell.value)
    assert planted["pillar"] in found["Tổng hợp"]
    # The first agency leads BUDGET.
    assert {planted["pillar"], planted["indicator"], planted["agency"]} <= found["Chỉ tiêu"]
    assert {planted["agency"], planted["indicator"], planted["note"]} <= found["Số liệu đơn vị"]
    assert {
        planted["plan"],
        planted["task number"],
        planted["task"],
        planted["deadline"],
        planted["task note"],
        planted["agency"],
    } <= found["Nhiệm vụ"]
    with zipfile.ZipFile(BytesIO(output.getvalue())) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/")]
        assert len(sheets) == 4
        for name in sheets:
            assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name), name


def test_every_sheet_keeps_its_print_settings(compiled):
    """A4 landscape (paper 9), the printed columns across the page at a scale from 85 to
    100 % (Chỉ tiêu: its first 12 columns), pages across before down, margins of 0.4"
    left and right, 0.5" top, 0.6" bottom, 0.3" to the header and footer, the sheet's
    name and "Trang n / N" in an 11 pt footer, the header row repeated on every page."""
    from reporting.exports.workbook import MIN_SCALE, POINTS_PER_CHARACTER, PRINTABLE_WIDTH, PRINTED

    workbook = workbook_of(period(compiled, 1))
    for sheet in workbook.worksheets:
        setup, margins, footer = sheet.page_setup, sheet.page_margins, sheet.oddFooter
        assert (setup.orientation, int(setup.paperSize), setup.pageOrder) == ("landscape", 9, "overThenDown")
        assert (margins.left, margins.right, margins.top, margins.bottom) == (0.4, 0.4, 0.5, 0.6)
        assert (margins.header, margins.footer) == (0.3, 0.3)
        assert (footer.left.text, footer.left.size) == ("&A", 11)
        assert (footer.center.text, footer.center.size) == ("Trang &P / &N", 11)
        assert sheet.print_title_rows == "$4:$4" and sheet.freeze_panes == "A5"
        # The scale that fits the printed columns' widths (5.6 pt a character) into the
        # 784 pt between the margins of A4 landscape, never under 85 %.
        printed = PRINTED if sheet.title == "Chỉ tiêu" else sheet.max_column
        widths = {
            column: dimension.width
            for dimension in sheet.column_dimensions.values()
            for column in range(dimension.min, dimension.max + 1)
        }
        width = sum(widths[column] for column in range(1, printed + 1)) * POINTS_PER_CHARACTER
        assert int(setup.scale or 100) == max(MIN_SCALE, min(100, int(PRINTABLE_WIDTH / width * 100)))


def test_the_agency_values_answer_in_words(compiled):
    """A yes/no value is written as its words, "Có" or "Không" (the first agency said
    yes, the second's answer is made a no here), and no words for the other measures."""
    from reporting.models import IndicatorValue

    IndicatorValue.objects.filter(
        submission__agency=compiled["agencies"][1], indicator__code="OPENDATA"
    ).update(is_done=False)
    sheet = workbook_of(period(compiled, 1))["Số liệu đơn vị"]
    headers = [c.value for c in sheet[HEADER_ROW]]
    answers = {
        (row[0], row[2]): row[headers.index("Trả lời")]
        for row in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)
    }
    first, second = (agency.name for agency in compiled["agencies"][:2])
    assert answers.pop((first, "OPENDATA")) == "Có"
    assert answers.pop((second, "OPENDATA")) == "Không"
    assert set(answers.values()) == {None}
