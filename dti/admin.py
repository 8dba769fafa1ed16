"""The DTI in the Django admin: the frameworks read-only (they change by loading the
ministry's file again, ``load_dti_framework``), and the ministry's assessments
(window, published score) entered by the DIC, scoped to the user's province."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from dti_portal.errors import DomainError
from indicators.access import user_sees_all_provinces
from indicators.admin import ProvinceScopedAdmin, ReadOnlyAdminMixin, VisibleToAdminMixin
from reporting.access import log_refusal

from .forms import FrameworkUploadForm
from .framework_files import framework_template
from .models import DtiAssessment, Framework, FrameworkComponent, FrameworkIndicator, PublishedComponentScore
from .resources import PublishedComponentScoreResource
from .services import framework_load


class FrameworkIndicatorInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = FrameworkIndicator
    fields = ["code", "name", "group", "max_points"]
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Read here; changed by loading the ministry's table again: the upload (for
    administrators) or ``load_dti_framework FILE``, all or nothing."""

    list_display = ["decision", "first_year", "max_points", "issued_on"]
    inlines = [FrameworkIndicatorInline]
    change_list_template = "admin/dti/framework/change_list.html"

    def get_urls(self):
        return [
            path("load/", self.admin_site.admin_view(self.load_view), name="dti_framework_load"),
            path(
                "template.xlsx", self.admin_site.admin_view(self.template_view), name="dti_framework_template"
            ),
            *super().get_urls(),
        ]

    def _require_administrator(self, request) -> None:
        if not user_sees_all_provinces(request.user):
            log_refusal(request.user, "framework_load")
            raise PermissionDenied(_("Chỉ quản trị hệ thống được nạp bộ chỉ số DTI."))

    def load_view(self, request):
        self._require_administrator(request)
        form = FrameworkUploadForm(request.POST or None, request.FILES or None)
        problems: list[str] = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            with tempfile.TemporaryDirectory() as directory:
                target = Path(directory) / (Path(upload.name).name or "bo-chi-so.xlsx")
                with target.open("wb") as handle:
                    for chunk in upload.chunks():
                        handle.write(chunk)
                try:
                    report = framework_load(path=target)
                except DomainError as error:
                    problems = list(error.details)
                    messages.error(
                        request,
                        _("Không nạp được: %(count)s chỗ cần sửa; không dòng nào được ghi.")
                        % {"count": len(problems)}
                        if problems
                        else error.message,
                    )
                else:
                    created, updated = sum(report.created.values()), sum(report.updated.values())
                    messages.success(
                        request,
                        _("Đã nạp bộ chỉ số: thêm %(created)s, cập nhật %(updated)s dòng.")
                        % {"created": created, "updated": updated}
                        if report.changed
                        else _("Bộ chỉ số đã đầy đủ, không có thay đổi."),
                    )
                    return redirect("admin:dti_framework_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Nạp bộ chỉ số DTI từ tệp"),
            "form": form,
            "problems": problems,
        }
        return TemplateResponse(request, "admin/dti/framework/load.html", context)

    def template_view(self, request):
        self._require_administrator(request)
        output = io.BytesIO()
        framework_template(output)
        return HttpResponse(
            output.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"Content-Disposition": 'attachment; filename="mau-bo-chi-so-dti.xlsx"'},
        )


@admin.register(FrameworkComponent)
class FrameworkComponentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "main",
        "max_points",
        "points_provisional",
        "rule",
        "measured_by_ministry",
    ]
    list_filter = ["main__framework", "main", "rule", "measured_by_ministry"]
    search_fields = ["code", "name"]
    list_select_related = ["main"]


class PublishedComponentScoreInline(admin.TabularInline):
    model = PublishedComponentScore
    fields = ("component", "points")
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Only the components of the assessment's framework (all of them while adding).
        if db_field.name == "component":
            queryset = FrameworkComponent.objects.select_related("main__framework")
            object_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            if object_id:
                assessment = DtiAssessment.objects.visible_to(request.user).filter(pk=object_id).first()
                if assessment is not None:
                    queryset = queryset.filter(main__framework_id=assessment.framework_id)
            kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(DtiAssessment)
class DtiAssessmentAdmin(VisibleToAdminMixin, SimpleHistoryAdmin):
    """The ministry's assessment of a year: its window, and its published score entered
    component by component, which the provisional score page sets against its own."""

    list_display = ("__str__", "framework", "opens_on", "closes_on", "published_on", "published_index")
    list_filter = (("province", admin.RelatedOnlyFieldListFilter), "year")
    list_select_related = ("province", "framework")
    fieldsets = (
        (None, {"fields": ("province", "year", "framework", "note")}),
        (_("Thời hạn gửi số liệu, minh chứng"), {"fields": ("opens_on", "closes_on")}),
        (_("Kết quả Bộ công bố"), {"fields": ("published_on", "published_index")}),
    )
    inlines = [PublishedComponentScoreInline]

    def get_readonly_fields(self, request, obj=None):
        # Its components' points belong to its framework: the framework stays fixed.
        return ("province", "year", "framework") if obj else ()


@admin.register(PublishedComponentScore)
class PublishedComponentScoreAdmin(ProvinceScopedAdmin):
    """The ministry's points, one row per component: imported from a sheet (columns
    province, year, component, points) or edited here and in their assessment."""

    resource_classes = [PublishedComponentScoreResource]
    list_display = ("component", "assessment", "points")
    list_filter = (("assessment", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("component", "assessment__province")
    search_fields = ("component__code", "component__name")
