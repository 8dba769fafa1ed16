"""The framework upload of the admin: the ministry's table (.xlsx) or a YAML file."""

from __future__ import annotations

from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

__all__ = ["FrameworkUploadForm"]


class FrameworkUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp bộ chỉ số (.xlsx theo mẫu, hoặc .yaml)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.yaml,.yml"}),
        error_messages={"required": _("Hãy chọn tệp bộ chỉ số để tải lên.")},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        suffix = PurePath(upload.name).suffix.lower()
        if upload.size > settings.EVIDENCE_MAX_BYTES:
            raise ValidationError(_("Tệp quá lớn (tối đa 10 MB)."))
        if suffix not in (".xlsx", ".yaml", ".yml"):
            raise ValidationError(_("Chỉ nhận tệp .xlsx theo mẫu hoặc tệp .yaml."))
        if suffix == ".xlsx" and upload.read(4) != b"PK\x03\x04":
            raise ValidationError(_("Tệp không phải tệp Excel .xlsx."))
        upload.seek(0)
        return upload
