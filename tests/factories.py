"""factory-boy factories for every model; tests build their data here, never in fixtures/."""

from __future__ import annotations

from decimal import Decimal

import factory
import tablib
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from assignments.choices import AssignmentRole, Role
from assignments.models import IndicatorAssignment, ReportingObligation, TaskAssignment, UserProfile
from indicators.choices import AgencyKind, AgencyRollup, Comparison, MeasureType, TimeRollup
from indicators.models import Agency, Indicator, Pillar, Plan, Target, Task, task_sort_key


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"P{n}")
    name = factory.LazyAttribute(lambda o: f"UBND tỉnh {o.code}")
    short_name = factory.LazyAttribute(lambda o: o.code)
    kind = AgencyKind.PROVINCE
    parent = None


class AgencyFactory(factory.django.DjangoModelFactory):
    """A department under a province; ``clean()`` sets its province as the admin would."""

    class Meta:
        model = Agency

    parent = factory.SubFactory(ProvinceFactory)
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.parent.code}.S{n}")
    name = factory.Sequence(lambda n: f"Sở số {n:04d}")
    short_name = factory.Sequence(lambda n: f"Sở {n}")
    kind = AgencyKind.DEPARTMENT

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        instance = model_class(*args, **kwargs)
        instance.clean()
        instance.save()
        return instance


class PillarFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pillar
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"PL{n}")
    name = factory.Sequence(lambda n: f"Trụ cột {n}")
    order = factory.Sequence(lambda n: n)


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    number = factory.Sequence(lambda n: f"{n}/KH-UBND")
    title = factory.Sequence(lambda n: f"Kế hoạch chuyển đổi số số {n}")
    issuer = "UBND tỉnh"
    province = factory.SubFactory(ProvinceFactory)
    year_from = 2024
    year_to = 2025
    quarterly_due_day = 20
    quarterly_compile_day = 25


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    province = factory.SubFactory(ProvinceFactory)
    code = factory.Sequence(lambda n: f"IND{n}")
    name = factory.Sequence(lambda n: f"Tỷ lệ hồ sơ xử lý trực tuyến {n}")
    pillar = factory.SubFactory(PillarFactory)
    unit = "%"
    measure_type = MeasureType.RATE
    numerator_label = "Số hồ sơ xử lý trực tuyến"
    denominator_label = "Tổng số hồ sơ"
    rollup_agencies = AgencyRollup.RATIO_OF_SUMS
    rollup_time = TimeRollup.STOCK


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    plan = factory.SubFactory(PlanFactory)
    indicator = factory.SubFactory(IndicatorFactory, province=factory.SelfAttribute("..plan.province"))
    year = 2024
    comparison = Comparison.GTE
    value = Decimal("85")
    wording = factory.LazyAttribute(lambda o: f"{o.indicator.name} đạt {o.value}%")


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: f"1.{n + 1}")
    sort_key = factory.LazyAttribute(lambda o: task_sort_key(o.number))
    content = factory.Sequence(lambda n: f"Xây dựng quy chế số {n}")
    deadline_text = "Hàng năm"
    recurring = True


class IndicatorAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorAssignment

    plan = factory.SubFactory(PlanFactory)
    indicator = factory.SubFactory(IndicatorFactory, province=factory.SelfAttribute("..plan.province"))
    year = 2024
    agency = factory.SubFactory(AgencyFactory, parent=factory.SelfAttribute("..plan.province"))
    role = AssignmentRole.LEAD


class TaskAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaskAssignment

    task = factory.SubFactory(TaskFactory)
    agency = factory.SubFactory(AgencyFactory, parent=factory.SelfAttribute("..task.plan.province"))
    role = AssignmentRole.LEAD


class ReportingObligationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportingObligation

    indicator = factory.SubFactory(IndicatorFactory)
    agency = factory.SubFactory(AgencyFactory, parent=factory.SelfAttribute("..indicator.province"))
    year = 2024


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("mat-khau-thu-nghiem")


class UserProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UserProfile

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)


def make_user(role: Role, agency: Agency, **kwargs):
    """A user of ``role`` in ``agency``, with the role's group as the portal gives it."""
    user = UserFactory(is_staff=role in (Role.DIC_OFFICER, Role.ADMINISTRATOR), **kwargs)
    user.groups.add(Group.objects.get(name=role.value))
    UserProfileFactory(user=user, agency=agency)
    return user


def dataset(headers: list[str], *rows: list) -> tablib.Dataset:
    """An import file's rows, as django-import-export reads them."""
    data = tablib.Dataset(headers=headers)
    for row in rows:
        data.append(row)
    return data


def reporting_setup(
    province: Agency, agency: Agency, actor, *, year: int = 2024, measures=None, code_prefix: str = ""
):
    """A plan of ``province`` with one quarterly indicator of each measure type that
    ``agency`` must report, a target for each, a task it leads, and the year's periods
    opened by ``actor`` (a DIC officer). Returns the plan and the indicators."""
    from reporting.services import periods_open

    plan = PlanFactory(
        province=province, year_from=year, year_to=year, quarterly_due_day=20, quarterly_compile_day=25
    )
    indicators = {}
    for measure in measures or list(MeasureType):
        rollup = {
            MeasureType.RATE: AgencyRollup.RATIO_OF_SUMS,
            MeasureType.RATIO: AgencyRollup.RATIO_OF_SUMS,
            MeasureType.COUNT: AgencyRollup.SUM,
            MeasureType.AMOUNT: AgencyRollup.SUM,
            MeasureType.YES_NO: AgencyRollup.SHARE_YES,
            MeasureType.MILESTONE: AgencyRollup.SHARE_YES,
        }.get(measure, AgencyRollup.LEAD_VALUE)
        indicator = IndicatorFactory(
            province=province,
            code=f"{code_prefix or province.code}.{measure.upper()}",
            measure_type=measure,
            rollup_agencies=rollup,
            unit={MeasureType.RATE: "%", MeasureType.RATIO: "GB/thuê bao"}.get(measure, ""),
            scale=1 if measure == MeasureType.RATIO else 100,
        )
        TargetFactory(plan=plan, indicator=indicator, year=year, value=Decimal("50"))
        IndicatorAssignmentFactory(plan=plan, indicator=indicator, year=year, agency=agency)
        ReportingObligationFactory(indicator=indicator, agency=agency, year=year)
        indicators[measure] = indicator
    task = TaskFactory(plan=plan, number="1", year_from=year, year_to=year)
    TaskAssignmentFactory(task=task, agency=agency)
    periods_open(province=province, year=year, actor=actor)
    return plan, indicators
