"""Admin import/export as users round-trip it (issue 17): an unchanged export, also
re-saved by LibreOffice, re-imports as "nothing changed", for a DIC officer too;
headings are Vietnamese (the old English ones still read); two rows with one key, a
task number turned into a number, and bad cells are named row by row in Vietnamese;
exports never hold a live formula; an import's temporary file belongs to its user."""

import io
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from assignments.models import IndicatorAssignment, ReportingObligation, TaskAssignment
from assignments.resources import (
    IndicatorAssignmentResource,
    ReportingObligationResource,
    TaskAssignmentResource,
)
from indicators.admin import BoundedXLSX, SafeCSV
from indicators.models import Agency, Indicator, Target, Task
from indicators.resources import AgencyResource, IndicatorResource, TargetResource, TaskResource
from tests.factories import (
    IndicatorAssignmentFactory,
    IndicatorFactory,
    PlanFactory,
    ReportingObligationFactory,
    TargetFactory,
    TaskAssignmentFactory,
    TaskFactory,
    dataset,
)

pytestmark = pytest.mark.django_db

RESOURCES = [
    (AgencyResource, Agency),
    (IndicatorResource, Indicator),
    (TargetResource, Target),
    (TaskResource, Task),
    (IndicatorAssignmentResource, IndicatorAssignment),
    (TaskAssignmentResource, TaskAssignment),
    (ReportingObligationResource, ReportingObligation),
]


@pytest.fixture
def catalogue(province, department):
    plan = PlanFactory(province=province, number="99/KH-UBND")
    indicator = IndicatorFactory(province=province, code="BG.X1", description="")  # an empty text
    TargetFactory(plan=plan, indicator=indicator, year=2024, target_date=date(2024, 12, 31))
    for number in ("1.1", "1.2", "1.10"):
        task = TaskFactory(plan=plan, number=number, deadline_date=date(2024, 6, 30))
        TaskAssignmentFactory(task=task, agency=department)
    IndicatorAssignmentFactory(plan=plan, indicator=indicator, agency=department, year=2024)
    ReportingObligationFactory(indicator=indicator, agency=department, year=2024)
    Agency.objects.filter(pk=department.pk).update(exists_from=date(2020, 1, 1))
    return plan


def exported(resource_class, model, user, file_format):
    rows = resource_class(user=user).export(queryset=model.objects.visible_to(user))
    return file_format.export_data(rows)


def reimported(resource_class, user, file_format, data):
    return resource_class(user=user).import_data(file_format.create_dataset(data), dry_run=True)


def nothing_changed(result):
    totals = dict(result.totals)
    return (
        not result.has_errors()
        and not result.has_validation_errors()
        and totals["skip"] > 0
        and (totals["new"] == totals["update"] == totals["delete"] == 0)
    )


@pytest.mark.parametrize("file_format", [BoundedXLSX(), SafeCSV()], ids=["xlsx", "csv"])
def test_an_unchanged_export_re_imports_as_nothing_changed(catalogue, dic_user, file_format):
    for resource_class, model in RESOURCES:
        data = exported(resource_class, model, dic_user, file_format)
        result = reimported(resource_class, dic_user, file_format, data)
        assert nothing_changed(result), (resource_class.__name__, dict(result.totals), result.invalid_rows)
    # The agencies' export holds the province's own row, which a DIC officer may not
    # write: unchanged, it is skipped, not refused.
    agencies = BoundedXLSX().create_dataset(exported(AgencyResource, Agency, dic_user, BoundedXLSX()))
    assert agencies.headers[:3] == ["Mã", "Tên", "Tên viết tắt"] and "BG" in agencies["Mã"]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_an_export_re_saved_by_libreoffice_re_imports_as_nothing_changed(catalogue, dic_user, tmp_path):
    files = []
    for resource_class, model in RESOURCES:
        path = tmp_path / f"{resource_class.__name__}.xlsx"
        path.write_bytes(exported(resource_class, model, dic_user, BoundedXLSX()))
        files.append(str(path))
    for target, source_dir, ext in (("ods", tmp_path, "xlsx"), ("xlsx", tmp_path / "ods", "ods")):
        sources = [str(p) for p in sorted(Path(source_dir).glob(f"*.{ext}"))]
        subprocess.run(
            ["soffice", "--headless", "--convert-to", target, "--outdir", str(tmp_path / target), *sources],
            check=True,
            capture_output=True,
            timeout=180,
        )
    for resource_class, _model in RESOURCES:
        data = (tmp_path / "xlsx" / f"{resource_class.__name__}.xlsx").read_bytes()
        result = reimported(resource_class, dic_user, BoundedXLSX(), data)
        assert nothing_changed(result), (resource_class.__name__, dict(result.totals), result.invalid_rows)


