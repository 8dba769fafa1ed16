"""The dashboards: the steering committee's overview, an indicator's trend and
drill-down, the agencies, the DIC's desk and the yearly ranking. Read-only pages for
DIC officers, steering-committee members and administrators of the province."""

from __future__ import annotations

import tempfile

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template import Context
from django.utils import timezone, translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from dti_portal import caching
from indicators.formatting import format_number, quarter_name
from indicators.models import Agency, Indicator, Target

from ..access import may_review_province, refuse, user_agency_id
from ..choices import STATUS_COLOURS
from ..exports.report import ministry_report
from ..exports.services import export_job_request
from ..exports.workbook import ministry_workbook
from ..forms import DashboardFilterForm
from ..models import ExportJob, ReportingPeriod
from ..selectors import dashboards
from .workflow import ProvinceReaderMixin

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

__all__ = [
    "AgencyDashboardView",
    "CachedBodyMixin",
    "DicDashboardView",
    "ExportJobDownloadView",
    "ExportJobView",
    "MinistryExportView",
    "IndicatorDashboardView",
    "RankingView",
    "SteeringDashboardView",
]


class DashboardMixin(ProvinceReaderMixin):
    """Resolves the filters (province, year, quarter, pillar, plan) into ``dash``."""

    def resolved_filters(self) -> dict:
        return self.filter_form.resolved()

    def get_context_data(self, **kwargs):
        self.filter_form = DashboardFilterForm(self.request.GET or None, user=self.request.user)
        self.dash = self.resolved_filters()
        return super().get_context_data(
            filter_form=self.filter_form, dash=self.dash, today=timezone.localdate(), **kwargs
        )


