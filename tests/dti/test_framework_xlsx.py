"""A framework from the ministry's table (issue 16): the xlsx reader, its template and
the administrators' upload. All or nothing, every bad cell named."""

import shutil
import subprocess
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from assignments.choices import Role
from dti.framework_files import COMPONENT_COLUMNS, MAIN_COLUMNS, framework_template
from dti.models import Framework, FrameworkComponent
from dti.services import FrameworkError, framework_load
from tests.factories import IndicatorFactory, make_user

pytestmark = pytest.mark.django_db

MAINS = [
    ["A", "Nền tảng", "foundation", 100, 3],
    ["B", "Hoạt động", "activity", "50", None],
]
COMPONENTS = [
    # main, code, name, rule, max_points, thresholds, measured_by_ministry, indicators, continues
    ["A", "A.1", "Tỷ lệ hồ sơ trực tuyến", "thresholds", 40, "50:0,5; 80:1", None, "BG.X; BG.Y", None],
    ["A", "A.2", "Tin bài", "share_of_target", None, None, "", "BG.Y", None],
    ["B", "B.1", "Dữ liệu mở", "yes_no", "50", None, "có", None, None],
]


def workbook(path, mains=MAINS, components=COMPONENTS):
    book = Workbook()
    sheet = book.active
    sheet.title = "framework"
    for row in (
        ["decision", "T/QĐ-XLSX"],
        ["issued_on", "2025-04-03"],
        ["title", "Bộ chỉ số thử"],
        ["first_year", 2025],
        ["max_points", "150"],
    ):
        sheet.append(row)
    main_sheet = book.create_sheet("main_indicators")
    main_sheet.append(MAIN_COLUMNS)
    for row in mains:
        main_sheet.append(row)
    component_sheet = book.create_sheet("components")
    component_sheet.append(COMPONENT_COLUMNS)
    for row in components:
        component_sheet.append(row)
    book.save(path)
    return path


def test_the_ministrys_table_loads_as_the_yaml_would(province, tmp_path):
    """A.2 states no points: A's 100 less A.1's 40, shared by the decision's two other
    components (component_count 3): 30 each, provisional."""
    IndicatorFactory(province=province, code="BG.X")
    IndicatorFactory(province=province, code="BG.Y")
    path = workbook(tmp_path / "bo-chi-so.xlsx")
    framework_load(path=path)
    framework = Framework.objects.get(decision="T/QĐ-XLSX")
    assert (framework.first_year, framework.max_points, str(framework.issued_on)) == (2025, 150, "2025-04-03")
    components = {c.code: c for c in FrameworkComponent.objects.filter(main__framework=framework)}
    assert components["A.1"].thresholds == [[50.0, 0.5], [80.0, 1.0]]
    assert sorted(i.code for i in components["A.1"].indicators.all()) == ["BG.X", "BG.Y"]
    assert (components["A.2"].max_points, components["A.2"].points_provisional) == (Decimal("30.00"), True)
    assert (components["B.1"].measured_by_ministry, components["B.1"].max_points) == (True, 50)
    assert not framework_load(path=path).changed


def test_a_bad_table_writes_nothing_and_names_every_bad_cell(tmp_path):
    components = [
        ["A", "A.1", "Tỷ lệ", "thresholds", "bốn mươi", "50:0,5", None, None, None],
        ["A", "A.2", "Tin bài", "share_of_target", 30, None, "có lẽ", None, None],
        ["B", "B.1", "Dữ liệu mở", "thresholds", 50, "năm mươi:1", None, None, None],
    ]
    path = workbook(tmp_path / "sai.xlsx", components=components)
    with pytest.raises(FrameworkError) as refused:
        framework_load(path=path)
    assert refused.value.details == [
        "Trang “components”, dòng 2, cột “max_points”: “bốn mươi” không phải số.",
        "Trang “components”, dòng 3, cột “measured_by_ministry”: “có lẽ”: ghi “có” hoặc để trống.",
        "Trang “components”, dòng 4, cột “thresholds”: “năm mươi:1”: ghi mức:phần điểm, cách nhau bởi "
        "dấu chấm phẩy (ví dụ 50:0,5; 80:1).",
    ]
    assert not Framework.objects.exists()


