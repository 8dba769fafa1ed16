"""Serializers of the reporting API. Output serializers are read-only; input
serializers only parse what a service takes. None has a field for a submission's
agency, period, status or approver."""

from __future__ import annotations

from rest_framework import serializers

from ..choices import TaskStatus
from ..models import IndicatorValue, ProvinceFigure, ReportingPeriod, Submission, TaskProgress


class ReportingPeriodSerializer(serializers.ModelSerializer):
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)

    class Meta:
        model = ReportingPeriod
        fields = ["id", "code", "name", "province", "year", "quarter", "opens_on", "due_on", "compile_on", "state"]
        read_only_fields = fields


class IndicatorValueSerializer(serializers.ModelSerializer):
    indicator_code = serializers.CharField(source="indicator.code", read_only=True)
    indicator_name = serializers.CharField(source="indicator.name", read_only=True)
    measure_type = serializers.CharField(source="indicator.measure_type", read_only=True)
    percentage = serializers.DecimalField(max_digits=20, decimal_places=4, read_only=True, allow_null=True)

    class Meta:
        model = IndicatorValue
        fields = [
            "id", "indicator", "indicator_code", "indicator_name", "measure_type", "value", "numerator",
            "denominator", "percentage", "is_done", "done_on", "text", "note", "review_comment",
        ]
        read_only_fields = fields


class TaskProgressSerializer(serializers.ModelSerializer):
    task_number = serializers.CharField(source="task.number", read_only=True)

    class Meta:
        model = TaskProgress
        fields = ["id", "task", "task_number", "status", "note"]
        read_only_fields = fields


class SubmissionSerializer(serializers.ModelSerializer):
    agency_code = serializers.CharField(source="agency.code", read_only=True)
    period_code = serializers.CharField(source="period.code", read_only=True)
    values = IndicatorValueSerializer(many=True, read_only=True)
    task_progress = TaskProgressSerializer(many=True, read_only=True)

    class Meta:
        model = Submission
        fields = [
            "id", "agency", "agency_code", "period", "period_code", "status", "version", "last_saved_at",
            "submitted_at", "approved_at", "approved_by", "review_comment", "values", "task_progress",
        ]
        read_only_fields = fields


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
        min_value=1, max_value=2**31 - 1, help_text="The version the client read; a newer one on the server is a 409."
    )
    values = ValueInput(many=True, required=False)
    tasks = TaskInput(many=True, required=False)

    def changes(self) -> tuple[dict, dict]:
        def by_id(rows):
            return {row.pop("id"): row for row in (dict(r) for r in rows)}

        return by_id(self.validated_data.get("values", [])), by_id(self.validated_data.get("tasks", []))


class VersionInput(serializers.Serializer):
    version = serializers.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1,
        help_text="The version the client read; if sent and the server's is newer, a 409.",
    )


class ReturnInput(VersionInput):
    comment = serializers.CharField(max_length=10000)
    value_comments = serializers.DictField(child=serializers.CharField(allow_blank=True, max_length=10000), required=False)

    def validate_value_comments(self, value):
        try:
            return {int(key): text for key, text in value.items()}
        except ValueError:
            raise serializers.ValidationError("Khóa phải là mã số của số liệu.") from None


class ReopenInput(VersionInput):
    reason = serializers.CharField(max_length=10000)


class ProvinceFigureSerializer(serializers.ModelSerializer):
    indicator_code = serializers.CharField(source="indicator.code", read_only=True)
    period_code = serializers.CharField(source="period.code", read_only=True)
    coverage = serializers.DecimalField(max_digits=7, decimal_places=2, read_only=True, allow_null=True)

    class Meta:
        model = ProvinceFigure
        fields = ["id", "period", "period_code", "indicator", "indicator_code", "value", "numerator", "denominator",
                  "approved_agencies", "required_agencies", "coverage", "target", "status", "compiled_at"]
        read_only_fields = fields


class ErrorSerializer(serializers.Serializer):
    """A refused request: a readable message, a stable code, and for an invalid
    submission the problems by value (``v<id>``) and field."""

    code = serializers.CharField()
    detail = serializers.CharField()
    details = serializers.ListField(child=serializers.CharField(), required=False)
    problems = serializers.DictField(child=serializers.DictField(child=serializers.CharField()), required=False)
