"""Pages of the plan catalogue. Every page needs a login (LoginRequiredMiddleware)
and shows only what ``readable_by(user)`` allows: the user's province and, labelled
with its name, the provinces it continues."""

from __future__ import annotations

from django.conf import settings
from django.views.generic import ListView, TemplateView

from . import selectors
from .filters import IndicatorFilter, TaskFilter


class PortalListView(ListView):
    paginate_by = settings.PORTAL_PAGE_SIZE


class PlanListView(PortalListView):
    template_name = "indicators/plan_list.html"
    context_object_name = "plans"

    def get_queryset(self):
        return selectors.plan_list(user=self.request.user)


class PlanDetailView(TemplateView):
    template_name = "indicators/plan_detail.html"

    def get_context_data(self, **kwargs):
        plan = selectors.plan_get_for_user(user=self.request.user, pk=self.kwargs["pk"])
        return super().get_context_data(
            **kwargs, plan=plan, sections=selectors.plan_targets_by_section(plan=plan)
        )


class PlanTaskListView(PortalListView):
    template_name = "indicators/plan_tasks.html"
    context_object_name = "tasks"

    def get_queryset(self):
        self.plan = selectors.plan_get_for_user(user=self.request.user, pk=self.kwargs["pk"])
        self.filterset, queryset = selectors.task_list(
            user=self.request.user, plan=self.plan, filterset_class=TaskFilter, data=self.request.GET
        )
        return queryset

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, plan=self.plan, filter=self.filterset)


class IndicatorListView(PortalListView):
    template_name = "indicators/indicator_list.html"
    context_object_name = "indicators"

    def get_queryset(self):
        self.filterset, queryset = selectors.indicator_list(
            user=self.request.user, filterset_class=IndicatorFilter, data=self.request.GET
        )
        return queryset

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, filter=self.filterset)


class IndicatorDetailView(TemplateView):
    template_name = "indicators/indicator_detail.html"

    def get_context_data(self, **kwargs):
        indicator = selectors.indicator_get_for_user(user=self.request.user, pk=self.kwargs["pk"])
        return super().get_context_data(
            **kwargs, indicator=indicator, targets=selectors.indicator_targets(indicator=indicator)
        )


class AgencyListView(PortalListView):
    template_name = "indicators/agency_list.html"
    context_object_name = "agencies"
    paginate_by = 100

    def get_queryset(self):
        return selectors.agency_list(user=self.request.user)


class AgencyDetailView(TemplateView):
    template_name = "indicators/agency_detail.html"

    def get_context_data(self, **kwargs):
        agency = selectors.agency_get_for_user(user=self.request.user, pk=self.kwargs["pk"])
        return super().get_context_data(
            **kwargs, agency=agency, **selectors.agency_responsibilities(agency=agency)
        )
