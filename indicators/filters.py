"""One FilterSet per list, shared by the HTML pages and (later) the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dti_portal.collation import vietnamese
from dti_portal.forms import ModelChoiceFilter

from .models import Agency, Indicator, Pillar, Plan, Task


class IndicatorFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Tìm theo tên, mã"))
    province = ModelChoiceFilter(
        queryset=Agency.objects.provinces(), label=_("Tỉnh"), empty_label=_("Tất cả")
    )
    plan = ModelChoiceFilter(
        queryset=Plan.objects.all(), method="by_target", label=_("Kế hoạch"), empty_label=_("Tất cả")
    )
    pillar = ModelChoiceFilter(queryset=Pillar.objects.all(), label=_("Trụ cột"), empty_label=_("Tất cả"))
    year = django_filters.NumberFilter(method="by_target", label=_("Năm"))
    agency = ModelChoiceFilter(
        queryset=Agency.objects.all(),
        field_name="assignments__agency",
        label=_("Cơ quan"),
        empty_label=_("Tất cả"),
        distinct=True,
    )

    class Meta:
        model = Indicator
        fields = ["q", "province", "plan", "pillar", "year", "agency"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.filters["province"].queryset = Agency.objects.provinces().readable_by(user)
            self.filters["plan"].queryset = Plan.objects.readable_by(user)
            self.filters["agency"].queryset = (
                Agency.objects.readable_by(user).exclude(kind="province").order_by(vietnamese("name"))
            )

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))

    def by_target(self, queryset, name, value):
        # Plan and year must match the same target: one filter() over both.
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        target = {
            f"targets__{name}": self.form.cleaned_data[name]
            for name in ("plan", "year")
            if self.form.cleaned_data.get(name) not in (None, "")
        }
        return queryset.filter(**target).distinct() if target else queryset


class TaskFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Tìm trong nội dung"))
    agency = ModelChoiceFilter(
        queryset=Agency.objects.all(),
        field_name="assignments__agency",
        label=_("Cơ quan"),
        empty_label=_("Tất cả"),
        distinct=True,
    )

    class Meta:
        model = Task
        fields = ["q", "agency"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.filters["agency"].queryset = (
                Agency.objects.readable_by(user).exclude(kind="province").order_by(vietnamese("name"))
            )

    def search(self, queryset, name, value):
        return queryset.filter(Q(content__icontains=value) | Q(number__icontains=value))
