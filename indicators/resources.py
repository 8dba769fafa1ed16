"""Import and export of the catalogue (xlsx, csv) through django-import-export.

Rows name related objects by code, so a new plan's appendix can be filled in Excel.
An import with any bad row imports nothing: every row is validated with
``full_clean`` and the whole import is rolled back on any error, each listed with
its row number and reason.
"""

from __future__ import annotations

from copy import deepcopy
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.widgets import ForeignKeyWidget

from .access import agency_write_problem, user_province_id, user_sees_all_provinces
from .models import Agency, AgencySuccession, Indicator, Pillar, Plan, Target, Task, task_sort_key
from .text import cell_text, clean_text

# A text cell starting with one of these is a formula to a spreadsheet program.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# -- cells -----------------------------------------------------------------------------
# import-export's own widgets answer a bad cell in English or with Python's exception
# ("[<class 'decimal.ConversionSyntax'>]"): each cell kind here names the value and
# what was expected, in Vietnamese, and reads what a spreadsheet program writes.


def _shown(value) -> str:
    return str(value).strip()


def _heading_key(heading) -> str:
    return " ".join(clean_text(str(heading or "")).split()).casefold()


class TextWidget(widgets.CharWidget):
    """Text, NFC-normalised with control characters removed; an empty cell is "" for
    a column that may be blank (never NULL in a NOT NULL column)."""

    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row=row, **kwargs)
        return clean_text(text).strip() if isinstance(text, str) else text


class DecimalWidget(widgets.DecimalWidget):
    def clean(self, value, row=None, **kwargs):
        if isinstance(value, float) and value != value:  # NaN
            raise ValueError(_("Ô này không phải là số."))
        try:
            number = super().clean(value.strip() if isinstance(value, str) else value, row=row, **kwargs)
        except (ValueError, TypeError, ArithmeticError):
            raise ValueError(
                _(
                    "“%(value)s” không phải là số (dùng dấu chấm thập phân, "
                    "không dùng dấu phân cách hàng nghìn)."
                )
                % {"value": _shown(value)}
            ) from None
        if number is not None and not number.is_finite():
            raise ValueError(_("“%(value)s” không phải là số.") % {"value": _shown(value)})
        return number


class IntegerWidget(widgets.IntegerWidget):
    def clean(self, value, row=None, **kwargs):
        try:
            number = Decimal(_shown(value)) if value not in ("", None) else None
        except InvalidOperation:
            number = Decimal("NaN")
        if number is None:
            return None
        if not number.is_finite() or number != number.to_integral_value():
            raise ValueError(_("“%(value)s” không phải là số nguyên.") % {"value": _shown(value)})
        return int(number)


class DateWidget(widgets.DateWidget):
    """A date cell, or text as 31/12/2025 or 2025-12-31."""

    def __init__(self, format=None, coerce_to_string=True):
        super().__init__(format="%Y-%m-%d", coerce_to_string=coerce_to_string)
        self.formats = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")

    def clean(self, value, row=None, **kwargs):
        if value in ("", None):
            return None
        if isinstance(value, datetime):
            return value.date()  # a date cell re-saved by a spreadsheet program
        if isinstance(value, date):
            return value
        for form in self.formats:
            try:
                return datetime.strptime(_shown(value), form).date()
            except ValueError:
                continue
        raise ValueError(
            _("“%(value)s” không phải là ngày (nhập dạng 31/12/2025 hoặc ô kiểu ngày).")
            % {"value": _shown(value)}
        )


class BooleanWidget(widgets.BooleanWidget):
    """Có/Không (as exported), or true/false, 1/0."""

    TRUE_VALUES = [*widgets.BooleanWidget.TRUE_VALUES, "Có", "có", "CÓ", "x", "X"]
    FALSE_VALUES = [*widgets.BooleanWidget.FALSE_VALUES, "Không", "không", "KHÔNG"]

    def clean(self, value, row=None, **kwargs):
        value = clean_text(value).strip() if isinstance(value, str) else value
        if value in self.NULL_VALUES:
            return None
        if value in self.TRUE_VALUES:
            return True
        if value in self.FALSE_VALUES:
            return False
        raise ValueError(_("“%(value)s” không phải là Có hoặc Không.") % {"value": _shown(value)})

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else (_("Có") if value else _("Không"))


