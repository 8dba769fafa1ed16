"""The submission API writes each value with a hand-written ``to_representation`` and
reads the values with their indicators apart (issue 20). Its answers must not change:
each value as DRF's ``ModelSerializer`` wrote it, and the list and a submission as the
API answered them before, byte for byte."""

import json
import random
from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Prefetch
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.mixins import RetrieveModelMixin
from rest_framework.test import APIClient

from indicators.choices import MeasureType
from reporting.api import views
from reporting.api.serializers import IndicatorValueSerializer, SubmissionSerializer, decimal_text
from reporting.models import IndicatorValue, Submission, TaskProgress
from reporting.selectors.submissions import submissions_with_value_rows
from tests.factories import PlanFactory, TaskFactory

from .test_services import bring_to

pytestmark = pytest.mark.django_db

FIELDS = ("value", "numerator", "denominator", "is_done", "done_on", "text", "note", "review_comment")
EMPTY = dict.fromkeys(FIELDS[:5]) | {"text": "", "note": "", "review_comment": ""}

# Each measure type's values, stored or only in memory (a figure with more decimals
# than a column holds, an int): every way a field is written or left empty.
CASES = {
    MeasureType.RATE: [
        {"numerator": Decimal("45.0000"), "denominator": Decimal("60.0000")},  # figure 75.000000
        {"numerator": Decimal("0"), "denominator": Decimal("0")},  # 0/0: no figure
        {"numerator": Decimal("2"), "denominator": Decimal("3")},  # 66.666667 (rounded)
        {"numerator": Decimal("1.23456789"), "denominator": 7},  # 5 decimals and more
        {"numerator": None, "denominator": Decimal("9.5")},
        {"numerator": 1, "denominator": 3},
    ],
    MeasureType.RATIO: [
        {"numerator": Decimal("28000"), "denominator": Decimal("2000")},
        {"numerator": Decimal("-5.5"), "denominator": Decimal("0.0003")},
    ],
    MeasureType.COUNT: [
        {"value": Decimal("12.0000"), "note": 'Tăng do sáp nhập <xã> & "phường"'},
        {"value": Decimal("0.00005")},  # half-even to 4 places
        {"value": 7},
        {"value": None},
    ],
    MeasureType.AMOUNT: [
        {"value": Decimal("2000000000")},
        {"value": Decimal("9999999999999999.9999")},
        {"value": Decimal("-1E+3")},
        {"value": Decimal("1.5E-7")},
    ],
    MeasureType.YES_NO: [{"is_done": True}, {"is_done": False}, {"is_done": None}],
    MeasureType.MILESTONE: [
        {"is_done": True, "done_on": date(2024, 3, 1)},
        {"is_done": False, "done_on": None, "review_comment": "Ghi rõ ngày\nhoàn thành"},
    ],
    MeasureType.TEXT: [
        {"text": "Đã ban hành quy chế <b>số 12</b> & \\ \u2028 ✓"},
        {"text": ""},
    ],
}


def generic(value) -> dict:
    """What ``ModelSerializer`` writes for the value (DRF's loop over the fields)."""
    return serializers.ModelSerializer.to_representation(IndicatorValueSerializer(), value)


@pytest.mark.parametrize("measure", list(CASES))
def test_each_value_is_written_as_drfs_model_serializer_writes_it(submission, measure):
    stored = submission.values.select_related("indicator").get(indicator__measure_type=measure)
    written = 0
    for case in CASES[measure]:
        value = IndicatorValue.objects.select_related("indicator").get(pk=stored.pk)
        for name, field_value in (EMPTY | case).items():
            setattr(value, name, field_value)
        fast, drf = IndicatorValueSerializer(value).data, generic(value)
        assert list(fast) == list(drf) == IndicatorValueSerializer.Meta.fields
        assert json.dumps(fast, ensure_ascii=False) == json.dumps(drf, ensure_ascii=False)
        written += 1
    assert written == len(CASES[measure])


@pytest.mark.parametrize("places", range(9))
def test_each_decimal_is_written_as_drfs_decimal_field_writes_it(places):
    """``decimal_text`` (str() up to six decimals, "f" beyond) against DRF's own
    ``DecimalField.to_representation`` at each number of decimals: zeros of either
    sign, exponents, rounding half even, ints and floats, and numbers with more digits
    than the field holds (refused alike)."""
    field = serializers.DecimalField(max_digits=30, decimal_places=places)
    rng = random.Random(places)
    numbers = [Decimal(text) for text in "0 -0 0E-12 -0E+3 1E-7 -1.5E-7 0.00005 1E+20 2.5 -2.5 0.5".split()]
    numbers += [7, -3, 0.1, 1e-9, 123456.789]
    for _ in range(3000):
        digits = rng.randrange(1, 25)
        number = Decimal(rng.randrange(10**digits)).scaleb(-rng.randrange(0, digits + 10))
        numbers.append(-number if rng.random() < 0.3 else number)

    def outcome(write, number):
        try:
            return write(number)
        except ArithmeticError as error:  # more digits than the field holds
            return type(error)

    text = decimal_text(field)
    written = [outcome(text, number) for number in numbers]
    assert written == [outcome(field.to_representation, number) for number in numbers]
    assert sum(isinstance(result, str) for result in written) > 2000


def test_a_rate_is_written_with_its_figure_and_words(submission):
    """45/60 is 75 %: the figure to six decimals, each amount to four, as strings."""
    value = submission.values.select_related("indicator").get(indicator__measure_type=MeasureType.RATE)
    value.numerator, value.denominator = Decimal("45"), Decimal("60")
    data = IndicatorValueSerializer(value).data
    assert (data["numerator"], data["denominator"], data["figure"]) == ("45.0000", "60.0000", "75.000000")
    assert data["display"] == "45/60 (75%)"


