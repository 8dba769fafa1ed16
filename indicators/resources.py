"""Import and export of the catalogue (xlsx, csv) through django-import-export.

Rows name related objects by code, so a new plan's appendix can be filled in Excel.
An import with any bad row imports nothing: every row is validated with
``full_clean`` and the whole import is rolled back on any error, each listed with
its row number and reason.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget

from .access import agency_write_problem, user_province_id, user_sees_all_provinces
from .models import Agency, AgencySuccession, Indicator, Pillar, Plan, Target, Task, task_sort_key
from .text import cell_text


class PortalResource(resources.ModelResource):
    """Validates every row and rolls the import back on any invalid one.

    ``province_path`` names the row's province so that a DIC officer can only
    import rows of their own province.
    """

    province_path: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def export_field(self, field, instance, **kwargs):
        # A control character typed in the admin must not make the export unreadable.
        value = super().export_field(field, instance, **kwargs)
        return cell_text(value) if isinstance(value, str) else value

    def import_data(self, dataset, *args, **kwargs):
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, *args, **kwargs)

    def get_instance(self, instance_loader, row):
        # A row naming an unknown code is a new row here; import_instance() then
        # reports the code as that row's field error, so all bad rows are listed.
        try:
            return super().get_instance(instance_loader, row)
        except ValueError:
            return None

    def import_instance(self, instance, row, **kwargs):
        # The row's province is checked before the row is applied (an existing row of
        # another province may not be taken over) and after (nor may one be made).
        self.check_province(instance)
        super().import_instance(instance, row, **kwargs)
        self.check_province(instance)

    def check_province(self, instance) -> None:
        if self.user is None or user_sees_all_provinces(self.user) or not self.province_path:
            return
        value = instance
        for name in self.province_path:
            value = getattr(value, name, None)
            if value is None:
                return
        if value.pk != user_province_id(self.user):
            raise ValidationError(_("Bạn chỉ được nhập dữ liệu của tỉnh mình."))


class CodeWidget(ForeignKeyWidget):
    """A related row named by its code (or a plan by its number). An unknown code is a
    ``ValueError``, which import-export reports as that row's field error, so every
    bad row is listed instead of the import stopping at the first."""

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row=row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(
                _("Không tìm thấy %(model)s có mã “%(value)s”.")
                % {"model": self.model._meta.verbose_name, "value": value}
            ) from None
        except self.model.MultipleObjectsReturned:
            raise ValueError(
                _("Mã “%(value)s” không xác định duy nhất một dòng.") % {"value": value}
            ) from None


def code_field(attribute: str, model, column: str | None = None) -> fields.Field:
    return fields.Field(
        attribute=attribute,
        column_name=column or attribute,
        widget=CodeWidget(model, field="code"),
    )


class AgencyResource(PortalResource):
    parent = code_field("parent", Agency)

    class Meta:
        model = Agency
        import_id_fields = ("code",)
        fields = (
            "code",
            "name",
            "short_name",
            "kind",
            "parent",
            "email",
            "is_active",
            "exists_from",
            "exists_until",
        )
        clean_model_instances = True
        skip_unchanged = True

    def before_save_instance(self, instance, row, **kwargs):
        instance.clean()

    def import_instance(self, instance, row, **kwargs):
        self.check_agency(instance)
        super(PortalResource, self).import_instance(instance, row, **kwargs)
        if instance.parent_id:
            instance.clean()
        self.check_agency(instance)

    def check_agency(self, instance) -> None:
        """``agency_write_problem``: the admin form's rule too."""
        problem = None if self.user is None else agency_write_problem(self.user, instance)
        if problem:
            raise ValidationError(problem)


class AgencySuccessionResource(PortalResource):
    """Which agency continues which, from a date: columns ``predecessor`` and
    ``successor`` (agency codes), ``change`` (renamed | merged | split |
    tier_abolished), ``effective_on`` and ``basis`` (the decision). All rows or none."""

    predecessor = code_field("predecessor", Agency)
    successor = code_field("successor", Agency)

    class Meta:
        model = AgencySuccession
        import_id_fields = ("predecessor", "successor")
        fields = ("predecessor", "successor", "change", "effective_on", "basis")
        clean_model_instances = True
        skip_unchanged = True

    def import_instance(self, instance, row, **kwargs):
        super(PortalResource, self).import_instance(instance, row, **kwargs)
        # Both agencies of the user's own province: provinces' successions are the
        # administrators'.
        if self.user is None or user_sees_all_provinces(self.user):
            return
        own = user_province_id(self.user)
        for name in ("predecessor", "successor"):
            agency = getattr(instance, name) if getattr(instance, f"{name}_id") else None  # already read
            if agency is not None and agency.province_id != own:
                raise ValidationError(_("Bạn chỉ được nhập dữ liệu của tỉnh mình."))


class IndicatorResource(PortalResource):
    province = code_field("province", Agency)
    pillar = code_field("pillar", Pillar)
    province_path = ("province",)

    class Meta:
        model = Indicator
        import_id_fields = ("province", "code")
        fields = ("province", "code", *Indicator.DEFINITION)
        clean_model_instances = True
        skip_unchanged = True


class PlanNumberWidget(CodeWidget):
    def __init__(self):
        super().__init__(Plan, field="number")


class TargetResource(PortalResource):
    plan = fields.Field(attribute="plan", column_name="plan", widget=PlanNumberWidget())
    indicator = code_field("indicator", Indicator)
    province_path = ("plan", "province")

    class Meta:
        model = Target
        import_id_fields = ("plan", "indicator", "year")
        fields = (
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
        )
        clean_model_instances = True
        skip_unchanged = True


class TaskResource(PortalResource):
    plan = fields.Field(attribute="plan", column_name="plan", widget=PlanNumberWidget())
    province_path = ("plan", "province")

    class Meta:
        model = Task
        import_id_fields = ("plan", "number")
        fields = (
            "plan",
            "number",
            "section",
            "content",
            "lead_wording",
            "coordinating_wording",
            "deadline_text",
            "deadline_date",
            "year_from",
            "year_to",
            "recurring",
            "product",
        )
        clean_model_instances = True
        skip_unchanged = True

    def before_save_instance(self, instance, row, **kwargs):
        instance.sort_key = task_sort_key(instance.number)
