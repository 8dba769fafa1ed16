"""Serializers of the reporting API. Output serializers are read-only; input
serializers only parse what a service takes. None has a field for a submission's
agency, period, status or approver."""

from __future__ import annotations

import decimal
from collections.abc import Callable
from functools import cached_property
from typing import NamedTuple

from rest_framework import serializers
from rest_framework.settings import api_settings

from indicators.measures import Measure, ReportedFields

from ..choices import TaskStatus
from ..models import IndicatorValue, ProvinceFigure, ReportingPeriod, Submission, TaskProgress
from ..selectors.submissions import ValueRow


class ReportingPeriodSerializer(serializers.ModelSerializer):
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)

    class Meta:
        model = ReportingPeriod
        fields = [
            "id",
            "code",
            "name",
            "province",
            "year",
            "quarter",
            "opens_on",
            "due_on",
            "compile_on",
            "state",
        ]
        read_only_fields = fields


class IndicatorValueSerializer(serializers.ModelSerializer):
    indicator_code = serializers.CharField(source="indicator.code", read_only=True)
    indicator_name = serializers.CharField(source="indicator.name", read_only=True)
    measure_type = serializers.CharField(source="indicator.measure_type", read_only=True)
    figure = serializers.DecimalField(
        max_digits=30,
        decimal_places=6,
        read_only=True,
        allow_null=True,
        help_text=(
            "The agency's own figure in the indicator's unit: a rate's %, a ratio per its "
            "scale, a count, an amount; null for yes/no, milestones, text and a rate of 0/0."
        ),
    )
    display = serializers.CharField(read_only=True)

    class Meta:
        model = IndicatorValue
        fields = [
            "id",
            "indicator",
            "indicator_code",
            "indicator_name",
            "measure_type",
            "value",
            "numerator",
            "denominator",
            "figure",
            "display",
            "is_done",
            "done_on",
            "text",
            "note",
            "review_comment",
        ]
        read_only_fields = fields

    def to_representation(self, instance: IndicatorValue | ValueRow) -> dict:
        """What ``ModelSerializer`` writes for the fields above, written out: a page of
        the submission list holds 2,000 values, and DRF's loop over each value's 15
        fields was most of its time. tests/reporting/test_api_serializers.py holds this
        to DRF's own output; a field added to ``Meta.fields`` must be added here."""
        indicator = instance.indicator
        facts = self._indicators.get(instance.indicator_id)
        if facts is None:
            facts = self._indicators[instance.indicator_id] = IndicatorFacts.of(indicator)
        texts = self._decimal_texts
        value, numerator, denominator = instance.value, instance.numerator, instance.denominator
        # IndicatorValue.figure and .display, read from the value's own fields.
        figure = facts.measure.own_figure(instance, indicator=indicator)
        display = facts.display(instance)
        is_done, done_on = instance.is_done, instance.done_on
        text, note, review_comment = instance.text, instance.note, instance.review_comment
        return {
            "id": instance.pk,
            "indicator": instance.indicator_id,
            "indicator_code": facts.code,
            "indicator_name": facts.name,
            "measure_type": facts.measure_type,
            "value": None if value is None else texts["value"](value),
            "numerator": None if numerator is None else texts["numerator"](numerator),
            "denominator": None if denominator is None else texts["denominator"](denominator),
            "figure": None if figure is None else texts["figure"](figure),
            "display": None if display is None else str(display),
            "is_done": None if is_done is None else bool(is_done),
            "done_on": None if done_on is None else done_on.isoformat(),
            "text": None if text is None else str(text),
            "note": None if note is None else str(note),
            "review_comment": None if review_comment is None else str(review_comment),
        }

    @cached_property
    def _indicators(self) -> dict[int, IndicatorFacts]:
        """The facts of each indicator written so far, by id. A serializer writes one
        request's values (a list's child serializer all of them), in one language."""
        return {}

    @cached_property
    def _decimal_texts(self) -> dict[str, Callable[[decimal.Decimal], str]]:
        """Each decimal field's ``DecimalField.to_representation``."""
        return {
            name: decimal_text(self.fields[name]) for name in ("value", "numerator", "denominator", "figure")
        }


class IndicatorFacts(NamedTuple):
    """What every value of one indicator writes alike, read once per request."""

    code: str
    name: str
    measure_type: str
    measure: Measure
    display: Callable[[ReportedFields], str]

    @classmethod
    def of(cls, indicator) -> IndicatorFacts:
        measure = indicator.measure
        return cls(
            code=str(indicator.code),
            name=str(indicator.name),
            measure_type=str(indicator.measure_type),
            measure=measure,
            display=measure.displayer(indicator=indicator),
        )


def decimal_text(field: serializers.DecimalField) -> Callable[[decimal.Decimal], str]:
    """``field.to_representation`` for a value that is not None, with its decimal
    context made once, not per value (DRF copies the thread's context and raises 0.1
    to a power each time). A field DRF writes otherwise (not as a string, localized,
    normalized, unquantized) keeps DRF's own method."""
    plain = (
        getattr(field, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING)
        and not field.localize
        and not field.normalize_output
        and field.decimal_places is not None
    )
    if not plain:
        return field.to_representation
    context = decimal.getcontext().copy()
    if field.max_digits is not None:
        context.prec = field.max_digits
    exponent = decimal.Decimal(".1") ** field.decimal_places
    rounding = field.rounding
    # str() writes a number quantized to at most six decimals without an exponent,
    # as "f" does (it uses one only below 10^-6), and faster.
    write = str if field.decimal_places <= 6 else "{:f}".format

    def text(value: decimal.Decimal) -> str:
        if not isinstance(value, decimal.Decimal):
            value = decimal.Decimal(str(value).strip())
        return write(value.quantize(exponent, rounding=rounding, context=context))

    return text


