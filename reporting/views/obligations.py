"""The page that gives indicators their reporting agencies ("Chỉ tiêu chưa giao đơn vị
báo cáo"). It lives in ``reporting`` because assigning must also reach the open
periods' reports (``services.obligations_assign_and_prepare``); the catalogue's rules
are ``assignments``' (its selectors, form and service)."""

from __future__ import annotations

from itertools import groupby
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView

from assignments import selectors
from assignments.forms import ObligationsAssignForm
from dti_portal.errors import DomainError
from indicators.access import user_province_id
from indicators.choices import AgencyKind
from indicators.models import Agency, Indicator

from .. import services
from ..access import may_review_province, refuse

__all__ = ["UnassignedIndicatorsView"]


class UnassignedIndicatorsView(TemplateView):
    """ "Chỉ tiêu chưa giao đơn vị báo cáo": the indicators of a year's targets that no
    agency must report, and a form that gives them reporting agencies in bulk. DIC
    officers of the province and administrators (who choose the province); everyone
    else gets 403. The whole list is shown, with its count, not paginated: a
    province's catalogue holds tens of indicators, and a selection must not be lost
    between pages."""

    template_name = "assignments/unassigned.html"

    def dispatch(self, request, *args, **kwargs):
        # The DIC's page: the reviewers' rule of reporting.access, refused as other pages refuse.
        if request.user.is_authenticated and not may_review_province(request.user):
            refuse(request, type(self).__name__)
        return super().dispatch(request, *args, **kwargs)

    def resolve(self, data, *, posted: bool = False) -> None:
        """The province (an administrator's choice, else the user's) and the year: the
        one asked for if a plan sets targets for it (a posted year is kept as posted),
        else this year if one does, else the latest such year before it, else the
        first one after."""
        user = self.request.user
        self.provinces = list(Agency.objects.visible_to(user).provinces().order_by("code"))
        by_pk = {str(p.pk): p for p in self.provinces}
        self.province = (
            by_pk.get(data.get("province", ""))
            or by_pk.get(str(user_province_id(user)))
            or (self.provinces[0] if self.provinces else None)
        )
        self.years = selectors.target_years(province=self.province) if self.province else []
        asked = data.get("year", "")
        this_year = timezone.localdate().year
        if asked.isdigit() and (int(asked) in self.years or (posted and 2000 <= int(asked) <= 2100)):
            self.year = int(asked)
            return
        past = [year for year in self.years if year <= this_year]
        self.year = past[0] if past else (self.years[-1] if self.years else this_year)
        if asked and self.years:
            messages.info(
                self.request,
                _(
                    "Các kế hoạch của %(province)s không đặt mức kế hoạch cho năm %(asked)s; "
                    "đang hiện năm %(year)s."
                )
                % {
                    "province": self.province.label,
                    "asked": asked[:4],
                    "year": self.year,
                },
            )

    def build_form(self, data=None) -> ObligationsAssignForm:
        user = self.request.user
        return ObligationsAssignForm(
            data,
            initial={"year": self.year},
            indicators=Indicator.objects.visible_to(user),
            agencies=Agency.objects.visible_to(user),
        )

    def page_url(self) -> str:
        query = {"year": self.year}
        if len(self.provinces) > 1 and self.province:
            query["province"] = self.province.pk
        return f"{reverse('reporting:unassigned-indicators')}?{urlencode(query)}"

    def get(self, request, *args, **kwargs):
        self.resolve(request.GET)
        return self.render_to_response(self.get_context_data(form=self.build_form()))

    def post(self, request, *args, **kwargs):
        self.resolve(request.POST, posted=True)
        form = self.build_form(request.POST)
        if not form.is_valid():
            for field in ("indicators", "agencies", "role", "year"):
                for error in form.errors.get(field, []):
                    messages.error(request, error)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        data = form.cleaned_data
        try:
            result, prepared = services.obligations_assign_and_prepare(
                indicators=data["indicators"],
                agencies=data["agencies"],
                year=data["year"],
                actor=request.user,
                role=data["role"],
            )
        except DomainError as error:
            messages.error(request, error.message)
            return self.render_to_response(self.get_context_data(form=form), status=error.http_status)
        self.province, self.year = result.province, result.year
        self.report(result, prepared, len(data["indicators"]), len(data["agencies"]))
        return HttpResponseRedirect(self.page_url())

    def report(self, result, prepared: tuple[int, int], indicator_count: int, agency_count: int) -> None:
        if not result.created and not result.assignments_created:
            messages.info(
                self.request,
                _(
                    "Không có gì thay đổi: các đơn vị đã chọn đều đã phải báo cáo các chỉ tiêu này "
                    "trong năm %(year)s."
                )
                % {"year": result.year},
            )
            return
        text = ngettext(
            "Đã giao %(indicators)s chỉ tiêu cho %(agencies)s đơn vị báo cáo năm %(year)s",
            "Đã giao %(indicators)s chỉ tiêu cho %(agencies)s đơn vị báo cáo năm %(year)s",
            indicator_count,
        ) % {"indicators": indicator_count, "agencies": agency_count, "year": result.year}
        details = [_("%(created)s nghĩa vụ báo cáo mới") % {"created": len(result.created)}]
        if result.existing:
            details.append(_("%(existing)s đã có từ trước, giữ nguyên") % {"existing": result.existing})
        if result.assignments_created:
            details.append(_("%(roles)s phân công vai trò") % {"roles": result.assignments_created})
        periods, submissions = prepared
        if periods:
            details.append(
                _("báo cáo chưa gửi của %(periods)s kỳ đang mở đã có thêm các chỉ tiêu này")
                % {"periods": periods}
            )
        if submissions:
            details.append(_("%(submissions)s báo cáo được tạo mới") % {"submissions": submissions})
        messages.success(self.request, f"{text} ({'; '.join(details)}).")

    def get_context_data(self, **kwargs):
        indicators = (
            selectors.indicators_without_reporters(province=self.province, year=self.year)
            if self.province
            else []
        )
        agencies = list(selectors.reporting_agencies(province=self.province)) if self.province else []
        form = kwargs["form"]
        chosen = {str(v) for v in (form["indicators"].value() or [])}
        chosen_agencies = {str(v) for v in (form["agencies"].value() or [])}
        return super().get_context_data(
            provinces=self.provinces,
            province=self.province,
            years=sorted({*self.years, self.year}, reverse=True),
            year=self.year,
            has_targets=bool(self.years),
            indicators=indicators,
            chosen=chosen,
            chosen_agencies=chosen_agencies,
            agency_groups=[
                (AgencyKind(kind).label, list(rows)) for kind, rows in groupby(agencies, key=lambda a: a.kind)
            ],
            **kwargs,
        )
