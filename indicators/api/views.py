"""The catalogue by API, read-only (it changes in the admin, with its imports): thin
viewsets over ``visible_to``."""

from rest_framework import viewsets

from ..models import Agency, Indicator, Pillar, Plan, Target, Task
from . import serializers


class AgencyViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.AgencySerializer
    filterset_fields = ["province", "kind", "parent", "is_active"]

    def get_queryset(self):
        return Agency.objects.visible_to(self.request.user).order_by("code")


class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.PlanSerializer
    filterset_fields = ["province"]

    def get_queryset(self):
        return Plan.objects.visible_to(self.request.user).order_by("-year_from", "number")


class PillarViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.PillarSerializer
    queryset = Pillar.objects.order_by("order", "code")  # the framework's, shared by every province


class IndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.IndicatorSerializer
    filterset_fields = ["province", "pillar", "measure_type", "frequency"]

    def get_queryset(self):
        return Indicator.objects.visible_to(self.request.user).order_by("pillar__order", "code")


class TargetViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.TargetSerializer
    filterset_fields = ["plan", "year", "indicator", "indicator__pillar", "plan__province"]

    def get_queryset(self):
        return Target.objects.visible_to(self.request.user).select_related("indicator").order_by("plan", "year", "id")


class TaskViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.TaskSerializer
    filterset_fields = ["plan", "plan__province", "recurring"]

    def get_queryset(self):
        return Task.objects.visible_to(self.request.user).order_by("plan", "sort_key")
