"""The admin pieces of no domain app: the API tokens (an administrator sees who holds
one and until when, and revokes it; tokens are issued only by POST /api/v1/token/)
and the "view on site" shortcut limited to what the user's admin pages show; and
the columns and descriptions of django-axes and django-celery-beat that their
catalogues cannot reach (admin methods without a description, cron descriptions)."""

from axes.admin import AccessAttemptAdmin as AxesAccessAttemptAdmin
from axes.models import AccessAttempt
from cron_descriptor import ExpressionDescriptor, Options
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes import views as contenttype_views
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_celery_beat.admin import CrontabScheduleAdmin as BeatCrontabScheduleAdmin
from django_celery_beat.admin import PeriodicTaskAdmin as BeatPeriodicTaskAdmin
from django_celery_beat.models import CrontabSchedule, PeriodicTask
from rest_framework.authtoken.admin import TokenAdmin as DrfTokenAdmin
from rest_framework.authtoken.models import TokenProxy

from indicators.admin import ScopedObjectPagesMixin
from indicators.models import Agency

from .forms import ModelChoiceField
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


# cron_descriptor's catalogue for each portal language.
CRON_LOCALES = {"vi": "vi_VN", "en": "en_US"}


def crontab_in_words(crontab: CrontabSchedule) -> str:
    """A crontab as a sentence in the active language ("Tại 08:00 Asia/Ho_Chi_Minh"), in
    24-hour time; django-celery-beat's own ``human_readable`` is always in English."""
    options = Options()
    options.locale_code = CRON_LOCALES.get(translation.get_language() or "vi", "vi_VN")
    options.use_24hour_time_format = True
    expression = " ".join(
        (crontab.minute, crontab.hour, crontab.day_of_month, crontab.month_of_year, crontab.day_of_week)
    )
    try:
        described = ExpressionDescriptor(expression, options).get_description()
    except Exception:  # an expression cron_descriptor cannot read is shown as it is
        described = expression
    return f"{described} ({crontab.timezone})"


class CrontabChoiceField(ModelChoiceField):
    def label_from_instance(self, obj: CrontabSchedule) -> str:
        return crontab_in_words(obj)


admin.site.unregister(CrontabSchedule)
admin.site.unregister(PeriodicTask)
admin.site.unregister(AccessAttempt)


@admin.register(CrontabSchedule)
class CrontabScheduleAdmin(BeatCrontabScheduleAdmin):
    list_display = ("__str__", "human_readable")

    @admin.display(description=_("Diễn giải"))
    def human_readable(self, crontab: CrontabSchedule) -> str:
        return crontab_in_words(crontab)


@admin.register(PeriodicTask)
class PeriodicTaskAdmin(BeatPeriodicTaskAdmin):
    list_display = ("name", "enabled", "schedule", "start_time", "last_run_at", "one_off")

    @admin.display(description=_("Lịch chạy"))
    def schedule(self, task: PeriodicTask) -> str:
        if task.crontab is not None:
            return crontab_in_words(task.crontab)
        return str(task.scheduler or "")

    @admin.display(description=_("Diễn giải lịch crontab"))
    def crontab_translation(self, task: PeriodicTask) -> str:
        return crontab_in_words(task.crontab) if task.crontab is not None else ""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "crontab":
            kwargs["form_class"] = CrontabChoiceField
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # django-celery-beat's own puts its English descriptions in the page (for the
        # description shown beside the crontab picked); these are in the page's language.
        readable = {crontab.pk: crontab_in_words(crontab) for crontab in CrontabSchedule.objects.all()}
        return admin.ModelAdmin.changeform_view(
            self, request, object_id, form_url, {**(extra_context or {}), "readable_crontabs": readable}
        )


@admin.register(AccessAttempt)
class AccessAttemptAdmin(AxesAccessAttemptAdmin):
    @admin.display(description=_("Hết hạn lúc"))
    def expiration(self, obj: AccessAttempt):
        return super().expiration(obj)

    @admin.display(description=_("Tình trạng"))
    def status(self, obj: AccessAttempt):
        return super().status(obj)