def test_the_template_filled_in_loads(tmp_path):
    output = BytesIO()
    framework_template(output)
    book = load_workbook(BytesIO(output.getvalue()))
    assert book.sheetnames == ["framework", "main_indicators", "components", "huong_dan"]
    assert [c.value for c in book["components"][1]] == COMPONENT_COLUMNS
    values = {
        "decision": "T/QĐ-MAU",
        "issued_on": "2025-04-03",
        "title": "Mẫu",
        "first_year": 2025,
        "provisional_note": "Điểm chỉ số thành phần còn tạm.",
    }
    sheet = book["framework"]
    for number in range(1, sheet.max_row + 1):
        sheet.cell(row=number, column=2, value=values.get(sheet.cell(row=number, column=1).value, 50))
    book["main_indicators"].append(["B", "Hoạt động", "activity", 50, 1])
    book["components"].append(["B", "B.1", "Dữ liệu mở", "yes_no", 50])
    book.save(tmp_path / "mau.xlsx")
    framework_load(path=tmp_path / "mau.xlsx")
    framework = Framework.objects.get(decision="T/QĐ-MAU")
    assert framework.main_indicators.get().components.count() == 1
    assert framework.provisional_note == "Điểm chỉ số thành phần còn tạm."


def test_administrators_upload_it_and_no_one_else(client, tmp_path, province, dic_user):
    admin = make_user(Role.ADMINISTRATOR, province, username="quantri")
    url = reverse("admin:dti_framework_load")
    client.force_login(dic_user)
    assert client.get(url).status_code == 403
    client.force_login(admin)
    bad = workbook(tmp_path / "sai.xlsx", components=[["A", "A.1", "Tỷ lệ", "thresholds", "x", None, None]])
    with bad.open("rb") as handle:
        response = client.post(url, {"file": handle})
    assert response.status_code == 200 and not Framework.objects.exists()
    assert "dòng 2, cột “max_points”: “x” không phải số." in response.content.decode()
    with workbook(tmp_path / "bo-chi-so.xlsx").open("rb") as handle:
        response = client.post(url, {"file": handle})
    assert response.status_code == 302 and Framework.objects.filter(decision="T/QĐ-XLSX").exists()
    template = client.get(reverse("admin:dti_framework_template"))
    assert template.status_code == 200 and template.content[:4] == b"PK\x03\x04"


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_the_table_resaved_by_libreoffice_loads_the_same(province, tmp_path):
    """The DIC fills the table in LibreOffice Calc and saves it: numbers become
    LibreOffice's, the date a date; the same framework loads."""
    IndicatorFactory(province=province, code="BG.X")
    IndicatorFactory(province=province, code="BG.Y")
    source = workbook(tmp_path / "bo-chi-so.xlsx")
    resaved = tmp_path / "resaved"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(resaved),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    framework_load(path=resaved / "bo-chi-so.xlsx")
    components = {c.code: c for c in FrameworkComponent.objects.filter(main__framework__decision="T/QĐ-XLSX")}
    assert components["A.1"].thresholds == [[50.0, 0.5], [80.0, 1.0]]
    assert (components["A.2"].max_points, components["B.1"].measured_by_ministry) == (Decimal("30.00"), True)


def test_broken_files_are_refused_in_vietnamese_and_write_nothing(tmp_path):
    broken = tmp_path / "hong.xlsx"
    broken.write_bytes(b"PK\x03\x04 not a workbook")
    with pytest.raises(FrameworkError, match="Không đọc được tệp hong.xlsx"):
        framework_load(path=broken)
    listed = tmp_path / "danh-sach.yaml"
    listed.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(FrameworkError, match="không có dạng một bộ chỉ số"):
        framework_load(path=listed)
    components = [["A", "A.1", "Tỷ lệ", "share_of_target", 40, None, None, None, "922"]]
    with pytest.raises(FrameworkError, match="“922” phải viết QUYẾT ĐỊNH:MÃ"):
        framework_load(path=workbook(tmp_path / "ke-tiep.xlsx", components=components))
    too_long = [["A", "A." + "1" * 30, "Tỷ lệ", "share_of_target", 40, None, None, None, None]]
    with pytest.raises(FrameworkError, match="code"):
        framework_load(path=workbook(tmp_path / "dai.xlsx", components=too_long))
    assert not Framework.objects.exists()
