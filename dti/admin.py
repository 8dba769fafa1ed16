"""The DTI in the Django admin: the frameworks read-only (they change by loading the
ministry's file again, ``load_dti_framework``), and the ministry's assessments
(window, published score) entered by the DIC, scoped to the user's province."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from indicators.admin import ProvinceScopedAdmin, ReadOnlyAdminMixin, VisibleToAdminMixin

from .models import DtiAssessment, Framework, FrameworkComponent, FrameworkIndicator, PublishedComponentScore
from .resources import PublishedComponentScoreResource


class FrameworkIndicatorInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = FrameworkIndicator
    fields = ["code", "name", "group", "max_points"]
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["decision", "first_year", "max_points", "issued_on"]
    inlines = [FrameworkIndicatorInline]


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
