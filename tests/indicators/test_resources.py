"""Excel/CSV import of the catalogue: all rows or nothing, every bad row listed."""

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from indicators.models import Agency, Indicator, Target
from indicators.resources import AgencyResource, IndicatorResource, TargetResource
from tests.factories import IndicatorFactory, PillarFactory, PlanFactory, dataset

pytestmark = pytest.mark.django_db


AGENCY_HEADERS = ["code", "name", "short_name", "kind", "parent", "email", "is_active"]


def test_agencies_import_into_the_tree(province):
    result = AgencyResource().import_data(
        dataset(
            AGENCY_HEADERS,
            ["BG.SYT", "Sở Y tế", "Sở Y tế", "department", "BG", "", True],
            ["BG.SYT.TTYT", "Trung tâm Y tế", "", "department", "BG.SYT", "", True],
        )
    )
    assert not result.has_errors() and not result.has_validation_errors()
    assert Agency.objects.get(code="BG.SYT.TTYT").province == province


def test_an_import_with_a_bad_row_imports_nothing_and_names_each_bad_row(province):
    result = AgencyResource().import_data(
        dataset(
            AGENCY_HEADERS,
            ["BG.SYT", "Sở Y tế", "", "department", "BG", "", True],
            ["BG.X", "Sở lạc", "", "bogus", "BG", "", True],
            ["BG.SCT", "Sở Công Thương", "", "department", "BG", "not-an-email", True],
        )
    )
    assert result.has_validation_errors()
    assert [row.number for row in result.invalid_rows] == [2, 3]
    assert "kind" in result.invalid_rows[0].field_specific_errors
    assert "email" in result.invalid_rows[1].field_specific_errors
    assert not Agency.objects.filter(code__in=["BG.SYT", "BG.X", "BG.SCT"]).exists()


def test_targets_import_by_plan_number_and_indicator_code_and_refuse_bad_ranges(province):
    plan = PlanFactory(province=province, number="99/KH-UBND")
    indicator = IndicatorFactory(province=province, code="BG.HTS.IOT", unit="thiết bị/100 dân")
    headers = [
        "plan",
        "indicator",
        "year",
        "section",
        "comparison",
        "value",
        "upper_value",
        "target_date",
        "wording",
        "monitoring_wording",
        "lead_wording",
        "coordinating_wording",
    ]
    good = [plan.number, indicator.code, 2024, "", "between", 75, 100, "", "từ 75 – 100", "", "", ""]
    bad = [plan.number, indicator.code, 2025, "", "between", 100, 75, "", "ngược", "", "", ""]
    missing = [plan.number, "BG.KHONGCO", 2024, "", "gte", 1, "", "", "", "", "", ""]
    result = TargetResource().import_data(dataset(headers, good, bad, missing))
    assert result.has_validation_errors() or result.has_errors()
    assert Target.objects.count() == 0

    result = TargetResource().import_data(dataset(headers, good))
    assert not result.has_errors() and not result.has_validation_errors()
    assert Target.objects.get().display == "75 – 100 thiết bị/100 dân"


def test_a_dic_officer_cannot_import_rows_of_another_province(dic_user, other_province):
    PillarFactory(code="HTS")
    headers = [
        "province",
        "code",
        "name",
        "pillar",
        "unit",
        "measure_type",
        "numerator_label",
        "denominator_label",
        "direction",
        "rollup_agencies",
        "rollup_time",
        "frequency",
        "description",
    ]
    row = [
        "TTH",
        "TTH.HTS.X",
        "Chỉ tiêu tỉnh khác",
        "HTS",
        "%",
        "rate",
        "",
        "",
        "increase",
        "ratio_of_sums",
        "stock",
        "quarterly",
        "",
    ]
    result = IndicatorResource(user=dic_user).import_data(dataset(headers, row))
    assert result.has_validation_errors()
    assert "tỉnh mình" in str(result.invalid_rows[0].error_dict)
    assert not Indicator.objects.exists()


def xlsx_upload(headers, *rows) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "agencies.xlsx"
    return buffer


