"""FilterSets of the reporting lists, shared by pages and the API."""

from __future__ import annotations

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dti_portal.collation import vietnamese
from dti_portal.forms import ModelChoiceFilter
from indicators.models import Agency

from .choices import SubmissionStatus
from .models import ReportingPeriod, Submission


class SubmissionFilter(django_filters.FilterSet):
    """The DIC's review queue: by period, status and agency, among what the user sees."""

    period = ModelChoiceFilter(
        label=_("Kỳ báo cáo"), queryset=ReportingPeriod.objects.none(), empty_label=_("Mọi kỳ")
    )
    status = django_filters.ChoiceFilter(
        label=_("Trạng thái"), choices=SubmissionStatus.choices, empty_label=_("Mọi trạng thái")
    )
    agency = ModelChoiceFilter(
        label=_("Cơ quan, đơn vị"), queryset=Agency.objects.none(), empty_label=_("Mọi đơn vị")
    )

    overdue = django_filters.BooleanFilter(label=_("Quá hạn chưa gửi"), method="filter_overdue")

    class Meta:
        model = Submission
        fields = ["period", "status", "agency", "overdue"]

    def filter_overdue(self, queryset, name, value):
        late = queryset.overdue(timezone.localdate()).values("pk")
        return queryset.filter(pk__in=late) if value else queryset.exclude(pk__in=late)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        user = user or self.request.user  # pages pass the user, the API the request
        self.filters["period"].queryset = (
            ReportingPeriod.objects.visible_to(user).select_related("province").order_by("-year", "quarter")
        )
        self.filters["agency"].queryset = Agency.objects.filter(
            pk__in=Submission.objects.visible_to(user).values("agency_id")
        ).order_by("kind", vietnamese("name"))


class SubmissionApiFilter(SubmissionFilter):
    """The queue's filters, and for the API the period's province, year and quarter."""

    province = django_filters.NumberFilter(field_name="period__province", min_value=1, max_value=2**63 - 1)
    year = django_filters.NumberFilter(field_name="period__year", min_value=2000, max_value=2100)
    quarter = django_filters.NumberFilter(field_name="period__quarter", min_value=1, max_value=4)

    class Meta(SubmissionFilter.Meta):
        fields = [*SubmissionFilter.Meta.fields, "province", "year", "quarter"]
