"""The catalogue by API, read-only (it changes in the admin, with its imports): thin
viewsets over ``readable_by``: the user's province and, read-only, those it continues."""

from rest_framework import viewsets

from dti_portal.api_filters import filterset_for

from ..models import Agency, Indicator, Pillar, Plan, Target, Task
from . import serializers


class AgencyViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.AgencySerializer
    filterset_class = filterset_for(
        Agency, province="province", kind="kind", parent="parent", is_active="is_active"
    )

    def get_queryset(self):
        return Agency.objects.readable_by(self.request.user).order_by("code")


class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.PlanSerializer
    filterset_class = filterset_for(Plan, province="province", year_from="year_from", year_to="year_to")

    def get_queryset(self):
        return Plan.objects.readable_by(self.request.user).order_by("-year_from", "number")


class PillarViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.PillarSerializer
    queryset = Pillar.objects.order_by("order", "code")  # the framework's, shared by every province


class IndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.IndicatorSerializer
    filterset_class = filterset_for(
        Indicator, province="province", pillar="pillar", measure_type="measure_type", frequency="frequency"
    )

    def get_queryset(self):
        return Indicator.objects.readable_by(self.request.user).order_by("pillar__order", "code")


class TargetViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.TargetSerializer
    filterset_class = filterset_for(
        Target,
        province="plan__province",
        plan="plan",
        year="year",
        indicator="indicator",
        pillar="indicator__pillar",
    )

    def get_queryset(self):
        return (
            Target.objects.readable_by(self.request.user)
            .select_related("indicator")
            .order_by("plan", "year", "id")
        )


class TaskViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.TaskSerializer
    filterset_class = filterset_for(Task, province="plan__province", plan="plan", recurring="recurring")

    def get_queryset(self):
        return Task.objects.readable_by(self.request.user).order_by("plan", "sort_key")