class DicOnlyMixin:
    """Pages for the province's DIC (and administrators) only: 403 for everyone else."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_review_province(request.user):
            refuse(request, type(self).__name__)
        return super().dispatch(request, *args, **kwargs)


class CachedBodyMixin:
    """A page whose part below the filters is kept in Django's cache
    (``dti_portal.caching``) under everything it reads: the catalogue, the page's own
    ``body_stamp()``, the filters as resolved, the address (its links carry the query)
    and who reads it. The rest (header, filters, the user's menu) is drawn each time.

    ``body_context()`` computes what ``body_template_name`` shows: only on a miss, and
    after the stamps were read, so that a change committed between the two is stored
    under the old key, never old data under the new one."""

    body_template_name: str

    def body_stamp(self) -> tuple:
        """What the body reads besides the catalogue (the roll-up, the reports)."""
        raise NotImplementedError

    def body_context(self) -> dict:
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = {name: getattr(value, "pk", value) for name, value in self.dash.items()}
        # Read now, before ``body_context()`` reads the body's data.
        key = caching.page_key(
            type(self).__name__,
            (
                caching.catalogue_stamp(),
                self.body_stamp(),
                caching.visibility(self.request.user),
                self.request.get_full_path(),
                sorted(filters.items(), key=lambda item: item[0]),
            ),
        )
        self.body_key = key
        return context

    def body_html(self, context: Context) -> SafeString:
        """The body for the page's ``{% page_body %}``: kept, or drawn in the page's
        own context (its context processors ran once) with ``body_context()``."""

        def render() -> str:
            with context.push(self.body_context()):
                return context.template.engine.get_template(self.body_template_name).render(context)

        return caching.cached_page(self.body_key, render)


def _province_ids(dash: dict) -> list[int]:
    """The province shown and those it continues, whose figures a page may show."""
    province = dash["province"]
    return ([province.pk] if province else []) + list(dash["predecessor_ids"] or [])


def _number(value) -> float | None:
    return None if value is None else float(value)


class SteeringDashboardView(CachedBodyMixin, DashboardMixin, TemplateView):
    """Where the province stands against the plan: a bar of the count in each status
    for the province and for each pillar (worst first), and, folded under each pillar,
    every indicator's figure, target, status and what the status rests on. Drawn on
    the server (no script needed), the bars' lengths the selector's percentages.
    Cached until the roll-up or the catalogue changes."""

    template_name = "reporting/dashboard/overview.html"
    body_template_name = "reporting/dashboard/_overview_body.html"

    def body_stamp(self) -> tuple:
        return dashboards.figures_stamp(province_ids=_province_ids(self.dash))

    def body_context(self) -> dict:
        result = dashboards.overview(
            period=self.dash["period"], pillar=self.dash["pillar"], plan=self.dash["plan"]
        )
        # A year before a merged province existed: its predecessors' figures.
        former = None
        if self.dash["period"] is None and self.dash["year"] and self.dash["predecessor_ids"]:
            former = dashboards.former_overview(
                province=self.dash["province"],
                year=self.dash["year"],
                quarter=self.dash["quarter"],
                predecessor_ids=self.dash["predecessor_ids"],
            )
        founded = getattr(self.dash["province"], "exists_from", None)
        unreported = (
            dashboards.predecessors_unreported(province=self.dash["province"], year=self.dash["year"])
            if self.dash["predecessor_ids"] and self.dash["year"]
            else []
        )
        return {
            "overview": result,
            "former": former,
            "predecessors_unreported": unreported,
            # The year of a merger: its first quarters come from the old provinces.
            "founded_this_year": (
                founded
                if founded and self.dash["predecessor_ids"] and founded.year == self.dash["year"]
                else None
            ),
            "colours": STATUS_COLOURS,
            "coverage_threshold": settings.ROLLUP_COVERAGE_THRESHOLD,
        }


class IndicatorDashboardView(CachedBodyMixin, DashboardMixin, TemplateView):
    """One indicator: its province figure over the quarters and years against its
    target line, and every agency's approved value, note and evidence in a period.
    Cached until the roll-up, a report of the province or the catalogue changes."""

    template_name = "reporting/dashboard/indicator.html"
    body_template_name = "reporting/dashboard/_indicator_body.html"

    def get_context_data(self, **kwargs):
        self.indicator = (
            Indicator.objects.readable_by(self.request.user)
            .select_related("pillar")
            .filter(pk=self.kwargs["pk"])
            .first()
        )
        if self.indicator is None:
            raise Http404(_("Không tìm thấy chỉ tiêu."))
        return super().get_context_data(indicator=self.indicator, **kwargs)

    def body_stamp(self) -> tuple:
        # The indicator's province's figures, and the agencies' approved values.
        return (
            dashboards.figures_stamp(province_ids=[self.indicator.province_id]),
            dashboards.approved_stamp(),
        )

    def body_context(self) -> dict:
        indicator = self.indicator
        trend = dashboards.indicator_trend(indicator=indicator)
        # The drill-down shows the period asked for, else the dashboard's, else the
        # latest with a figure.
        wanted = {str(self.request.GET.get("period")), str(getattr(self.dash["period"], "pk", ""))}
        period = next((p.period for p in trend if str(p.period.pk) in wanted), None) or next(
            (p.period for p in reversed(trend) if p.figure and p.figure.value is not None), None
        )
        flow = indicator.rollup_time == "flow"
        # One kind of period on the axis: the quarters (a year is not a point between
        # them; the table lists the years), or the years of a yearly indicator.
        charted = [p for p in trend if p.period.quarter is not None] or trend
        chart = {
            "labels": [str(p.period.name) for p in charted],
            "figures": [_number(p.charted) for p in charted],
            "targets": [_number(p.target.value) if p.target else None for p in charted],
            "figureLabel": _("Số liệu của tỉnh, lũy kế từ đầu năm") if flow else _("Số liệu của tỉnh"),
            "targetLabel": _("Mức kế hoạch năm"),
            "unit": indicator.unit,
        }
        year = period.year if period else (trend[-1].period.year if trend else None)
        values = dashboards.indicator_values(indicator=indicator, period=period) if period else []
        return {
            "trend": trend,
            "trend_chart": chart,
            "drill_period": period,
            "target_year": year,
            "year_targets": Target.objects.of_year(indicator=indicator, year=year) if year else [],
            "values": values,
            "comparison": dashboards.agency_comparison(indicator=indicator, values=values, trend=trend),
            "lineage": dashboards.indicator_lineage(indicator=indicator),
        }


class AgencyDashboardView(DashboardMixin, TemplateView):
    """Who sends on time, who is late, what came back; tasks by status, late first."""

    template_name = "reporting/dashboard/agencies.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        province, year = self.dash["province"], self.dash["year"]
        if not (province and year):
            return {**context, "rows": [], "tasks": []}
        rows = dashboards.agency_punctuality(province=province, year=year, today=context["today"])
        charted = [r for r in rows if r.rate is not None]
        chart = {
            "labels": [r.agency.label for r in charted],
            "values": [_number(r.rate) for r in charted],
            "label": _("Tỷ lệ gửi đúng hạn (%)"),
        }
        return {
            **context,
            "rows": rows,
            "tasks": dashboards.task_progress(province=province, year=year),
            "punctuality_chart": chart,
            "chart_height": min(80 + 22 * len(charted), 640),
        }


class DicDashboardView(DicOnlyMixin, DashboardMixin, TemplateView):
    """The DIC's desk: review workload, reminders sent, the roll-up's runs and coverage."""

    template_name = "reporting/dashboard/dic.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        province, year = self.dash["province"], self.dash["year"]
        desk = (
            dashboards.dic_desk(province=province, year=year, today=context["today"])
            if province and year
            else None
        )
        return {**context, "desk": desk}


class RankingView(DashboardMixin, TemplateView):
    """The yearly ranking of departments, districts and communes, with its formula."""

    template_name = "reporting/dashboard/ranking.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        province, year = self.dash["province"], self.dash["year"]
        groups = (
            dashboards.yearly_ranking(province=province, year=year, today=context["today"])
            if province and year
            else {}
        )
        kinds = dict(dashboards.AgencyKind.choices)
        # The weights as they count: normalised to 100 %.
        total = sum(settings.RANKING_WEIGHTS.values()) or 1
        weights = {
            name: format_number(round(value * 100 / total))
            for name, value in settings.RANKING_WEIGHTS.items()
        }
        return {
            **context,
            "groups": [(kinds[kind], rows) for kind, rows in groups.items()],
            "weights": weights,
        }


class MinistryExportView(ProvinceReaderMixin, View):
    """The ministry's workbook of the chosen period: at once when small, else written
    in the background with its progress shown."""

    def get(self, request, *args, **kwargs):
        period = DashboardFilterForm(request.GET or None, user=request.user).resolved()["period"]
        if period is None:
            messages.error(request, _("Chưa có kỳ báo cáo này."))
            return redirect("reporting:dashboard")
        with translation.override(settings.LANGUAGE_CODE):  # the ministry reads Vietnamese
            report = ministry_report(period=period)
            if report.value_count > settings.EXPORT_SYNC_MAX_VALUES:
                return redirect(export_job_request(period=period, actor=request.user))
            handle = tempfile.TemporaryFile()
            ministry_workbook(report, handle)
        handle.seek(0)
        return FileResponse(
            handle,
            as_attachment=True,
            filename=f"bao-cao-bo-{period.province.code}-{period.code}.xlsx",
            content_type=XLSX,
        )


class ExportJobView(ProvinceReaderMixin, TemplateView):
    """A background export's progress, and its file once ready (for the one who asked)."""

    template_name = "reporting/dashboard/export_job.html"

    def get_context_data(self, **kwargs):
        job = _job_for(self.request, self.kwargs["pk"])
        return super().get_context_data(job=job, **kwargs)


class ExportJobDownloadView(ProvinceReaderMixin, View):
    def get(self, request, pk):
        job = _job_for(request, pk)
        if not job.file:
            raise Http404(_("Tệp chưa sẵn sàng."))
        try:
            handle = job.file.open("rb")
        except FileNotFoundError:
            raise Http404(_("Tệp không còn trên máy chủ; hãy tạo lại.")) from None
        return FileResponse(
            handle, as_attachment=True, filename=job.file.name.rsplit("/", 1)[-1], content_type=XLSX
        )


def _job_for(request, pk):
    job = (
        # A workbook of a province the user's continues is a read like its dashboard.
        ExportJob.objects.readable_by(request.user)
        .select_related("period")
        .filter(pk=pk, requested_by=request.user)
        .first()
    )
    if job is None:
        raise Http404(_("Không tìm thấy tệp báo cáo."))
    return job


class OwnFiguresView(TemplateView):
    """A department's own figures, targets and rank, read-only, for its staff (and
    anyone with an agency: the page is about the user's own agency only)."""

    template_name = "reporting/dashboard/own.html"

    def get_context_data(self, **kwargs):
        agency_id = user_agency_id(self.request.user)
        if agency_id is None:
            refuse(self.request, type(self).__name__)
        agency = Agency.objects.get(pk=agency_id)
        today = timezone.localdate()
        years = sorted(
            set(
                ReportingPeriod.objects.filter(province=agency.province or agency).values_list(
                    "year", flat=True
                )
            ),
            reverse=True,
        ) or [today.year]
        try:
            year = int(self.request.GET.get("year", ""))
        except ValueError:
            year = next((y for y in years if y <= today.year), years[0])
        if year not in years:
            raise Http404(_("Chưa có kỳ báo cáo nào của năm này."))
        return super().get_context_data(
            agency=agency,
            year=year,
            years=years,
            own=dashboards.own_figures(agency=agency, year=year, today=today),
            quarters=[quarter_name(q, year) for q in (1, 2, 3, 4)],
            **kwargs,
        )
