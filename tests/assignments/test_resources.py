"""Import of assignments from Excel: agencies by code, plans by number, all or nothing."""

import pytest

from assignments.models import IndicatorAssignment, ReportingObligation, TaskAssignment
from assignments.resources import (
    IndicatorAssignmentResource,
    ReportingObligationResource,
    TaskAssignmentResource,
)
from tests.factories import AgencyFactory, IndicatorFactory, PlanFactory, TaskFactory, dataset

pytestmark = pytest.mark.django_db


def test_indicator_assignments_import_and_a_bad_row_imports_nothing(province):
    plan = PlanFactory(province=province, number="5/KH-BCĐ")
    indicator = IndicatorFactory(province=province, code="BG.CQS.DVC")
    lead = AgencyFactory(parent=province, code="BG.VPUBND")
    headers = ["plan", "indicator", "year", "agency", "role", "title"]
    good = ["5/KH-BCĐ", "BG.CQS.DVC", 2024, "BG.VPUBND", "monitoring_lead", "Chánh Văn phòng UBND tỉnh"]
    bad_role = ["5/KH-BCĐ", "BG.CQS.DVC", 2024, "BG.VPUBND", "boss", ""]
    bad_plan = ["6/KH-BCĐ", "BG.CQS.DVC", 2024, "BG.VPUBND", "lead", ""]
    result = IndicatorAssignmentResource().import_data(dataset(headers, good, bad_role, bad_plan))
    assert [row.number for row in result.invalid_rows] == [2, 3]
    assert not IndicatorAssignment.objects.exists()

    result = IndicatorAssignmentResource().import_data(dataset(headers, good))
    assert not result.has_validation_errors() and not result.has_errors()
    assignment = IndicatorAssignment.objects.get()
    assert (assignment.plan, assignment.indicator, assignment.agency) == (plan, indicator, lead)
    assert assignment.title == "Chánh Văn phòng UBND tỉnh"


def test_task_assignments_import_by_plan_number_and_task_number(province):
    task = TaskFactory(plan=PlanFactory(province=province, number="KH-STTTT 03/2022"), number="1.1")
    AgencyFactory(parent=province, code="BG.STTTT")
    headers = ["plan", "task", "agency", "role"]
    result = TaskAssignmentResource().import_data(
        dataset(
            headers,
            ["KH-STTTT 03/2022", "1.1", "BG.STTTT", "lead"],
            ["KH-STTTT 03/2022", "9.9", "BG.STTTT", "lead"],
        )
    )
    assert result.has_validation_errors() or result.has_errors()
    assert not TaskAssignment.objects.exists()
    result = TaskAssignmentResource().import_data(
        dataset(headers, ["KH-STTTT 03/2022", "1.1", "BG.STTTT", "lead"])
    )
    assert not result.has_validation_errors() and not result.has_errors()
    assert TaskAssignment.objects.get().task == task
    # Importing the same row again changes nothing.
    TaskAssignmentResource().import_data(dataset(headers, ["KH-STTTT 03/2022", "1.1", "BG.STTTT", "lead"]))
    assert TaskAssignment.objects.count() == 1


def test_obligations_import(province):
    IndicatorFactory(province=province, code="BG.X")
    AgencyFactory(parent=province, code="BG.SYT")
    result = ReportingObligationResource().import_data(
        dataset(["indicator", "agency", "year"], ["BG.X", "BG.SYT", 2024])
    )
    assert not result.has_validation_errors() and not result.has_errors()
    assert ReportingObligation.objects.count() == 1
