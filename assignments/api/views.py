"""Who leads, monitors, coordinates and reports what, by API (read-only)."""

from rest_framework import viewsets

from dti_portal.api_filters import filterset_for

from ..models import IndicatorAssignment, ReportingObligation, TaskAssignment
from . import serializers


class IndicatorAssignmentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.IndicatorAssignmentSerializer
    filterset_class = filterset_for(
        IndicatorAssignment,
        province="plan__province",
        plan="plan",
        indicator="indicator",
        pillar="indicator__pillar",
        year="year",
        agency="agency",
        role="role",
    )

    def get_queryset(self):
        return IndicatorAssignment.objects.visible_to(self.request.user).order_by(
            "plan", "year", "indicator", "id"
        )


class TaskAssignmentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.TaskAssignmentSerializer
    filterset_class = filterset_for(
        TaskAssignment,
        province="task__plan__province",
        plan="task__plan",
        task="task",
        agency="agency",
        role="role",
    )

    def get_queryset(self):
        return TaskAssignment.objects.visible_to(self.request.user).order_by("task", "id")


class ReportingObligationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.ReportingObligationSerializer
    filterset_class = filterset_for(
        ReportingObligation,
        province="indicator__province",
        indicator="indicator",
        pillar="indicator__pillar",
        agency="agency",
        year="year",
    )

    def get_queryset(self):
        return ReportingObligation.objects.visible_to(self.request.user).order_by(
            "year", "agency", "indicator"
        )
