"""Forms of the reporting pages. They parse and check what users type; every write
goes through ``reporting.services``. No form has a field for the agency, the period,
the status or the approver of a submission."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assignments.choices import Role
from assignments.models import user_roles
from assignments.services import ROLES_ONLY_ADMINISTRATORS_GIVE
from dti_portal.collation import vietnamese
from dti_portal.forms import ModelChoiceField
from indicators.access import user_province_id
from indicators.choices import AgencyKind
from indicators.formatting import format_number, parse_number, quarter_name, storable
from indicators.models import Agency, AgencySuccession, Pillar, Plan

from .choices import TaskStatus
from .evidence import validate_evidence_file
from .models import Evidence, ReportingPeriod
from .services import EvidenceUpload


class VietnameseDecimalField(forms.CharField):
    """A decimal typed the Vietnamese way (see ``parse_number``), shown the same way."""

    default_error_messages = {
        "invalid": _("“%(value)s” không phải là số. Ví dụ cách ghi: 1.234,5 hoặc 75"),
        "too_large": _("Số quá lớn."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            number = parse_number(value)
        except ValueError:
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            ) from None
        try:
            return storable(number)
        except ValueError:
            raise ValidationError(self.error_messages["too_large"], code="too_large") from None

    def prepare_value(self, value):
        return format_number(value) if isinstance(value, Decimal) else value


class TriStateField(forms.TypedChoiceField):
    def __init__(self, choices, **kwargs):
        super().__init__(
            choices=choices,
            required=False,
            empty_value=None,
            coerce=lambda v: {"yes": True, "no": False}[v],
            **kwargs,
        )

    def prepare_value(self, value):
        return {True: "yes", False: "no"}.get(value, value)


# What an evidence document is, typed beside the files or link it describes.
DOCUMENT_FIELDS = ("docnumber", "docdate", "issuer")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleEvidenceField(forms.FileField):
    """Any number of evidence files, each checked by content and size."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget",
            MultipleFileInput(
                attrs={
                    "accept": ".pdf,.png,.jpg,.jpeg,.gif,.webp,.doc,.docx,.xls,.xlsx,.ppt,.pptx,"
                    ".odt,.ods,.odp"
                }
            ),
        )
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        cleaned = [super(MultipleEvidenceField, self).clean(f, initial) for f in files]
        errors = []
        for upload in cleaned:
            try:
                validate_evidence_file(upload)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return cleaned