def test_two_rows_of_one_file_with_one_key_are_refused(catalogue):
    # "1.10" and "1.1" as a spreadsheet program may leave them: both read "1.1".
    headers = ["plan", "number", "content"]
    result = TaskResource().import_data(
        dataset(headers, ["99/KH-UBND", "1.1", "Việc một"], ["99/KH-UBND", "1.1", "Việc mười"])
    )
    assert [row.number for row in result.invalid_rows] == [2]
    message = result.invalid_rows[0].error_dict["__all__"][0]
    assert message == (
        "Dòng này trùng plan, number “99/KH-UBND · 1.1” với dòng 1: mỗi dòng của tệp phải khác nhau."
    )
    assert not Task.objects.filter(content__in=["Việc một", "Việc mười"]).exists()


def test_a_task_number_stored_as_a_number_is_refused(catalogue):
    workbook = Workbook()
    workbook.active.append(["Kế hoạch (số hiệu)", "Số thứ tự", "Nội dung"])
    workbook.active.append(["99/KH-UBND", 1.1, "Có thể là 1.10"])
    workbook.active.append(["99/KH-UBND", 2.0, "Việc hai"])
    stream = io.BytesIO()
    workbook.save(stream)
    result = TaskResource().import_data(BoundedXLSX().create_dataset(stream.getvalue()))
    assert [row.number for row in result.invalid_rows] == [1]
    assert "có thể đã mất số 0 cuối (1.10 thành 1.1)" in result.invalid_rows[0].error_dict["number"][0]
    result = TaskResource().import_data(
        dataset(["plan", "number", "content"], ["99/KH-UBND", 2.0, "Việc hai"])
    )
    assert not result.has_validation_errors() and Task.objects.filter(plan=catalogue, number="2").exists()


def test_bad_cells_are_named_in_vietnamese(catalogue):
    headers = ["plan", "indicator", "year", "comparison", "value", "target_date"]
    result = TargetResource().import_data(
        dataset(
            headers,
            ["99/KH-UBND", "BG.X1", 2025, "gte", "abc", ""],
            ["99/KH-UBND", "BG.X1", "20x6", "gte", "1", ""],
            ["99/KH-UBND", "BG.X1", 2027, "gte", "1", "31/02/2027"],
        )
    )
    errors = [row.error_dict for row in result.invalid_rows]
    assert errors[0]["value"] == [
        "“abc” không phải là số (dùng dấu chấm thập phân, không dùng dấu phân cách hàng nghìn)."
    ]
    assert errors[1]["year"] == ["“20x6” không phải là số nguyên."]
    assert errors[2]["target_date"] == [
        "“31/02/2027” không phải là ngày (nhập dạng 31/12/2025 hoặc ô kiểu ngày)."
    ]
    assert not Target.objects.filter(year__gte=2025).exists()


def test_admin_exports_hold_no_live_formula(client, dic_user, department):
    Agency.objects.filter(pk=department.pk).update(
        name='=HYPERLINK("http://x.invalid","Bấm")', short_name="-2+3"
    )
    client.force_login(dic_user)
    fields = {f"agencyresource_{name}": "on" for name in ("code", "name", "short_name")}
    xlsx = client.post(reverse("admin:indicators_agency_export"), {"format": "0", "resource": "0", **fields})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    cells = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    assert cells[department.code][1].data_type == "s"
    assert cells[department.code][1].value.startswith("=HYPERLINK")
    csv = client.post(reverse("admin:indicators_agency_export"), {"format": "1", "resource": "0", **fields})
    text = csv.content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'-2+3" in text
    result = reimported(AgencyResource, dic_user, SafeCSV(), text)
    assert nothing_changed(result)  # the apostrophe is taken off again


