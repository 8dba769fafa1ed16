"""The admin's forms of the catalogue: a province merger recorded by an administrator."""

from __future__ import annotations

from django import forms
from django.contrib.admin.widgets import AdminDateWidget
from django.utils.translation import gettext_lazy as _

from dti_portal.forms import ModelMultipleChoiceField

from .models import Agency

__all__ = ["ProvinceMergeForm"]


class ProvinceMergeForm(forms.Form):
    """What ``indicators.services.provinces_merge`` needs, as the command takes it."""

    into = forms.CharField(
        label=_("Mã tỉnh sau hợp nhất"),
        max_length=50,
        help_text=_("Mã mới (ví dụ BN) hoặc mã của tỉnh được giữ lại."),
    )
    name = forms.CharField(
        label=_("Tên tỉnh sau hợp nhất"), max_length=255, help_text=_("Ví dụ: UBND tỉnh Bắc Ninh.")
    )
    short_name = forms.CharField(label=_("Tên viết tắt"), max_length=100, required=False)
    provinces = ModelMultipleChoiceField(
        label=_("Các tỉnh hợp nhất"),
        queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Hãy chọn các tỉnh hợp nhất.")},
    )
    effective_on = forms.DateField(
        label=_("Có hiệu lực từ ngày"),
        widget=AdminDateWidget(format="%d/%m/%Y"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        help_text=_("Ngày/tháng/năm, ví dụ 01/07/2025."),
        error_messages={"invalid": _("Ngày không hợp lệ: hãy viết ngày/tháng/năm, ví dụ 01/07/2025.")},
    )
    basis = forms.CharField(
        label=_("Văn bản"), max_length=255, required=False, help_text=_("Số, ký hiệu văn bản.")
    )
    continue_indicators = forms.BooleanField(
        label=_("Tạo cho tỉnh sau hợp nhất một chỉ tiêu kế tục mỗi chỉ tiêu của các tỉnh cũ"),
        required=False,
        initial=True,
        help_text=_(
            "Để bảng điều hành của tỉnh mới cộng gộp số liệu các năm trước; mức kế hoạch của các kế hoạch "
            "không sao chép."
        ),
    )

    def clean_into(self) -> str:
        # Codes are upper case ("BN"): "bn " names the same province.
        return self.cleaned_data["into"].strip().upper()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        provinces = self.fields["provinces"]
        provinces.queryset = Agency.objects.provinces().order_by("code")  # type: ignore[attr-defined]
        provinces.label_from_instance = lambda p: f"{p.code} · {p.name}"  # type: ignore[attr-defined]
