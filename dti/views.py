"""The DTI pages: the provisional score of the year set against the ministry's
published one, and the evidence package (on the page and as one zip). They share the
dashboards' filters and header (``reporting.views.dashboards``)."""

from __future__ import annotations

import tempfile

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from reporting.forms import DashboardFilterForm
from reporting.selectors import dashboards as reporting_selectors
from reporting.views.dashboards import CachedBodyMixin, DashboardMixin, DicOnlyMixin

from . import selectors
from .exports import evidence_package_zip

__all__ = ["DtiEvidenceDownloadView", "DtiEvidenceView", "DtiScoreView"]


def _dti_dash(request, dash: dict) -> dict:
    """The DTI pages open on the year being assessed while its window is open (in
    April and May the next year's periods exist already), unless a year is asked for."""
    if "year" in request.GET or dash["province"] is None:
        return dash
    year = selectors.assessment_year(province=dash["province"], today=timezone.localdate())
    return {**dash, "year": year} if year else dash


class DtiEvidenceView(DicOnlyMixin, DashboardMixin, TemplateView):
    """The evidence package of the year's assessment: per component the figure, its
    source agencies and evidence documents, and the checklist of what is missing."""

    template_name = "dti/evidence.html"

    def resolved_filters(self) -> dict:
        return _dti_dash(self.request, super().resolved_filters())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        province, year = self.dash["province"], self.dash["year"]
        package = selectors.evidence_package(province=province, year=year) if province and year else None
        return {**context, "package": package}


class DtiEvidenceDownloadView(DicOnlyMixin, View):
    """The evidence package as one zip: the index workbook and every evidence file."""

    def get(self, request, *args, **kwargs):
        dash = _dti_dash(request, DashboardFilterForm(request.GET or None, user=request.user).resolved())
        province, year = dash["province"], dash["year"]
        if not (province and year):
            messages.error(request, _("Chọn tỉnh và năm của hồ sơ minh chứng."))
            return redirect("dti:evidence")
        handle = tempfile.TemporaryFile()
        try:
            with translation.override(settings.LANGUAGE_CODE):  # the ministry reads Vietnamese
                evidence_package_zip(selectors.evidence_package(province=province, year=year), handle)
        except FileNotFoundError:
            # A file removed between the package's check and the copy: build it again.
            handle.close()
            messages.error(
                request,
                _("Một tệp minh chứng vừa bị xoá khỏi máy chủ trong lúc lập hồ sơ: hãy tải hồ sơ lần nữa."),
            )
            return redirect(f"{reverse('dti:evidence')}?{request.GET.urlencode()}")
        except BaseException:
            handle.close()
            raise
        handle.seek(0)
        return FileResponse(
            handle,
            as_attachment=True,
            content_type="application/zip",
            filename=f"minh-chung-dti-{province.code}-{year}.zip",
        )


class DtiScoreView(CachedBodyMixin, DashboardMixin, TemplateView):
    """The provisional DTI score of the year: the index, where points are lost, which
    components have no data, which the ministry measures itself. Cached until the
    roll-up or the catalogue (frameworks, assessments, published scores) changes."""

    template_name = "dti/score.html"
    body_template_name = "dti/_score_body.html"

    def resolved_filters(self) -> dict:
        return _dti_dash(self.request, super().resolved_filters())

    def body_stamp(self) -> tuple:
        province = self.dash["province"]
        return reporting_selectors.figures_stamp(province_ids=[province.pk] if province else [])

    def body_context(self) -> dict:
        province, year = self.dash["province"], self.dash["year"]
        return {"dti": selectors.dti_score(province=province, year=year) if province and year else None}
