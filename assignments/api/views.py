"""Who leads, monitors, coordinates and reports what, by API (read-only)."""

from rest_framework import viewsets

from ..models import IndicatorAssignment, ReportingObligation, TaskAssignment
from . import serializers


class IndicatorAssignmentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.IndicatorAssignmentSerializer
    filterset_fields = ["plan", "indicator", "year", "agency", "role", "plan__province", "indicator__pillar"]

    def get_queryset(self):
        return IndicatorAssignment.objects.visible_to(self.request.user).order_by("plan", "year", "indicator", "id")


class TaskAssignmentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.TaskAssignmentSerializer
    filterset_fields = ["task", "agency", "role", "task__plan"]

    def get_queryset(self):
        return TaskAssignment.objects.visible_to(self.request.user).order_by("task", "id")


class ReportingObligationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.ReportingObligationSerializer
    filterset_fields = ["indicator", "agency", "year"]

    def get_queryset(self):
        return ReportingObligation.objects.visible_to(self.request.user).order_by("year", "agency", "indicator")
