"""Import and export of assignments: agencies named by code, plans by number."""

from __future__ import annotations

from import_export import fields

from indicators.models import Agency, Indicator, Task
from indicators.resources import CodeWidget, PlanNumberWidget, PortalResource, code_field

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


class TaskWidget(CodeWidget):
    """A task named by its number within the plan named in the row's ``plan`` column."""

    def __init__(self):
        super().__init__(Task, field="number")

    def get_queryset(self, value, row, *args, **kwargs):
        return Task.objects.filter(plan__number=row.get("plan"))

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value.number


class TaskAssignmentResource(PortalResource):
    plan = fields.Field(attribute="task__plan__number", column_name="plan", readonly=True)
    task = fields.Field(attribute="task", column_name="task", widget=TaskWidget())
    agency = code_field("agency", Agency)
    province_path = ("task", "plan", "province")

    class Meta:
        model = TaskAssignment
        import_id_fields = ("task", "agency", "role")
        fields = ("plan", "task", "agency", "role")
        clean_model_instances = True
        skip_unchanged = True


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