class TaskNumberWidget(TextWidget):
    """A task's number ("1.10") is text: a cell a spreadsheet program turned into a
    number (1.1) may have lost a trailing zero, so only a whole number is read."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, float) and not value.is_integer():
            raise ValueError(
                _(
                    "Số hiệu nhiệm vụ “%(value)s” được lưu dạng số nên có thể đã mất số 0 cuối "
                    "(1.10 thành 1.1): hãy định dạng cột là văn bản (Text) và nhập lại."
                )
                % {"value": value}
            )
        if isinstance(value, float):
            value = int(value)
        return super().clean(value, row=row, **kwargs)


class PortalResource(resources.ModelResource):
    """Validates every row and rolls the import back on any invalid one.

    ``province_path`` names the row's province so that a DIC officer can only
    import rows of their own province.
    """

    province_path: tuple[str, ...] = ()

    class Meta:
        abstract = True

    @classmethod
    def widget_from_django_field(cls, f, default=widgets.Widget):
        if isinstance(f, (models.CharField, models.TextField)) and not f.choices:
            return TextWidget
        for kind, widget in (
            (models.DecimalField, DecimalWidget),
            (models.IntegerField, IntegerWidget),
            (models.DateField, DateWidget),
            (models.BooleanField, BooleanWidget),
        ):
            if isinstance(f, kind) and not isinstance(f, models.DateTimeField):
                return widget
        return super().widget_from_django_field(f, default)

    @classmethod
    def widget_kwargs_for_field(cls, field_name, django_field):
        kwargs = super().widget_kwargs_for_field(field_name, django_field)
        if isinstance(django_field, models.TextField):
            kwargs.update({"coerce_to_string": True, "allow_blank": django_field.blank})
        return kwargs

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self._rows_by_key: dict[tuple, int] = {}

    def get_export_headers(self, selected_fields=None):
        return [self.column_heading(field) for field in self.get_export_fields(selected_fields) if field]

    def column_heading(self, field) -> str:
        """The column's heading in Vietnamese: the model field's name, and what names
        a related row ("Kế hoạch (số hiệu)", "Cơ quan (mã)")."""
        model, label, path = self._meta.model, str(field.column_name), (field.attribute or "").split("__")
        related = model._meta.get_field(path[0]).is_relation
        for name in path:
            django_field = model._meta.get_field(name)
            if not related or name not in ("code", "number"):
                label = str(django_field.verbose_name)
            if not django_field.is_relation:
                break
            model = django_field.related_model
        named_by = getattr(field.widget, "field", None) or path[-1]
        suffix = {"code": _(" (mã)"), "number": _(" (số hiệu)")}.get(named_by, "") if related else ""
        return label[:1].upper() + label[1:] + suffix

    def before_import(self, dataset, **kwargs):
        """Headings are read as exported (Vietnamese) or by the columns' own names
        (``code``, ``plan`` …, as in files made for earlier versions); the rows are
        then read by the latter."""
        by_heading = {}
        for field in self.fields.values():
            by_heading[_heading_key(field.column_name)] = field.column_name
            by_heading[_heading_key(self.column_heading(field))] = field.column_name
        dataset.headers = [by_heading.get(_heading_key(h), h) for h in dataset.headers or []]
        super().before_import(dataset, **kwargs)

    def export_field(self, field, instance, **kwargs):
        # A control character typed in the admin must not make the export unreadable.
        value = super().export_field(field, instance, **kwargs)
        return cell_text(value) if isinstance(value, str) else value

    def import_data(self, dataset, *args, **kwargs):
        kwargs["rollback_on_validation_errors"] = True
        self._rows_by_key = {}
        return super().import_data(dataset, *args, **kwargs)

    def check_key_once(self, row, row_number) -> None:
        """Two rows of one file with the same key would write the same row twice,
        the second silently over the first: refused, naming the first."""
        columns = [self.fields[name].column_name for name in self.get_import_id_fields()]
        key = tuple(_shown(row.get(column, "")) for column in columns)
        first = self._rows_by_key.setdefault(key, row_number)
        if first != row_number:
            raise ValidationError(
                _("Dòng này trùng %(columns)s “%(key)s” với dòng %(first)s: mỗi dòng của tệp phải khác nhau.")
                % {"columns": ", ".join(columns), "key": " · ".join(key), "first": first}
            )

    def changes(self, before, after) -> bool:
        """Whether importing a row changes the stored row (an unchanged row is skipped,
        so it is not refused for what it would not write)."""
        return any(
            field.get_value(before) != field.get_value(after)
            for field in self.get_import_fields()
            if field.attribute
        )

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
        # An unchanged row is skipped, so it is not refused for what it would not write
        # (the province's own row in a DIC officer's re-imported agencies export).
        self.check_key_once(row, kwargs.get("row_number"))
        before = deepcopy(instance) if instance.pk else None
        super().import_instance(instance, row, **kwargs)
        self.fields_applied(instance)
        if before is not None and not self.changes(before, instance):
            return
        if before is not None:
            self.check_row(before)
        self.check_row(instance)

    def fields_applied(self, instance) -> None:
        """A hook: the row's cells are set on ``instance``, nothing is checked yet."""

    def check_row(self, instance) -> None:
        """Raise ``ValidationError`` if the user may not write ``instance`` as it is."""
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

    def fields_applied(self, instance) -> None:
        if instance.parent_id:
            instance.clean()

    def check_row(self, instance) -> None:
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

    def check_row(self, instance) -> None:
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
    number = fields.Field(attribute="number", column_name="number", widget=TaskNumberWidget())
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