class TaskProgressSerializer(serializers.ModelSerializer):
    task_number = serializers.CharField(source="task.number", read_only=True)

    class Meta:
        model = TaskProgress
        fields = ["id", "task", "task_number", "status", "note"]
        read_only_fields = fields


class SubmissionSerializer(serializers.ModelSerializer):
    agency_code = serializers.CharField(source="agency.code", read_only=True)
    deadline = serializers.DateField(
        read_only=True,
        help_text="The agency's due date: its own (the calendars of "
        "the plans that oblige it), else the period's.",
    )
    period_code = serializers.CharField(source="period.code", read_only=True)
    # Read as rows (selectors.submissions.submissions_with_value_rows), not models.
    values = IndicatorValueSerializer(many=True, read_only=True, source="value_rows")
    task_progress = TaskProgressSerializer(many=True, read_only=True)

    class Meta:
        model = Submission
        fields = [
            "id",
            "agency",
            "agency_code",
            "period",
            "period_code",
            "status",
            "version",
            "last_saved_at",
            "due_on",
            "deadline",
            "submitted_at",
            "approved_at",
            "approved_by",
            "review_comment",
            "values",
            "task_progress",
        ]
        read_only_fields = fields

    def to_representation(self, instance: Submission) -> dict:
        """What ``ModelSerializer`` writes for the fields above, written out as
        ``IndicatorValueSerializer.to_representation`` is: DRF's loop over 16 fields
        took a fourth of a page's serializing besides its values. Dates, times and the
        nested lists are still written by their DRF fields. tests/reporting/
        test_api_serializers.py holds this to DRF's own output; a field added to
        ``Meta.fields`` must be added here."""
        fields = self.fields

        def written(name: str, value):
            return None if value is None else fields[name].to_representation(value)

        return {
            "id": int(instance.pk),
            "agency": instance.agency_id,
            "agency_code": str(instance.agency.code),
            "period": instance.period_id,
            "period_code": str(instance.period.code),
            "status": str(instance.status),
            "version": int(instance.version),
            "last_saved_at": written("last_saved_at", instance.last_saved_at),
            "due_on": written("due_on", instance.due_on),
            "deadline": written("deadline", instance.deadline),
            "submitted_at": written("submitted_at", instance.submitted_at),
            "approved_at": written("approved_at", instance.approved_at),
            "approved_by": instance.approved_by_id,
            "review_comment": str(instance.review_comment),
            "values": fields["values"].to_representation(instance.value_rows),
            "task_progress": fields["task_progress"].to_representation(instance.task_progress),
        }


class ValueInput(serializers.Serializer):
    """One value's fields; only those sent are changed."""

    id = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    value = serializers.DecimalField(max_digits=20, decimal_places=4, required=False, allow_null=True)
    numerator = serializers.DecimalField(max_digits=20, decimal_places=4, required=False, allow_null=True)
    denominator = serializers.DecimalField(max_digits=20, decimal_places=4, required=False, allow_null=True)
    is_done = serializers.BooleanField(required=False, allow_null=True)
    done_on = serializers.DateField(required=False, allow_null=True)
    text = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    note = serializers.CharField(required=False, allow_blank=True, max_length=10000)


class TaskInput(serializers.Serializer):
    id = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    status = serializers.ChoiceField(choices=TaskStatus.choices, required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=10000)


class SaveInput(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        help_text="The version the client read; a newer one on the server is a 409.",
    )
    values = ValueInput(many=True, required=False)
    tasks = TaskInput(many=True, required=False)

    def changes(self) -> tuple[dict, dict]:
        def by_id(rows):
            return {row.pop("id"): row for row in (dict(r) for r in rows)}

        return by_id(self.validated_data.get("values", [])), by_id(self.validated_data.get("tasks", []))


class VersionInput(serializers.Serializer):
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text="The version the client read; if sent and the server's is newer, a 409.",
    )


class ReturnInput(VersionInput):
    comment = serializers.CharField(max_length=10000)
    value_comments = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=10000), required=False
    )

    def validate_value_comments(self, value):
        try:
            return {int(key): text for key, text in value.items()}
        except ValueError:
            raise serializers.ValidationError("Khóa phải là mã số của số liệu.") from None


class ReopenInput(VersionInput):
    reason = serializers.CharField(max_length=10000)


class ProvinceFigureSerializer(serializers.ModelSerializer):
    """A province figure as the roll-up stored it: the figure, the judged figure (a
    flow's year to date in a quarter), the coverage it rests on and the status."""

    indicator_code = serializers.CharField(source="indicator.code", read_only=True)
    period_code = serializers.CharField(source="period.code", read_only=True)
    coverage = serializers.DecimalField(
        max_digits=7,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        help_text="Approved over required reports, in %.",
    )
    display = serializers.CharField(read_only=True, help_text="The figure with its unit, as on the pages.")
    share_of_target = serializers.DecimalField(
        max_digits=20,
        decimal_places=6,
        read_only=True,
        allow_null=True,
        help_text="The judged figure over the target's value (1 = 100%); null where it means nothing.",
    )
    basis = serializers.CharField(read_only=True, help_text="What the status rests on, in Vietnamese.")

    class Meta:
        model = ProvinceFigure
        fields = [
            "id",
            "period",
            "period_code",
            "indicator",
            "indicator_code",
            "value",
            "numerator",
            "denominator",
            "display",
            "judged_value",
            "judged_numerator",
            "judged_denominator",
            "share_of_target",
            "approved_agencies",
            "required_agencies",
            "not_applicable_agencies",
            "coverage",
            "through_quarter",
            "target",
            "status",
            "basis",
            "compiled_at",
        ]
        read_only_fields = fields
