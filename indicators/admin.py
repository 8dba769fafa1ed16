"""The catalogue in the Django admin, scoped to the user's province, with xlsx/csv
import and export."""

from __future__ import annotations

import io
import re

import tablib
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import SelectableFieldsExportForm
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from simple_history.admin import SimpleHistoryAdmin

from dti_portal.errors import DomainError

from .access import agency_write_problem, user_sees_all_provinces
from .archives import FileRefused, check_zip
from .formatting import format_number
from .forms import ProvinceMergeForm
from .models import (
    Agency,
    AgencySuccession,
    Indicator,
    IndicatorContinuation,
    Pillar,
    Plan,
    ProvinceInstitution,
    Target,
    Task,
)
from .resources import (
    FORMULA_STARTS,
    AgencyResource,
    AgencySuccessionResource,
    IndicatorResource,
    TargetResource,
    TaskResource,
)
from .services import provinces_merge


def users_visible_to(user):
    """The accounts ``user`` may see and pick in the admin: those of the agencies it
    sees (every account, the ones without an agency yet included, for administrators)."""
    accounts = get_user_model().objects.order_by("username")
    if user_sees_all_provinces(user):
        return accounts
    return accounts.filter(profile__agency__in=Agency.objects.visible_to(user))


class ScopedObjectPagesMixin:
    """A row outside the admin's queryset is a 404 on every page of its own: Django's
    change and delete pages would redirect with "does not exist" (saying a row of that
    id exists elsewhere), and simple-history's pages fetch rows themselves (from the
    history table when the admin's queryset has no such row)."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._get_visible_or_404(request, object_id)
        return super().change_view(request, object_id, form_url=form_url, extra_context=extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        self._get_visible_or_404(request, object_id)
        return super().delete_view(request, object_id, extra_context=extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._get_visible_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context=extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._get_visible_or_404(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context=extra_context)

    def _get_visible_or_404(self, request, object_id):
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404(_("Không tìm thấy dữ liệu hoặc bạn không có quyền xem."))


class VisibleToAdminMixin(ScopedObjectPagesMixin):
    """Lists, offers in foreign-key choices and shows in history pages only the rows
    ``visible_to`` the user, and only the accounts of its province."""

    list_per_page = 50

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        model = db_field.related_model
        if model is get_user_model():
            kwargs["queryset"] = users_visible_to(request.user)
        elif hasattr(model.objects, "visible_to"):
            kwargs["queryset"] = model.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


MERGE_PERMISSIONS = (
    "indicators.view_all_provinces",
    "indicators.add_agency",
    "indicators.change_agency",
    "indicators.add_agencysuccession",
    "indicators.add_indicatorcontinuation",
)


def may_merge_provinces(user) -> bool:
    """Administrators only: a merger writes provinces, successions and indicators of every province."""
    return user.is_active and user.has_perms(MERGE_PERMISSIONS)


def check_row_count(count: int) -> None:
    """Refuse an import past ``IMPORT_MAX_ROWS`` data rows (a catalogue has hundreds):
    called as the rows are read, so a file of 300,000 rows stops at the limit."""
    if count > settings.IMPORT_MAX_ROWS:
        raise FileRefused(
            _("Tệp có hơn %(limit)s dòng dữ liệu: hãy chia thành nhiều tệp, mỗi tệp tối đa %(limit)s dòng.")
            % {"limit": format_number(settings.IMPORT_MAX_ROWS)}
        )


class BoundedXLSX(XLSX):
    """An xlsx import read only after ``check_zip`` (a file that would expand past
    ``SPREADSHEET_MAX_UNZIPPED_BYTES`` is refused before openpyxl opens it), its first
    sheet read row by row up to ``IMPORT_MAX_ROWS``; wholly empty rows (formatted
    but blank, as spreadsheets leave them) are skipped. Exported text stays text: a
    cell starting with "=" is never written as a formula."""

    def create_dataset(self, in_stream):
        check_zip(io.BytesIO(in_stream), max_unzipped=settings.SPREADSHEET_MAX_UNZIPPED_BYTES)
        workbook = load_workbook(io.BytesIO(in_stream), read_only=True, data_only=True)
        try:
            rows = workbook.active.iter_rows(values_only=True)
            headers = list(next(rows, ()))
            dataset = tablib.Dataset(headers=headers)
            for row in rows:
                if any(value is not None for value in row):
                    check_row_count(len(dataset) + 1)
                    # A row shorter or longer than the headings (cells past them are
                    # read by no column) is made their width.
                    dataset.append([*row, *[None] * len(headers)][: len(headers)])
        finally:
            workbook.close()
        return dataset

    def export_data(self, dataset, **kwargs):
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=(dataset.title or "Sheet1")[:31])
        for row in [dataset.headers or [], *dataset]:
            cells = []
            for value in row:
                cell = WriteOnlyCell(sheet, value)
                if isinstance(value, str):
                    cell.data_type = "s"
                cells.append(cell)
            sheet.append(cells)
        stream = io.BytesIO()
        workbook.save(stream)
        return stream.getvalue()


PLAIN_NUMBER = re.compile(r"[+-]?\d+([.,]\d+)?")


class SafeCSV(CSV):
    """CSV whose text cells a spreadsheet program would run as a formula (starting
    with = + - @) are exported behind an apostrophe, which the import takes off."""

    def export_data(self, dataset, **kwargs):
        escaped = tablib.Dataset(headers=dataset.headers)
        for row in dataset:
            escaped.append([_escaped(value) for value in row])
        return super().export_data(escaped, **kwargs)

    def create_dataset(self, in_stream, **kwargs):
        dataset = super().create_dataset(in_stream, **kwargs)
        check_row_count(len(dataset))  # the text is in memory already (the upload limit)
        unescaped = tablib.Dataset(headers=dataset.headers)
        for row in dataset:
            unescaped.append([_unescaped(value) for value in row])
        return unescaped


def _escaped(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def _unescaped(value):
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


IMPORT_FILES_KEY = "import_export_files"


class PortalExportForm(SelectableFieldsExportForm):
    """The export page's column choices, named as the file's headings are
    (``PortalResource.column_heading``)."""

    def _get_field_label(self, resource, field_name: str) -> str:
        field = resource.fields.get(field_name)
        if field is None or not hasattr(resource, "column_heading"):
            return super()._get_field_label(resource, field_name)
        return resource().column_heading(field)


class ProvinceScopedAdmin(VisibleToAdminMixin, ImportExportModelAdmin, SimpleHistoryAdmin):
    """Shows and offers only rows of the user's province (all for administrators),
    imports as the user so that rows of another province are refused."""

    formats = [BoundedXLSX, SafeCSV]
    export_form_class = PortalExportForm

    # import-export keeps an upload in a temporary file between the dry run and the
    # confirmation, named in the confirmation form: a confirmation is taken only for
    # a file this user's session was issued, and a dry run with errors (which has no
    # confirmation) removes its file.
    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None) or {}
        self._headed_in_vietnamese(request, context)
        if request.method == "POST" and "import_file" in request.FILES:
            confirm = context.get("confirm_form")
            issued = request.session.get(IMPORT_FILES_KEY, [])
            if confirm is not None:
                request.session[IMPORT_FILES_KEY] = [*issued[-9:], confirm.initial["import_file_name"]]
            else:
                self._remove_tmp_file(getattr(request.FILES["import_file"], "tmp_storage_name", None))
        return response

    def export_action(self, request):
        response = super().export_action(request)
        self._headed_in_vietnamese(request, getattr(response, "context_data", None) or {})
        return response

    def _headed_in_vietnamese(self, request, context) -> None:
        """The pages list the columns by the headings the files carry (a result's rows
        are already read, by the columns' own names)."""
        resources = [
            resource_class(user=request.user) for resource_class in self.get_resource_classes(request)
        ]
        result = context.get("result")
        if result is not None and len(resources) == 1:
            result.diff_headers = [resources[0].column_heading(f) for f in resources[0].get_import_fields()]
        if "fields_list" in context:
            context["fields_list"] = [
                (
                    resource.get_display_name(),
                    [resource.column_heading(field) for field in resource.get_user_visible_fields()],
                )
                for resource in resources
            ]

    def process_import(self, request, **kwargs):
        name = request.POST.get("import_file_name", "")
        issued = request.session.get(IMPORT_FILES_KEY, [])
        if name not in issued:
            raise PermissionDenied(_("Tệp nhập này không phải do bạn tải lên hoặc đã được dùng."))
        request.session[IMPORT_FILES_KEY] = [issued_name for issued_name in issued if issued_name != name]
        return super().process_import(request, **kwargs)

    def _remove_tmp_file(self, name: str | None) -> None:
        if name:
            self.get_tmp_storage_class()(name=name, **self.get_tmp_storage_class_kwargs()).remove()

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, FileRefused):
            form.add_error("import_file", e.message)
        else:
            form.add_error(
                "import_file",
                _("Không đọc được tệp (%(error)s): hãy chọn đúng định dạng, .xlsx hoặc .csv.")
                % {"error": type(e).__name__},
            )

    def get_import_resource_kwargs(self, request, **kwargs):
        return {**super().get_import_resource_kwargs(request, **kwargs), "user": request.user}

    def get_export_resource_kwargs(self, request, **kwargs):
        return {**super().get_export_resource_kwargs(request, **kwargs), "user": request.user}


