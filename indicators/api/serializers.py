from rest_framework import serializers

from ..models import Agency, Indicator, Pillar, Plan, Target, Task


class AgencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "kind",
            "parent",
            "province",
            "email",
            "is_active",
            "exists_from",
            "exists_until",
        ]


class PlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = Plan
        fields = [
            "id",
            "number",
            "title",
            "issuer",
            "issued_on",
            "province",
            "year_from",
            "year_to",
            "quarterly_due_day",
            "quarterly_compile_day",
            "yearly_due",
            "yearly_compile",
        ]


class PillarSerializer(serializers.ModelSerializer):
    class Meta:
        model = Pillar
        fields = ["id", "code", "name", "order"]


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["id", "province", "code", *Indicator.DEFINITION]


class TargetSerializer(serializers.ModelSerializer):
    display = serializers.CharField(read_only=True)

    class Meta:
        model = Target
        fields = [
            "id",
            "indicator",
            "plan",
            "year",
            "section",
            "comparison",
            "value",
            "upper_value",
            "target_date",
            "display",
            "wording",
        ]


class TaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = Task
        fields = [
            "id",
            "plan",
            "number",
            "section",
            "content",
            "lead_wording",
            "coordinating_wording",
            "deadline_text",
            "deadline_date",
            "year_from",
            "year_to",
            "recurring",
            "product",
        ]
