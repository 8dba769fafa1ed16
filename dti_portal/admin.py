"""The admin pieces of no domain app: the API tokens (an administrator sees who holds
one and until when, and revokes it; tokens are issued only by POST /api/v1/token/)
and the "view on site" shortcut limited to what the user's admin pages show."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes import views as contenttype_views
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.admin import TokenAdmin as DrfTokenAdmin
from rest_framework.authtoken.models import TokenProxy

from indicators.admin import ScopedObjectPagesMixin
from indicators.models import Agency

from .tokens import token_expires_at

admin.site.unregister(TokenProxy)


@admin.register(TokenProxy)
class TokenAdmin(ScopedObjectPagesMixin, DrfTokenAdmin):
    list_display = ("user", "created", "expires_at")
    fields = ("user", "created", "expires_at")
    readonly_fields = fields
    search_fields = ("user__username",)
    ordering = ("-created",)
    actions = ["delete_selected"]

    def get_queryset(self, request):
        # The token holders the administrator sees, by their agency's province.
        agencies = Agency.objects.visible_to(request.user)
        return super().get_queryset(request).filter(user__profile__agency__in=agencies)

    @admin.display(description=_("hết hạn lúc"))
    def expires_at(self, token):
        return token_expires_at(token)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def view_on_site(request, content_type_id, object_id):
    """The admin's "view on site" shortcut (``/admin/r/<type>/<id>/``), answering 404
    for a row the user's admin pages do not show (another province's, or of a model
    without an admin page) instead of redirecting to it."""
    content_type = get_object_or_404(ContentType, pk=content_type_id)
    model = content_type.model_class()
    if model is None or not admin.site.is_registered(model):
        raise Http404
    model_admin = admin.site.get_model_admin(model)
    if not model_admin.has_view_or_change_permission(request):
        raise Http404
    if model_admin.get_object(request, unquote(object_id)) is None:
        raise Http404
    return contenttype_views.shortcut(request, content_type_id, object_id)
