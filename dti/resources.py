"""Import and export of the ministry's published DTI points (xlsx, csv).

The ministry publishes each province's points per component; a DIC officer pastes
them into a sheet with the columns ``province`` (code), ``year``, ``component``
(code) and ``points`` instead of typing them one by one in the admin. All rows or
nothing, every bad row listed (``indicators.resources.PortalResource``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields
from import_export.widgets import ForeignKeyWidget

from indicators.access import user_province_id, user_sees_all_provinces
from indicators.models import Agency
from indicators.resources import PortalResource

from .models import DtiAssessment, FrameworkComponent, PublishedComponentScore


def _assessment(row) -> DtiAssessment:
    province, year = row.get("province"), row.get("year")
    try:
        return DtiAssessment.objects.select_related("province").get(province__code=province, year=int(year))
    except (DtiAssessment.DoesNotExist, TypeError, ValueError):
        raise ValueError(
            _("Chưa có đợt đánh giá DTI năm %(year)s của tỉnh “%(province)s”: hãy tạo đợt đánh giá trước.")
            % {"year": year, "province": province}
        ) from None


class AssessmentWidget(ForeignKeyWidget):
    """The assessment named by the row's province code and year."""

    def __init__(self):
        super().__init__(DtiAssessment)

    def clean(self, value, row=None, **kwargs):
        return _assessment(row)

    def render(self, value, obj=None, **kwargs):
        return value.province.code if value else ""


class ComponentWidget(ForeignKeyWidget):
    """A component of the assessment's framework, by its code."""

    def __init__(self):
        super().__init__(FrameworkComponent, field="code")

    def clean(self, value, row=None, **kwargs):
        assessment = _assessment(row)
        component = FrameworkComponent.objects.filter(
            main__framework_id=assessment.framework_id, code=value
        ).first()
        if component is None:
            raise ValueError(
                _("Bộ chỉ số %(framework)s không có chỉ số thành phần mã “%(code)s”.")
                % {"framework": assessment.framework.decision, "code": value}
            )
        return component


class PublishedComponentScoreResource(PortalResource):
    assessment = fields.Field(attribute="assessment", column_name="province", widget=AssessmentWidget())
    year = fields.Field(attribute="assessment__year", column_name="year", readonly=True)
    component = fields.Field(attribute="component", column_name="component", widget=ComponentWidget())
    province_path = ("assessment", "province")

    class Meta:
        model = PublishedComponentScore
        import_id_fields = ("assessment", "component")
        fields = ("assessment", "year", "component", "points")
        clean_model_instances = True
        skip_unchanged = True

    def before_import_row(self, row, **kwargs):
        # Another province's row is refused before anything of it is looked up, so
        # the answer says nothing about that province's assessments.
        if self.user is not None and not user_sees_all_provinces(self.user):
            province_id = user_province_id(self.user)
            own = (
                Agency.objects.filter(pk=province_id).values_list("code", flat=True).first()
                if province_id
                else None
            )
            if own is None or str(row.get("province") or "") != own:
                raise ValidationError(_("Bạn chỉ được nhập dữ liệu của tỉnh mình."))

    def get_queryset(self):
        queryset = super().get_queryset().select_related("assessment__province", "component")
        return queryset.visible_to(self.user) if self.user is not None else queryset
