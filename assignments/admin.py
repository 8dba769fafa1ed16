"""Assignments and accounts in the Django admin. The roles are auth groups named by
code (``department_staff``), which the code relies on; the admin shows them as the
role's words wherever a group is listed, picked or filtered on."""

from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group, Permission, User
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from dti_portal.forms import ModelMultipleChoiceField
from indicators.admin import ProvinceScopedAdmin, ScopedObjectPagesMixin, users_visible_to
from indicators.models import Agency

from .choices import Role
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


class RoleGroupsField(ModelMultipleChoiceField):
    """The groups picker: each group as its role's words."""

    def label_from_instance(self, obj: Group) -> str:
        return Role.label_of(obj.name)


PERMISSION_ACTIONS = {
    "add": _("Thêm"),
    "change": _("Sửa"),
    "delete": _("Xóa"),
    "view": _("Xem"),
}


def permission_label(permission: Permission) -> str:
    """A permission in the reader's language: "Danh mục kế hoạch | chỉ tiêu | Sửa".
    Django stores "Can change indicator" in English when it creates the rows; the
    app's and model's names are translated, the action named by its code name (a
    portal's own permission, already in Vietnamese, by its name). A model's history
    (django-simple-history names it "historical …", untranslated) reads "lịch sử …"."""
    content_type = permission.content_type
    model = content_type.model_class()
    if model is None:
        return str(permission)
    app = apps.get_app_config(content_type.app_label).verbose_name
    history_of = getattr(model, "instance_type", None)  # set on simple-history's models
    name = (
        gettext("lịch sử %(model)s") % {"model": history_of._meta.verbose_name}
        if history_of is not None
        else model._meta.verbose_name
    )
    action, _sep, model_name = permission.codename.partition("_")
    words = PERMISSION_ACTIONS.get(action) if model_name == content_type.model else None
    return f"{app} | {name} | {words or permission.name}"


class PermissionsField(ModelMultipleChoiceField):
    """The permissions picker, each permission in words (``permission_label``)."""

    def label_from_instance(self, obj: Permission) -> str:
        return permission_label(obj)


class RoleListFilter(admin.RelatedFieldListFilter):
    """The users list's filter by group, each named by its role's words."""

    def field_choices(self, field, request, model_admin):
        return [
            (pk, Role.label_of(str(name))) for pk, name in super().field_choices(field, request, model_admin)
        ]


admin.site.unregister(Group)
admin.site.unregister(User)


@admin.register(Group)
class GroupAdmin(DjangoGroupAdmin):
    """A role's group reads as the role; its name, which the code looks groups up by,
    cannot be changed here."""

    list_display = ("role",)
    change_form_template = "admin/auth/group/role_change_form.html"

    @admin.display(description=_("Vai trò"), ordering="name")
    def role(self, group: Group) -> str:
        return Role.label_of(group.name)

    def action_checkbox(self, group: Group) -> SafeString:
        # Django's names the row by str(group), the code name, for screen readers.
        label = format_html(gettext("Select this object for an action - {}"), Role.label_of(group.name))
        checkbox = forms.CheckboxInput({"class": "action-select", "aria-label": label}, lambda value: False)
        return checkbox.render(helpers.ACTION_CHECKBOX_NAME, str(group.pk))

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.name in Role.values:
            return ("role", "name")
        return ()

    def get_fields(self, request, obj=None):
        if obj is not None and obj.name in Role.values:
            return ("role", "name", "permissions")
        return ("name", "permissions")

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name == "permissions":
            kwargs["form_class"] = PermissionsField
        return super().formfield_for_manytomany(db_field, request=request, **kwargs)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        group = self.get_object(request, object_id)
        if group is not None:
            extra_context = {**(extra_context or {}), "subtitle": Role.label_of(group.name)}
        return super().change_view(request, object_id, form_url=form_url, extra_context=extra_context)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Django's user pages, with the roles named in words in the list, its filter and
    the groups picker."""

    list_display = ("username", "email", "first_name", "last_name", "is_staff", "roles")
    list_filter = ("is_staff", "is_superuser", "is_active", ("groups", RoleListFilter))

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("Vai trò"))
    def roles(self, user: User) -> str:
        return ", ".join(Role.label_of(group.name) for group in user.groups.all())

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name == "groups":
            kwargs["form_class"] = RoleGroupsField
        if db_field.name == "user_permissions":
            kwargs["form_class"] = PermissionsField
        return super().formfield_for_manytomany(db_field, request=request, **kwargs)
