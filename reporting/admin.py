"""Reporting in the Django admin: periods are edited here (dates, state); submissions
are shown read-only, because their status and values change only through services."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django_celery_beat.models import ClockedSchedule, SolarSchedule
from simple_history.admin import SimpleHistoryAdmin

from dti_portal.errors import DomainError
from indicators.admin import AgencyAdmin, ReadOnlyAdminMixin, VisibleToAdminMixin
from indicators.models import Agency, JudgingTarget

from . import services
from .choices import PeriodState, RollupTrigger
from .models import (
    ProvinceFigure,
    ReminderLog,
    ReportingPeriod,
    RollupRun,
    Submission,
    SubmissionEvent,
)
from .rollup.services import rollup_request

# The portal's schedules are crontabs; one-off and sunrise schedules only confuse.
for unused in (ClockedSchedule, SolarSchedule):
    if admin.site.is_registered(unused):
        admin.site.unregister(unused)


class VisibleOnlyAdmin(VisibleToAdminMixin, SimpleHistoryAdmin):
    pass


@admin.register(JudgingTarget)
class JudgingTargetAdmin(VisibleOnlyAdmin):
    """The DIC chooses which plan's target judges an indicator's year, where the
    precedence rule (the plan for that year first, then the latest issued) would pick
    another. Registered here, beside the roll-up: a choice made or withdrawn asks for
    the year's figures to be compiled again, so every page shows the new verdict."""

    list_display = ("indicator", "year", "target", "reason")
    list_filter = ("year",)
    search_fields = ("indicator__code", "indicator__name")
    list_select_related = ("indicator", "target__plan")
    autocomplete_fields = ("indicator",)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self._recompile(obj)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        self._recompile(obj)

    def _recompile(self, choice):
        periods = ReportingPeriod.objects.filter(province_id=choice.indicator.province_id, year=choice.year)
        rollup_request(periods=list(periods), trigger=RollupTrigger.MANUAL)


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(VisibleOnlyAdmin):
    list_display = ("__str__", "year", "quarter", "opens_on", "due_on", "compile_on", "state")
    list_filter = (("province", admin.RelatedOnlyFieldListFilter), "year", "state")
    list_select_related = ("province",)
    actions = ["open_year", "open_next_year", "close_periods", "reopen_periods"]

    def get_readonly_fields(self, request, obj=None):
        # Once a period exists, which province, year and quarter it is stays fixed.
        return ("province", "year", "quarter") if obj else ()

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "due_on" in form.changed_data:
            # The agencies' own due dates follow the period's new one.
            services.submission_deadlines_refresh(period=obj)

    @admin.action(description=_("Tạo các kỳ còn thiếu và báo cáo của đơn vị cho năm của các kỳ đã chọn"))
    def open_year(self, request, queryset):
        for province, year in sorted(
            {(p.province, p.year) for p in queryset.select_related("province")},
            key=lambda t: (t[0].code, t[1]),
        ):
            self._run(request, services.periods_open, province=province, year=year, actor=request.user)

    @admin.action(description=_("Mở các kỳ báo cáo của năm sau cho tỉnh của các kỳ đã chọn"))
    def open_next_year(self, request, queryset):
        for province, year in sorted(
            {(p.province, p.year + 1) for p in queryset.select_related("province")},
            key=lambda t: (t[0].code, t[1]),
        ):
            self._run(request, services.periods_open, province=province, year=year, actor=request.user)

    @admin.action(description=_("Đóng nhập liệu các kỳ đã chọn"))
    def close_periods(self, request, queryset):
        for period in queryset:
            self._run(
                request,
                services.period_set_state,
                period=period,
                state=PeriodState.CLOSED,
                actor=request.user,
            )

    @admin.action(description=_("Mở lại nhập liệu các kỳ đã chọn"))
    def reopen_periods(self, request, queryset):
        for period in queryset:
            self._run(
                request, services.period_set_state, period=period, state=PeriodState.OPEN, actor=request.user
            )

    def _run(self, request, service, **kwargs):
        try:
            service(**kwargs)
        except DomainError as error:
            self.message_user(request, error.message, messages.ERROR)
        else:
            self.message_user(request, _("Đã thực hiện."), messages.SUCCESS)


