"""Import and export of assignments: agencies named by code, plans by number."""

from __future__ import annotations

from import_export import fields

from indicators.models import Agency, Indicator
from indicators.resources import PlanNumberWidget, PortalResource, code_field

from .models import IndicatorAssignment, ReportingObligation, TaskAssignment


class IndicatorAssignmentResource(PortalResource):
    plan = fields.Field(attribute="plan", column_name="plan", widget=PlanNumberWidget())
    indicator = code_field("indicator", Indicator)
    agency = code_field("agency", Agency)
    province_path = ("plan", "province")

    class Meta:
        model = IndicatorAssignment
        import_id_fields = ("plan", "indicator", "year", "agency", "role")
        fields = ("plan", "indicator", "year", "agency", "role", "title")
        clean_model_instances = True
        skip_unchanged = True


class TaskAssignmentResource(PortalResource):
    plan = fields.Field(attribute="task__plan__number", column_name="plan", readonly=True)
    task_number = fields.Field(attribute="task__number", column_name="task", readonly=True)
    agency = code_field("agency", Agency)
    province_path = ("task", "plan", "province")

    class Meta:
        model = TaskAssignment
        import_id_fields = ("task",)
        fields = ("plan", "task_number", "agency", "role")
        clean_model_instances = True

    def import_instance(self, instance, row, **kwargs):
        from django.core.exceptions import ValidationError

        from indicators.models import Task

        task = Task.objects.filter(plan__number=row.get("plan"), number=str(row.get("task"))).first()
        if task is None:
            raise ValidationError(f"Không tìm thấy nhiệm vụ {row.get('task')} của kế hoạch {row.get('plan')}.")
        instance.task = task
        super().import_instance(instance, row, **kwargs)

    def get_instance(self, instance_loader, row):
        return TaskAssignment.objects.filter(
            task__plan__number=row.get("plan"), task__number=str(row.get("task")),
            agency__code=row.get("agency"), role=row.get("role"),
        ).first()


class ReportingObligationResource(PortalResource):
    indicator = code_field("indicator", Indicator)
    agency = code_field("agency", Agency)
    province_path = ("indicator", "province")

    class Meta:
        model = ReportingObligation
        import_id_fields = ("indicator", "agency", "year")
        fields = ("indicator", "agency", "year")
        clean_model_instances = True
        skip_unchanged = True