def _value_fields(indicator) -> dict[str, forms.Field]:
    """The form fields of the indicator's measure type, one per stored field."""
    measure = indicator.measure
    made = {}
    for name in measure.fields:
        label = str(measure.labels[name])  # read by the page: translated once
        if name == "is_done":
            made[name] = TriStateField(
                [
                    ("", gettext("— chưa chọn —")),
                    ("yes", str(measure.answers[0])),
                    ("no", str(measure.answers[1])),
                ],
                label=label,
            )
        elif name == "done_on":
            made[name] = forms.DateField(
                label=label,
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                input_formats=["%Y-%m-%d", "%d/%m/%Y"],
            )
        elif name == "text":
            made[name] = forms.CharField(
                label=label, required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
        else:
            made[name] = VietnameseDecimalField(label=label)
    return made


class SubmissionEntryForm(forms.Form):
    """Every value and task line of one submission, with evidence to attach.

    Fields are named ``v<value id>-<field>`` and ``t<progress id>-<field>``; the form
    never touches a value that is not in the submission it was built for.
    """

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, groups, tasks, **kwargs):
        super().__init__(*args, **kwargs)
        self.value_rows = [row for group in groups for row in group.values]
        self.task_rows = tasks
        # The rows' words, translated once for the form: a lazy string is translated
        # again each time it is read, and a page of 40 indicators reads them ~600 times.
        text = {
            "note": gettext("Giải trình, ghi chú"),
            "files": gettext("Tệp minh chứng"),
            "link": gettext("Đường dẫn minh chứng"),
            "bad link": gettext("Đường dẫn không hợp lệ, ví dụ: https://tinh.gov.vn/van-ban/123"),
            "docnumber": gettext("Số, ký hiệu văn bản"),
            "docnumber example": gettext("ví dụ 125/KH-UBND"),
            "docdate": gettext("Ngày ban hành"),
            "issuer": gettext("Cơ quan ban hành"),
            "issuer example": gettext("ví dụ UBND tỉnh"),
            "progress": gettext("Tiến độ"),
            "task note": gettext("Ghi chú"),
        }
        for row in self.value_rows:
            specific = _value_fields(row.indicator)
            for name, formfield in specific.items():
                formfield.initial = getattr(row, name)
                self.fields[f"v{row.pk}-{name}"] = formfield
            self.fields[f"v{row.pk}-note"] = forms.CharField(
                label=text["note"],
                required=False,
                initial=row.note,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"v{row.pk}-files"] = MultipleEvidenceField(label=text["files"])
            self.fields[f"v{row.pk}-link"] = forms.URLField(
                label=text["link"],
                required=False,
                max_length=500,
                assume_scheme="https",
                error_messages={"invalid": text["bad link"]},
            )
            # The document the files or link of this save are (one per save and row).
            self.fields[f"v{row.pk}-docnumber"] = forms.CharField(
                label=text["docnumber"],
                required=False,
                max_length=60,
                widget=forms.TextInput(attrs={"placeholder": text["docnumber example"]}),
            )
            self.fields[f"v{row.pk}-docdate"] = forms.DateField(
                label=text["docdate"],
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                input_formats=["%Y-%m-%d", "%d/%m/%Y"],
            )
            self.fields[f"v{row.pk}-issuer"] = forms.CharField(
                label=text["issuer"],
                required=False,
                max_length=200,
                widget=forms.TextInput(attrs={"placeholder": text["issuer example"]}),
            )
            row.field_names = [f"v{row.pk}-{name}" for name in specific]
            row.note_field, row.files_field, row.link_field = (
                f"v{row.pk}-{n}" for n in ("note", "files", "link")
            )
            row.document_fields = [f"v{row.pk}-{n}" for n in DOCUMENT_FIELDS]
        statuses = [(value, str(label)) for value, label in TaskStatus.choices]
        for row in tasks:
            self.fields[f"t{row.pk}-status"] = forms.ChoiceField(
                label=text["progress"], choices=statuses, initial=row.status
            )
            self.fields[f"t{row.pk}-note"] = forms.CharField(
                label=text["task note"],
                required=False,
                initial=row.note,
                widget=forms.Textarea(attrs={"rows": 1}),
            )
            row.status_field, row.note_field = f"t{row.pk}-status", f"t{row.pk}-note"
        for name, formfield in self.fields.items():
            css = (
                "form-select form-select-sm"
                if isinstance(formfield, forms.ChoiceField)
                else "form-control form-control-sm"
            )
            formfield.widget.attrs["class"] = css
            if name.endswith("-numerator"):
                formfield.widget.attrs["data-numerator"] = ""
            elif name.endswith("-denominator"):
                formfield.widget.attrs["data-denominator"] = ""

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["class"] += " is-invalid"
        for row in self.value_rows:
            row.evidence_errors = any(
                self.errors.get(name) for name in (row.files_field, row.link_field, *row.document_fields)
            )

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        for row in self.value_rows:
            prefix = f"v{row.pk}-"
            attached = [*(cleaned.get(f"{prefix}files") or []), *filter(None, [cleaned.get(f"{prefix}link")])]
            described = any(cleaned.get(f"{prefix}{name}") for name in DOCUMENT_FIELDS)
            if described and not attached and not self.errors.get(f"{prefix}files"):
                self.add_error(f"{prefix}files", _("Hãy chọn tệp hoặc nhập đường dẫn của văn bản này."))
            elif described and len(attached) > 1:
                self.add_error(
                    f"{prefix}files",
                    _(
                        "Số, ngày, cơ quan ban hành chỉ ghi cho một văn bản: hãy gửi từng tệp một, "
                        "hoặc để trống các ô "
                        "này rồi ghi sau ở mục “sửa thông tin văn bản”."
                    ),
                )
            if (issued := cleaned.get(f"{prefix}docdate")) and issued > today:
                self.add_error(f"{prefix}docdate", _("Ngày ban hành không được sau hôm nay."))
        return cleaned

    def changes(self) -> tuple[dict[int, dict], dict[int, dict], list[EvidenceUpload]]:
        """What to hand to ``services.submission_save``: values, task lines, evidence."""
        values, evidence = {}, []
        for row in self.value_rows:
            prefix = f"v{row.pk}-"
            values[row.pk] = {
                name[len(prefix) :]: value
                for name, value in self.cleaned_data.items()
                if name.startswith(prefix) and name[len(prefix) :] not in ("files", "link", *DOCUMENT_FIELDS)
            }
            document = {
                "document_number": self.cleaned_data.get(f"{prefix}docnumber", ""),
                "document_date": self.cleaned_data.get(f"{prefix}docdate"),
                "issuer": self.cleaned_data.get(f"{prefix}issuer", ""),
            }
            for upload in self.cleaned_data.get(f"{prefix}files") or []:
                evidence.append(EvidenceUpload(value_id=row.pk, file=upload, **document))
            if link := self.cleaned_data.get(f"{prefix}link"):
                evidence.append(EvidenceUpload(value_id=row.pk, link=link, **document))
        tasks = {
            row.pk: {
                "status": self.cleaned_data[f"t{row.pk}-status"],
                "note": self.cleaned_data[f"t{row.pk}-note"],
            }
            for row in self.task_rows
        }
        return values, tasks, evidence

    def add_problems(self, problems: dict[str, dict[str, str]]) -> None:
        """Put the service's problems next to their fields."""
        for key, fields in problems.items():
            for name, message in fields.items():
                field_name = f"{key}-{name}"
                if field_name in self.fields:
                    self.add_error(field_name, message)
                    self.fields[field_name].widget.attrs["class"] += " is-invalid"
                else:
                    self.add_error(None, message)