def test_an_import_file_belongs_to_the_user_who_uploaded_it(client, dic_user, province, tmp_path):
    from assignments.choices import Role
    from tests.factories import AgencyFactory, make_user

    colleague = make_user(Role.DIC_OFFICER, AgencyFactory(parent=province), username="dongnghiep")

    def upload(*rows):
        workbook = Workbook()
        workbook.active.append(["code", "name", "short_name", "kind", "parent", "email", "is_active"])
        for row in rows:
            workbook.active.append(row)
        stream = io.BytesIO()
        workbook.save(stream)
        stream.seek(0)
        stream.name = "co-quan.xlsx"
        return stream

    client.force_login(dic_user)
    bad = client.post(
        reverse("admin:indicators_agency_import"),
        {
            "import_file": upload(["BG.X", "Sở lạc", "", "bogus", "BG", "", True]),
            "format": "0",
            "resource": "0",
        },
    )
    assert bad.status_code == 200 and not bad.context.get("confirm_form")
    # The page heads the columns and the bad rows as the files do, in Vietnamese.
    assert "Đơn vị cấp trên (mã)" in bad.context["fields_list"][0][1]
    assert bad.context["result"].diff_headers[:2] == ["Mã", "Tên"]
    assert bad.context["result"].invalid_rows[0].values[:2] == ("BG.X", "Sở lạc")
    from import_export.tmp_storages import TempFolderStorage

    left = TempFolderStorage(name=bad.wsgi_request.FILES["import_file"].tmp_storage_name).get_full_path()
    assert not Path(left).exists()  # a failed dry run leaves no file behind

    good = client.post(
        reverse("admin:indicators_agency_import"),
        {
            "import_file": upload(["BG.SYT", "Sở Y tế", "", "department", "BG", "", True]),
            "format": "0",
            "resource": "0",
        },
    )
    confirm = good.context["confirm_form"].initial
    other = Client()
    other.force_login(colleague)
    stolen = other.post(reverse("admin:indicators_agency_process_import"), confirm)
    assert stolen.status_code == 403 and not Agency.objects.filter(code="BG.SYT").exists()
    done = client.post(reverse("admin:indicators_agency_process_import"), confirm)
    assert done.status_code == 302 and Agency.objects.filter(code="BG.SYT").exists()
    again = client.post(reverse("admin:indicators_agency_process_import"), confirm)
    assert again.status_code == 403  # used once


def agencies_sheet(rows: int, *, blank_rows: int = 0) -> bytes:
    """An agencies import of ``rows`` data rows, then ``blank_rows`` formatted but
    empty rows, as a spreadsheet program leaves them."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Mã", "Tên", "Loại"])
    for n in range(rows):
        sheet.append([f"BG.N{n}", f"Đơn vị {n}", "department"])
    for n in range(blank_rows):
        sheet.cell(row=rows + 2 + n, column=1).number_format = "@"
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def test_an_import_past_the_row_limit_is_refused_at_the_limit_and_blank_rows_do_not_count(
    settings, client, dic_user
):
    settings.IMPORT_MAX_ROWS = 5
    read = BoundedXLSX().create_dataset(agencies_sheet(5, blank_rows=40))
    assert (read.headers, len(read), read[4]) == (
        ["Mã", "Tên", "Loại"],
        5,
        ("BG.N4", "Đơn vị 4", "department"),
    )

    client.force_login(dic_user)
    for name, data in (
        ("don-vi.xlsx", agencies_sheet(6)),
        ("don-vi.csv", "Mã,Tên,Loại\n" + "".join(f"BG.N{n},Đơn vị {n},department\n" for n in range(6))),
    ):
        upload = io.BytesIO(data if isinstance(data, bytes) else data.encode())
        upload.name = name
        response = client.post(
            reverse("admin:indicators_agency_import"),
            {"import_file": upload, "format": "0" if name.endswith("xlsx") else "1", "resource": "0"},
        )
        page = response.content.decode()
        assert response.status_code == 200, name
        assert "Tệp có hơn 5 dòng dữ liệu: hãy chia thành nhiều tệp, mỗi tệp tối đa 5 dòng." in page, name
    assert not Agency.objects.filter(code__startswith="BG.N").exists()


def test_the_row_limit_is_a_vietnamese_number(settings):
    from indicators.admin import check_row_count
    from indicators.archives import FileRefused

    settings.IMPORT_MAX_ROWS = 5000
    check_row_count(5000)
    with pytest.raises(FileRefused, match="hơn 5.000 dòng dữ liệu"):
        check_row_count(5001)