def test_the_admin_import_of_an_xlsx_lists_bad_rows_and_saves_nothing(client, dic_user, province):
    client.force_login(dic_user)
    upload = xlsx_upload(
        AGENCY_HEADERS,
        ["BG.SYT", "Sở Y tế", "", "department", "BG", "", True],
        ["BG.X", "Sở lạc", "", "bogus", "BG", "", True],
    )
    response = client.post(
        reverse("admin:indicators_agency_import"),
        {"import_file": upload, "format": "0", "resource": "0"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "bogus" in content
    assert "confirm" not in response.context or not response.context.get("confirm_form")
    assert not Agency.objects.filter(code__in=["BG.SYT", "BG.X"]).exists()


def test_the_admin_exports_the_catalogue_as_xlsx(client, dic_user, province, other_province):
    IndicatorFactory(province=province, code="BG.MINE")
    IndicatorFactory(province=other_province, code="TTH.THEIRS")
    client.force_login(dic_user)
    response = client.post(
        reverse("admin:indicators_indicator_export"),
        {"format": "0", "resource": "0", "indicatorresource_code": "on", "indicatorresource_name": "on"},
    )
    assert response.status_code == 200
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    codes = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert codes == ["BG.MINE"]


def test_unknown_codes_are_listed_row_by_row_in_vietnamese(province):
    result = AgencyResource().import_data(
        dataset(
            AGENCY_HEADERS,
            ["BG.SYT", "Sở Y tế", "", "department", "BG.KHONGCO", "", True],
            ["BG.X", "Sở lạc", "", "bogus", "BG", "", True],
            ["BG.Z", "Sở khác", "", "department", "BG.NUA", "", True],
        )
    )
    assert not result.has_errors()
    assert [row.number for row in result.invalid_rows] == [1, 2, 3]
    assert "Không tìm thấy cơ quan, đơn vị có mã “BG.KHONGCO”" in str(result.invalid_rows[0].error_dict)
    assert not Agency.objects.exclude(pk=province.pk).exists()


SUCCESSION_HEADERS = ["predecessor", "successor", "change", "effective_on", "basis"]


def test_successions_import_all_or_nothing_and_in_the_users_province_only(province, other_province, dic_user):
    from datetime import date

    from indicators.models import AgencySuccession
    from indicators.resources import AgencySuccessionResource
    from tests.factories import AgencyFactory

    AgencyFactory(parent=province, code="BG.H1", kind="district", exists_until=date(2025, 6, 30))
    AgencyFactory(parent=province, code="BG.STTTT2")
    AgencyFactory(parent=province, code="BG.SKHCN")
    AgencyFactory(parent=other_province, code="TTH.SKHCN")
    good = ["BG.STTTT2", "BG.SKHCN", "merged", date(2025, 3, 1), "Nghị quyết sáp nhập"]
    result = AgencySuccessionResource(user=dic_user).import_data(
        dataset(
            SUCCESSION_HEADERS,
            good,
            ["BG.NOPE", "BG.SKHCN", "merged", date(2025, 3, 1), ""],  # an unknown code
            ["BG.H1", "BG.SKHCN", "tier_abolished", date(2025, 6, 30), ""],  # not after its end
        )
    )
    assert [row.number for row in result.invalid_rows] == [2, 3]
    assert "predecessor" in result.invalid_rows[0].field_specific_errors
    assert "effective_on" in result.invalid_rows[1].field_specific_errors
    assert not AgencySuccession.objects.exists()
    # Another province's agency is refused; the good row alone imports.
    result = AgencySuccessionResource(user=dic_user).import_data(
        dataset(SUCCESSION_HEADERS, ["BG.H1", "TTH.SKHCN", "tier_abolished", date(2025, 7, 1), ""])
    )
    assert result.has_validation_errors() and not AgencySuccession.objects.exists()
    result = AgencySuccessionResource(user=dic_user).import_data(dataset(SUCCESSION_HEADERS, good))
    assert not result.has_validation_errors() and not result.has_errors()
    assert AgencySuccession.objects.get().successor.code == "BG.SKHCN"
