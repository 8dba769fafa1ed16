"""A DIC officer of one province can neither read nor change another province's rows:
imports, admin history pages, assignments and filters."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assignments.models import IndicatorAssignment
from indicators.models import Agency
from indicators.resources import AgencyResource
from tests.factories import (
    AgencyFactory,
    IndicatorFactory,
    PlanFactory,
    TargetFactory,
    dataset,
)

pytestmark = pytest.mark.django_db

HEADERS = ["code", "name", "short_name", "kind", "parent", "email", "is_active"]


def test_a_dic_officer_cannot_import_or_rename_a_province(dic_user, other_province):
    result = AgencyResource(user=dic_user).import_data(
        dataset(
            HEADERS,
            ["TTH", "Đổi tên", "", "province", "", "", True],
            ["NEW", "Tỉnh mới", "", "province", "", "", True],
        )
    )
    assert [row.number for row in result.invalid_rows] == [1, 2]
    other_province.refresh_from_db()
    assert (
        other_province.name == "UBND tỉnh Thừa Thiên Huế" and not Agency.objects.filter(code="NEW").exists()
    )


def test_a_dic_officer_cannot_take_over_another_provinces_agency(dic_user, province, other_province):
    theirs = AgencyFactory(parent=other_province, code="TTH.S1", name="Sở của tỉnh khác")
    result = AgencyResource(user=dic_user).import_data(
        dataset(HEADERS, ["TTH.S1", "Đã chiếm", "", "department", "BG", "", True])
    )
    assert result.has_validation_errors()
    theirs.refresh_from_db()
    assert (theirs.name, theirs.province) == ("Sở của tỉnh khác", other_province)


def test_an_agency_cannot_move_to_another_province(province, other_province):
    agency = AgencyFactory(parent=province)
    agency.parent = other_province
    with pytest.raises(ValidationError):
        agency.clean()


def test_admin_history_pages_of_another_province_are_not_found(client, dic_user, province, other_province):
    mine = TargetFactory(plan__province=province)
    theirs = TargetFactory(plan__province=other_province)
    client.force_login(dic_user)
    assert client.get(reverse("admin:indicators_target_history", args=[mine.pk])).status_code == 200
    assert client.get(reverse("admin:indicators_target_history", args=[theirs.pk])).status_code == 404
    version = theirs.plan.history.first()
    url = reverse("admin:indicators_plan_simple_history", args=[theirs.plan.pk, version.history_id])
    assert client.post(url, {"number": "X", "title": "X"}).status_code == 404
    theirs.plan.refresh_from_db()
    assert theirs.plan.number != "X"


def test_the_admin_list_filters_name_only_the_users_province(client, dic_user, province, other_province):
    PlanFactory(province=province, number="1/KH-BG")
    PlanFactory(province=other_province, number="1/KH-TTH")
    client.force_login(dic_user)
    content = client.get(reverse("admin:indicators_plan_changelist")).content.decode()
    assert "1/KH-BG" in content and "1/KH-TTH" not in content and "Thừa Thiên Huế" not in content


def test_an_assignment_cannot_mix_provinces(province, other_province):
    assignment = IndicatorAssignment(
        plan=PlanFactory(province=province),
        indicator=IndicatorFactory(province=other_province),
        agency=AgencyFactory(parent=province),
        year=2024,
        role="lead",
    )
    with pytest.raises(ValidationError):
        assignment.clean()
    assignment.indicator = IndicatorFactory(province=province)
    assignment.agency = AgencyFactory(parent=other_province)
    with pytest.raises(ValidationError):
        assignment.clean()


def test_plan_and_year_filters_match_the_same_target(client, dic_user, province):
    plan, other = PlanFactory(province=province), PlanFactory(province=province)
    indicator = IndicatorFactory(province=province, name="Chỉ tiêu hai kế hoạch")
    TargetFactory(plan=plan, indicator=indicator, year=2024)
    TargetFactory(plan=other, indicator=indicator, year=2025)
    client.force_login(dic_user)
    url = reverse("indicators:indicator-list")
    assert not client.get(url, {"plan": plan.pk, "year": 2025}).context["indicators"]
    assert [i.name for i in client.get(url, {"plan": plan.pk, "year": 2024}).context["indicators"]] == [
        "Chỉ tiêu hai kế hoạch"
    ]