class EvidenceDescribeForm(forms.ModelForm):
    """Which document an evidence is, as the ministry's assessment asks for it."""

    class Meta:
        model = Evidence
        fields = ["document_number", "document_date", "issuer", "description"]
        labels = {"document_number": _("Số, ký hiệu văn bản")}
        widgets = {
            "document_number": forms.TextInput(attrs={"placeholder": _("ví dụ 125/KH-UBND")}),
            "document_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "issuer": forms.TextInput(attrs={"placeholder": _("ví dụ UBND tỉnh")}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document_date"].input_formats = ["%Y-%m-%d", "%d/%m/%Y"]
        for formfield in self.fields.values():
            formfield.widget.attrs["class"] = "form-control"

    def clean_document_date(self):
        issued = self.cleaned_data.get("document_date")
        if issued and issued > timezone.localdate():
            raise ValidationError(_("Ngày ban hành không được sau hôm nay."))
        return issued


class ReviewForm(forms.Form):
    """A reviewer's step, carrying the version the reviewer read."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class ReturnForm(ReviewForm):
    """The DIC's comments when returning a submission: overall and per value."""

    comment = forms.CharField(
        label=_("Ý kiến chung gửi đơn vị"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Hãy ghi ý kiến để đơn vị biết cần sửa gì.")},
    )

    def __init__(self, *args, values, **kwargs):
        super().__init__(*args, **kwargs)
        self.value_rows = values
        for row in values:
            self.fields[f"c{row.pk}"] = forms.CharField(
                label=_("Ý kiến về số liệu này"),
                required=False,
                initial=row.review_comment,
                widget=forms.Textarea(attrs={"rows": 1}),
            )
            row.comment_field = f"c{row.pk}"

    def value_comments(self) -> dict[int, str]:
        return {row.pk: self.cleaned_data[f"c{row.pk}"] for row in self.value_rows}


class ReopenForm(ReviewForm):
    reason = forms.CharField(
        label=_("Lý do mở lại"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Mở lại báo cáo đã duyệt phải ghi rõ lý do.")},
    )


class WorkbookUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp Excel đã điền (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
        error_messages={"required": _("Hãy chọn tệp Excel để tải lên.")},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.EVIDENCE_MAX_BYTES:
            raise ValidationError(_("Tệp quá lớn (tối đa 10 MB)."))
        if upload.read(4) != b"PK\x03\x04":
            raise ValidationError(_("Tệp không phải tệp Excel .xlsx. Hãy dùng mẫu tải từ trang báo cáo."))
        upload.seek(0)
        return upload


class OpenPeriodsForm(forms.Form):
    """Which province and year to open; the province defaults to the user's own."""

    province = ModelChoiceField(label=_("Tỉnh"), queryset=Agency.objects.none(), required=False)
    year = forms.IntegerField(
        label=_("Năm"),
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": _("Hãy nhập năm."),
            "invalid": _("Năm phải là một số."),
            "min_value": _("Năm phải từ 2000 đến 2100."),
            "max_value": _("Năm phải từ 2000 đến 2100."),
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = Agency.objects.visible_to(user).provinces()
        self.own_province = Agency.objects.filter(pk=user_province_id(user)).first()

    def clean_province(self):
        province = self.cleaned_data["province"] or self.own_province
        if province is None:
            raise ValidationError(_("Hãy chọn tỉnh."))
        return province


QUARTER_CHOICES = [
    ("", _("Cả năm")),
    ("1", _("Quý I")),
    ("2", _("Quý II")),
    ("3", _("Quý III")),
    ("4", _("Quý IV")),
]


class DashboardFilterForm(forms.Form):
    """The dashboards' filters. Anything missing or not offered falls back to a
    sensible default (the user's province, the latest year with periods, the year)."""

    province = ModelChoiceField(
        label=_("Tỉnh"), queryset=Agency.objects.none(), required=False, empty_label=None
    )
    year = forms.TypedChoiceField(label=_("Năm"), coerce=int, required=False)
    quarter = forms.TypedChoiceField(
        label=_("Kỳ"), choices=QUARTER_CHOICES, coerce=int, empty_value=None, required=False
    )
    pillar = ModelChoiceField(
        label=_("Trụ cột"), queryset=Pillar.objects.all(), required=False, empty_label=_("Mọi trụ cột")
    )
    plan = ModelChoiceField(
        label=_("Kế hoạch"), queryset=Plan.objects.none(), required=False, empty_label=_("Mọi kế hoạch")
    )

    def __init__(self, data, *, user):
        super().__init__(data)
        # The provinces the user reads: theirs and, read-only, those it continues.
        provinces = Agency.objects.readable_by(user).provinces().order_by("code")
        self.fields["province"].queryset = provinces
        try:
            chosen = provinces.filter(pk=int((data or {}).get("province"))).first()
        except (TypeError, ValueError):
            chosen = None
        self.province = chosen or provinces.filter(pk=user_province_id(user)).first() or provinces.first()
        # A merged province's years include its predecessors' (shown side by side).
        self.predecessor_ids = (
            AgencySuccession.objects.province_predecessors(self.province.pk) if self.province else []
        )
        years = (
            sorted(
                set(
                    ReportingPeriod.objects.filter(
                        province_id__in=[self.province.pk, *self.predecessor_ids]
                    ).values_list("year", flat=True)
                ),
                reverse=True,
            )
            if self.province
            else []
        )
        self.years = years
        self.fields["year"].choices = [(y, y) for y in years]
        self.fields["plan"].queryset = Plan.objects.filter(province=self.province).order_by(
            "-year_from", "number"
        )
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"

    def resolved(self) -> dict:
        """The filters to apply, with defaults for what is missing or invalid."""
        self.is_valid()
        # The fields that are valid: one bad filter does not drop the others.
        data = getattr(self, "cleaned_data", {})
        this_year = timezone.localdate().year
        year = data.get("year") or next(
            (y for y in self.years if y <= this_year), self.years[-1] if self.years else None
        )
        quarter = data.get("quarter")
        period = None
        if self.province and year:
            period = ReportingPeriod.objects.filter(
                province=self.province, year=year, quarter=quarter
            ).first()
        return {
            "province": self.province,
            "year": year,
            "quarter": quarter,
            "quarter_name": quarter_name(quarter, year) if quarter and year else "",
            "period": period,
            "pillar": data.get("pillar"),
            "plan": data.get("plan"),
            "predecessor_ids": self.predecessor_ids,
            # A province merged into another: its pages are read-only, and say so.
            "merged_into": (
                list(
                    AgencySuccession.objects.filter(
                        predecessor=self.province, successor__kind=AgencyKind.PROVINCE
                    ).select_related("successor")
                )
                if self.province and self.province.exists_until
                else []
            ),
        }


class AccountForm(forms.Form):
    """A new account, as a DIC officer fills it: the person, their agency and role."""

    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    email = forms.EmailField(
        label=_("Địa chỉ thư điện tử"),
        help_text=_("Cũng là tên đăng nhập. Thư mời đặt mật khẩu gửi tới đây."),
    )
    agency = ModelChoiceField(label=_("Cơ quan, đơn vị"), queryset=Agency.objects.none())
    role = forms.ChoiceField(label=_("Vai trò"))
    position = forms.CharField(label=_("Chức vụ"), max_length=255, required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=30, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.visible_to(user).order_by("kind", vietnamese("name"))
        given = [
            role for role in Role if role not in ROLES_ONLY_ADMINISTRATORS_GIVE or role in user_roles(user)
        ]
        self.fields["role"].choices = [(role.value, role.label) for role in given]
        self.fields["role"].initial = Role.DEPARTMENT_STAFF.value