class OldValueSerializer(IndicatorValueSerializer):
    """Each value as DRF's ModelSerializer writes it, from the model."""

    to_representation = serializers.ModelSerializer.to_representation


class OldSubmissionSerializer(SubmissionSerializer):
    """A submission as DRF's ModelSerializer writes it, its values as models."""

    values = OldValueSerializer(many=True, read_only=True)
    to_representation = serializers.ModelSerializer.to_representation


def old_queryset(self):
    """The viewset's queryset before: each value a model joined to its indicator, in
    the model's order (its report's period and agency first)."""
    return (
        Submission.objects.visible_to(self.request.user)
        .select_related("agency", "period")
        .prefetch_related(
            Prefetch("values", queryset=IndicatorValue.objects.select_related("indicator")),
            "task_progress__task",
        )
        .with_deadline()
        .order_by("deadline_on", "agency__code")
    )


def as_before(monkeypatch):
    """The submission viewset as it was: DRF's own list and read, the old queryset and
    the values as models written by ModelSerializer."""
    viewset = views.SubmissionViewSet
    monkeypatch.setattr(viewset, "get_queryset", old_queryset)
    monkeypatch.setattr(viewset, "serializer_class", OldSubmissionSerializer)
    monkeypatch.setattr(viewset, "paginate_queryset", GenericAPIView.paginate_queryset)
    monkeypatch.setattr(viewset, "retrieve", RetrieveModelMixin.retrieve)


@pytest.fixture
def reports(submission, staff_user, dic_user):
    """The department's four quarters of 2024 in four states, with figures, and tasks
    of two plans besides its own, made out of their order (plan number, then task)."""
    quarters = Submission.objects.filter(agency=submission.agency, period__year=2024).order_by(
        "period__quarter"
    )
    province = submission.agency.province
    later, earlier = (
        PlanFactory(number="9/KH-UBND", province=province),
        PlanFactory(number="10/KH-UBND", province=province),
    )
    tasks = [
        TaskFactory(plan=plan, number=number)
        for plan in (later, earlier)
        for number in ("1.10", "2.1", "1.9")
    ]
    for report in quarters:
        TaskProgress.objects.bulk_create(TaskProgress(submission=report, task=task) for task in tasks)
    for state, report in zip(["approved", "returned", "submitted", "draft"], quarters, strict=False):
        bring_to(state, report, staff_user, dic_user)
    IndicatorValue.objects.filter(submission__agency=submission.agency, text="").update(
        note="Ghi chú <i>&</i>"
    )
    return submission


def test_each_submission_is_written_as_drfs_model_serializer_writes_it(reports, dic_user):
    """Every field of the hand-written ``SubmissionSerializer.to_representation``, for
    reports in each state (approved by someone or not, sent or not, with tasks), with a
    due date of their own and without, as ``ModelSerializer`` writes them."""
    quarters = list(
        Submission.objects.filter(agency=reports.agency).select_related("agency", "period").order_by("pk")
    )
    quarters[0].due_on = date(2024, 4, 10)
    submissions_with_value_rows(quarters)
    for submission in quarters:
        fast = SubmissionSerializer(submission).data
        drf = serializers.ModelSerializer.to_representation(SubmissionSerializer(), submission)
        assert list(fast) == list(drf) == SubmissionSerializer.Meta.fields
        assert json.dumps(fast, ensure_ascii=False) == json.dumps(drf, ensure_ascii=False)
    written = [SubmissionSerializer(submission).data for submission in quarters]
    assert {row["approved_by"] is None for row in written} == {True, False}
    assert {row["submitted_at"] is None for row in written} == {True, False}
    assert {row["due_on"] is None for row in written} == {True, False}
    assert any(row["task_progress"] for row in written) and any(row["values"] for row in written)


def test_the_list_and_a_submission_are_what_the_api_answered_before(reports, dic_user, monkeypatch):
    api = APIClient()
    api.force_authenticate(dic_user)
    urls = [
        "/api/v1/submissions/",
        "/api/v1/submissions/?page_size=2&page=2",
        f"/api/v1/submissions/{reports.pk}/",
    ]
    now = [api.get(url).content for url in urls]
    as_before(monkeypatch)
    before = [api.get(url).content for url in urls]
    assert now == before
    listed = json.loads(now[0])["results"]
    # The four quarters' reports with their 7 values, and the year's report (no
    # yearly indicator, no value).
    assert len(listed) == 5 and sum(len(row["values"]) for row in listed) == 4 * 7
    assert {row["status"] for row in listed} == {"approved", "returned", "submitted", "draft"}
    assert any(row["task_progress"] for row in listed)


def test_a_workflow_step_answers_the_submission_as_a_read_did_before(reports, staff_user, monkeypatch):
    """A save answers the submission as it stored it: what a read answered before."""
    draft = Submission.objects.get(agency=reports.agency, period__year=2024, period__quarter=4)
    api = APIClient()
    api.force_authenticate(staff_user)
    rate = draft.values.get(indicator__measure_type=MeasureType.RATE)
    body = {"version": draft.version, "values": [{"id": rate.pk, "numerator": "2", "denominator": "3"}]}
    saved = api.post(f"/api/v1/submissions/{draft.pk}/save/", body, format="json")
    assert saved.status_code == 200
    as_before(monkeypatch)
    assert saved.content == api.get(f"/api/v1/submissions/{draft.pk}/").content
    (row,) = [v for v in saved.json()["values"] if v["id"] == rate.pk]
    assert (row["figure"], row["display"]) == ("66.666667", "2/3 (66,67%)")