class SuccessionInline(admin.TabularInline):
    """The agencies this one continues in (a rename, a merger, a split, a tier abolished)."""

    model = AgencySuccession
    fk_name = "predecessor"
    fields = ("successor", "change", "effective_on", "basis")
    autocomplete_fields = ("successor",)  # searched among the agencies the user sees
    extra = 0


@admin.register(Agency)
class AgencyAdmin(ProvinceScopedAdmin):
    resource_classes = [AgencyResource]
    list_display = (
        "code",
        "name",
        "short_name",
        "kind",
        "parent",
        "exists_from",
        "exists_until",
        "is_active",
    )
    list_filter = ("kind", "is_active", ("province", admin.RelatedOnlyFieldListFilter))
    search_fields = ("code", "name", "short_name")
    list_select_related = ("parent",)
    inlines = [SuccessionInline]
    # Changed where its reports move with it: reporting's admin of this model.
    readonly_fields = ("reported_by",)
    change_list_template = "admin/indicators/agency/change_list.html"

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "may_merge_provinces": may_merge_provinces(request.user)}
        return super().changelist_view(request, extra_context)

    def get_form(self, request, obj=None, **kwargs):
        """The form refuses what the import refuses (``agency_write_problem``): a DIC
        officer creating or changing a province, or an agency of another province."""
        form = super().get_form(request, obj, **kwargs)
        user = request.user

        class ScopedAgencyForm(form):  # type: ignore[misc, valid-type]
            def _post_clean(self):
                super()._post_clean()  # the instance now holds the form's values and its province
                problem = agency_write_problem(user, self.instance)
                if problem:
                    self.add_error(None, problem)

        return ScopedAgencyForm

    def get_urls(self):
        return [
            path("merge/", self.admin_site.admin_view(self.merge_view), name="indicators_agency_merge"),
            *super().get_urls(),
        ]

    def merge_view(self, request):
        """A province merger, as ``merge_provinces`` records it: administrators only."""
        if not may_merge_provinces(request.user):
            raise PermissionDenied(_("Chỉ quản trị hệ thống được ghi việc hợp nhất tỉnh."))
        form = ProvinceMergeForm(request.POST or None)
        problems: list[str] = []
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                report = provinces_merge(
                    into=data["into"],
                    name=data["name"].strip(),
                    short_name=data["short_name"].strip(),
                    from_codes=[province.code for province in data["provinces"]],
                    effective_on=data["effective_on"],
                    basis=data["basis"].strip(),
                    continue_indicators=data["continue_indicators"],
                )
            except DomainError as error:
                problems = list(error.details or [error.message])
                messages.error(request, _("Không ghi được việc hợp nhất; không có gì thay đổi."))
            else:
                if report.changed:
                    counts = {
                        "created": sum(report.created.values()),
                        "updated": sum(report.updated.values()),
                    }
                    text = _("Đã ghi việc hợp nhất: thêm %(created)s, cập nhật %(updated)s dòng.") % counts
                else:
                    text = _("Việc hợp nhất đã được ghi, không có thay đổi.")
                messages.success(request, text)
                return redirect("admin:indicators_agency_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Hợp nhất tỉnh"),
            "form": form,
            "problems": problems,
        }
        return TemplateResponse(request, "admin/indicators/agency/merge.html", context)


