from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from indicators.admin import ProvinceScopedAdmin, ScopedObjectPagesMixin, users_visible_to
from indicators.models import Agency

from .models import (
    IndicatorAssignment,
    PasswordResetRequest,
    ReportingObligation,
    TaskAssignment,
    UserProfile,
)
from .resources import (
    IndicatorAssignmentResource,
    ReportingObligationResource,
    TaskAssignmentResource,
)


@admin.register(IndicatorAssignment)
class IndicatorAssignmentAdmin(ProvinceScopedAdmin):
    resource_classes = [IndicatorAssignmentResource]
    list_display = ("indicator", "plan", "year", "role", "agency", "title")
    list_filter = ("role", ("plan", admin.RelatedOnlyFieldListFilter), "year")
    search_fields = ("indicator__name", "indicator__code", "agency__name")
    list_select_related = ("indicator", "plan", "agency")
    autocomplete_fields = ("indicator", "agency")


@admin.register(TaskAssignment)
class TaskAssignmentAdmin(ProvinceScopedAdmin):
    resource_classes = [TaskAssignmentResource]
    list_display = ("task", "role", "agency")
    list_filter = ("role",)
    search_fields = ("task__number", "task__content", "agency__name")
    list_select_related = ("task", "agency")
    autocomplete_fields = ("agency",)


@admin.register(ReportingObligation)
class ReportingObligationAdmin(ProvinceScopedAdmin):
    resource_classes = [ReportingObligationResource]
    list_display = ("agency", "indicator", "year")
    list_filter = ("year",)
    search_fields = ("indicator__name", "indicator__code", "agency__name")
    list_select_related = ("indicator", "agency")
    autocomplete_fields = ("indicator", "agency")


@admin.register(UserProfile)
class UserProfileAdmin(ScopedObjectPagesMixin, SimpleHistoryAdmin):
    list_display = ("user", "agency", "position")
    search_fields = ("user__username", "agency__name")
    list_select_related = ("user", "agency")
    autocomplete_fields = ("agency",)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(agency__in=Agency.objects.visible_to(request.user))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = users_visible_to(request.user)
        elif db_field.name == "agency":
            kwargs["queryset"] = Agency.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(PasswordResetRequest)
class PasswordResetRequestAdmin(admin.ModelAdmin):
    """The trail of "Quên mật khẩu" requests, read only. An address is not tied to a
    province (it may have no account), so only those who see every province see it."""

    list_display = ("requested_at", "email", "ip_address", "throttled")
    list_filter = ("throttled",)
    search_fields = ("email", "ip_address")
    date_hierarchy = "requested_at"

    def has_module_permission(self, request):
        return request.user.is_superuser or request.user.has_perm("indicators.view_all_provinces")

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
