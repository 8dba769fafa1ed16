"""Forms of the ``assignments`` pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dti_portal.forms import ModelMultipleChoiceField
from indicators.models import Agency, Indicator

from .choices import AssignmentRole


class ObligationsAssignForm(forms.Form):
    """Indicators × agencies to give reporting obligations for a year, with an
    optional role. Choices are what the user may see; the service checks the rest
    (one province, active agencies) and names what is wrong."""

    NO_ROLE = ""

    year = forms.IntegerField(min_value=2000, max_value=2100, widget=forms.HiddenInput)
    indicators = ModelMultipleChoiceField(
        queryset=Indicator.objects.none(),
        label=_("Chỉ tiêu"),
        error_messages={
            "required": _("Hãy chọn ít nhất một chỉ tiêu trong danh sách."),
            "invalid_choice": _("Có chỉ tiêu đã chọn không thuộc danh mục của tỉnh: hãy tải lại trang."),
            "invalid_pk_value": _("Có chỉ tiêu đã chọn không thuộc danh mục của tỉnh: hãy tải lại trang."),
        },
    )
    agencies = ModelMultipleChoiceField(
        queryset=Agency.objects.none(),
        label=_("Đơn vị báo cáo"),
        error_messages={
            "required": _("Hãy chọn ít nhất một đơn vị báo cáo."),
            "invalid_choice": _(
                "Có đơn vị đã chọn không thuộc tỉnh hoặc không còn hoạt động: hãy tải lại trang."
            ),
            "invalid_pk_value": _(
                "Có đơn vị đã chọn không thuộc tỉnh hoặc không còn hoạt động: hãy tải lại trang."
            ),
        },
    )
    role = forms.ChoiceField(
        label=_("Ghi thêm vai trò"),
        required=False,
        choices=[
            (NO_ROLE, _("Không (chỉ giao báo cáo số liệu)")),
            (AssignmentRole.LEAD.value, _("Chủ trì thực hiện")),
            (AssignmentRole.COORDINATING.value, _("Phối hợp")),
        ],
    )

    def __init__(self, *args, indicators, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicators"].queryset = indicators
        self.fields["agencies"].queryset = agencies

    def clean_role(self) -> AssignmentRole | None:
        role = self.cleaned_data["role"]
        return AssignmentRole(role) if role else None