@admin.register(AgencySuccession)
class AgencySuccessionAdmin(ProvinceScopedAdmin):
    """Successions one by one, or many at once from a sheet (columns predecessor,
    successor, change, effective_on, basis)."""

    resource_classes = [AgencySuccessionResource]
    list_display = ("predecessor", "change", "successor", "effective_on", "basis")
    list_filter = ("change",)
    list_select_related = ("predecessor", "successor")
    search_fields = ("predecessor__code", "predecessor__name", "successor__code", "successor__name")


@admin.register(ProvinceInstitution)
class ProvinceInstitutionAdmin(VisibleToAdminMixin, SimpleHistoryAdmin):
    """The names of the DIC and of the ministry, each from a date: pages, emails and
    workbooks take the name in force."""

    list_display = ("province", "role", "name", "short_name", "since")
    list_filter = ("role", ("province", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("province",)
    search_fields = ("name", "short_name")


@admin.register(Plan)
class PlanAdmin(ProvinceScopedAdmin):
    list_display = ("number", "title", "issuer", "issued_on", "year_from", "year_to")
    list_filter = (("province", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("number", "title")


@admin.register(Pillar)
class PillarAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "order")


class ContinuationInline(admin.TabularInline):
    """The indicators of the provinces this one succeeds that this indicator
    continues: their past figures are combined into its own (``IndicatorContinuation``)."""

    model = IndicatorContinuation
    fk_name = "later"
    fields = ("earlier",)
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name != "earlier":
            return super().formfield_for_foreignkey(db_field, request, **kwargs)
        # The predecessors' indicators: not ``visible_to`` the user, but readable.
        kwargs["queryset"] = (
            Indicator.objects.readable_by(request.user)
            .select_related("province")
            .order_by("province__code", "code")
        )
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        field.label_from_instance = lambda i: (
            f"{i.province.short_name or i.province.name} · {i.code} {i.name}"
        )
        return field


@admin.register(Indicator)
class IndicatorAdmin(ProvinceScopedAdmin):
    resource_classes = [IndicatorResource]
    list_display = (
        "code",
        "name",
        "pillar",
        "unit",
        "measure_type",
        "scale",
        "rollup_agencies",
        "rollup_time",
    )
    list_filter = (("province", admin.RelatedOnlyFieldListFilter), "pillar", "measure_type", "frequency")
    search_fields = ("code", "name")
    list_select_related = ("pillar",)
    inlines = [ContinuationInline]


@admin.register(Target)
class TargetAdmin(ProvinceScopedAdmin):
    resource_classes = [TargetResource]
    list_display = ("indicator", "plan", "year", "comparison", "value", "upper_value", "target_date")
    list_filter = (("plan", admin.RelatedOnlyFieldListFilter), "year")
    search_fields = ("indicator__name", "indicator__code", "wording")
    list_select_related = ("indicator", "plan")
    autocomplete_fields = ("indicator",)


@admin.register(Task)
class TaskAdmin(ProvinceScopedAdmin):
    resource_classes = [TaskResource]
    list_display = ("number", "plan", "content", "deadline_text", "deadline_date", "product")
    list_filter = (("plan", admin.RelatedOnlyFieldListFilter), "recurring")
    search_fields = ("number", "content")
    list_select_related = ("plan",)
    exclude = ("sort_key",)


class ReadOnlyAdminMixin:
    """Read in the admin, changed elsewhere: reports by the services, the DTI
    framework by editing its file and loading it again (``load_dti_framework``)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