class SubmissionEventInline(admin.TabularInline):
    model = SubmissionEvent
    fields = ("at", "actor", "from_status", "to_status", "comment")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdminMixin, VisibleOnlyAdmin):
    """Read-only: return, approve and reopen on the portal's pages, which call the services."""

    list_display = ("agency", "period", "status", "version", "submitted_at", "approved_at")
    list_filter = ("status", ("period", admin.RelatedOnlyFieldListFilter))
    search_fields = ("agency__name", "agency__code")
    list_select_related = ("agency", "period__province")
    inlines = [SubmissionEventInline]


class ReadOnlyAdmin(ReadOnlyAdminMixin, VisibleToAdminMixin, admin.ModelAdmin):
    """Rows written by the jobs: read in the admin, never edited there."""


@admin.register(ProvinceFigure)
class ProvinceFigureAdmin(ReadOnlyAdmin):
    list_display = (
        "indicator",
        "period",
        "value",
        "approved_agencies",
        "required_agencies",
        "status",
        "compiled_at",
    )
    list_filter = ("status", ("period", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("indicator", "period__province")
    search_fields = ("indicator__code", "indicator__name")


@admin.register(RollupRun)
class RollupRunAdmin(ReadOnlyAdmin):
    list_display = (
        "period",
        "state",
        "trigger",
        "requested_at",
        "finished_at",
        "figure_count",
        "approved_submissions",
        "required_submissions",
    )
    list_filter = ("state", "trigger")
    list_select_related = ("period__province",)


@admin.register(ReminderLog)
class ReminderLogAdmin(ReadOnlyAdmin):
    list_display = ("day", "kind", "agency", "period", "recipients", "sent_at")
    list_filter = ("kind", "day")
    list_select_related = ("agency", "period__province")
    search_fields = ("agency__name", "recipients")


class CollectedAgencyAdmin(AgencyAdmin):
    """The agencies' admin, where the DIC also marks a body that does not report
    itself (``Agency.reported_by``). The form checks the collector (``Agency.clean``);
    the change is made by ``agency_collector_set``, which moves the body's obligations
    and its untouched reports to the collector."""

    readonly_fields = ()

    def save_model(self, request, obj, form, change):
        if not (change and "reported_by" in form.changed_data):
            super().save_model(request, obj, form, change)
            return
        collector = obj.reported_by
        obj.reported_by = form.initial_reported_by  # the service writes the new one
        super().save_model(request, obj, form, change)
        result = services.agency_collector_set(agency=obj, collector=collector, actor=request.user)
        obj.reported_by = collector
        if collector is None:
            messages.success(request, _("%(agency)s tự báo cáo từ nay.") % {"agency": obj.label})
            return
        names = {"agency": obj.label, "collector": collector.label, "years": _years(result.moved_years)}
        messages.success(
            request,
            (
                _("Số liệu của %(agency)s do %(collector)s nhập: đã chuyển nghĩa vụ báo cáo năm %(years)s.")
                if result.moved_years
                else _("Số liệu của %(agency)s do %(collector)s nhập.")
            )
            % names,
        )
        if result.kept_years:
            messages.warning(
                request,
                _(
                    "%(agency)s đã bắt đầu báo cáo năm %(years)s nên năm đó giữ nguyên (số liệu đã nhập "
                    "không bị chuyển hay mất)."
                )
                % {"agency": obj.label, "years": _years(result.kept_years)},
            )

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        initial = obj.reported_by if obj is not None else None

        class CollectorForm(form):  # type: ignore[misc, valid-type]
            initial_reported_by = initial

        return CollectorForm


def _years(years: list[int]) -> str:
    return ", ".join(str(year) for year in years)


admin.site.unregister(Agency)
admin.site.register(Agency, CollectedAgencyAdmin)
