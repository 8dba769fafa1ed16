from rest_framework import serializers

from ..models import IndicatorAssignment, ReportingObligation, TaskAssignment


class IndicatorAssignmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = IndicatorAssignment
        fields = ["id", "plan", "indicator", "year", "agency", "role", "title"]


class TaskAssignmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = TaskAssignment
        fields = ["id", "task", "agency", "role"]


class ReportingObligationSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportingObligation
        fields = ["id", "indicator", "agency", "year"]
