"""Writes of the ``assignments`` app: loading the seed plans, roles and demo accounts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import models, transaction
from django.db.models import Q

from indicators.choices import AGENCY_GROUPS
from indicators.loading import LoadReport
from indicators.loading import upsert as _upsert
from indicators.models import Agency, Indicator, Pillar, Plan, Target, Task, task_sort_key

from .choices import AssignmentRole, Role
from .models import IndicatorAssignment, ReportingObligation, TaskAssignment, UserProfile
from .seeds import SeedCatalogue, agencies_in_tree_order, decimal_or_none, seed_catalogue_read

SEED_DIRECTORY = Path(settings.BASE_DIR) / "fixtures" / "plans"


@transaction.atomic
def seed_plans_load(*, directory: Path = SEED_DIRECTORY) -> LoadReport:
    """Upsert every agency, indicator, plan, target, task and assignment the seed files
    state. Atomic: a bad file loads nothing (``SeedError`` lists every problem).
    Idempotent: a second run reports no change. Assignments and obligations are only
    added, never removed, so edits made in the admin survive a reload.
    """
    catalogue = seed_catalogue_read(directory=directory)
    report = LoadReport()
    pillars = {
        code: _upsert(Pillar, report, {"code": code}, {"name": row["name"], "order": row.get("order", 0)})
        for code, row in catalogue.pillars.items()
    }
    agencies = _load_agencies(catalogue, report)
    indicators = {
        code: _upsert(
            Indicator,
            report,
            {"province": agencies[row["province"]], "code": code},
            {
                "name": row["name"],
                "pillar": pillars[row["pillar"]],
                "unit": row.get("unit") or "",
                "measure_type": row["measure_type"],
                "numerator_label": row.get("numerator_label") or "",
                "denominator_label": row.get("denominator_label") or "",
                "scale": row.get("scale") or 100,
                "allows_decimals": bool(row.get("allows_decimals")),
                "direction": row.get("direction") or "increase",
                "rollup_agencies": row["rollup_agencies"],
                "rollup_time": row["rollup_time"],
                "frequency": row.get("frequency") or "quarterly",
                "description": row.get("description") or "",
            },
        )
        for code, row in catalogue.indicators.items()
    }
    for row in catalogue.plans.values():
        _load_plan(row, agencies, indicators, report)
    return report


def _load_agencies(catalogue: SeedCatalogue, report: LoadReport) -> dict[str, Agency]:
    agencies: dict[str, Agency] = {}
    for row in agencies_in_tree_order(catalogue.agencies):
        agencies[row["code"]] = _upsert(
            Agency,
            report,
            {"code": row["code"]},
            {
                "name": row["name"],
                "short_name": row.get("short_name") or "",
                "kind": row["kind"],
                "parent": agencies[row["parent"]] if row.get("parent") else None,
                "email": row.get("email") or "",
            },
        )
    return agencies


def _load_plan(row: dict, agencies: dict[str, Agency], indicators: dict[str, Indicator], report: LoadReport) -> None:
    reporting = row.get("reporting") or {}
    province = agencies[row["province"]]
    plan = _upsert(
        Plan,
        report,
        {"number": row["number"]},
        {
            "title": row["title"],
            "issuer": row["issuer"],
            "issued_on": row.get("issued_on"),
            "province": province,
            "year_from": row["year_from"],
            "year_to": row["year_to"],
            "quarterly_due_day": reporting.get("quarterly_due_day"),
            "quarterly_compile_day": reporting.get("quarterly_compile_day"),
            "yearly_due": reporting.get("yearly_due") or "",
            "yearly_compile": reporting.get("yearly_compile") or "",
        },
    )
    resolve = _AgencyResolver(province, agencies)
    for target_row in row["targets"]:
        indicator = indicators[target_row["indicator"]]
        year = target_row["year"]
        monitoring = target_row.get("monitoring_lead") or {}
        _upsert(
            Target,
            report,
            {"indicator": indicator, "plan": plan, "year": year},
            {
                "section": target_row.get("section") or "",
                "comparison": target_row["comparison"],
                "value": _decimal_field(target_row.get("value")),
                "upper_value": _decimal_field(target_row.get("upper_value")),
                "target_date": target_row.get("target_date"),
                "wording": target_row.get("wording") or "",
                "monitoring_wording": monitoring.get("title") or "",
                "lead_wording": target_row.get("lead_wording") or "",
                "coordinating_wording": target_row.get("coordinating_wording") or "",
            },
        )
        base = {"plan": plan, "indicator": indicator, "year": year}
        leads = resolve(target_row.get("lead"))
        for agency in leads:
            _upsert(IndicatorAssignment, report, {**base, "agency": agency, "role": AssignmentRole.LEAD}, {})
            _upsert(ReportingObligation, report, {"indicator": indicator, "agency": agency, "year": year}, {})
        for agency in resolve(target_row.get("coordinating")):
            _upsert(IndicatorAssignment, report, {**base, "agency": agency, "role": AssignmentRole.COORDINATING}, {})
        if monitoring:
            _upsert(
                IndicatorAssignment,
                report,
                {**base, "agency": agencies[monitoring["agency"]], "role": AssignmentRole.MONITORING_LEAD},
                {"title": monitoring.get("title") or ""},
            )
    for task_row in row["tasks"]:
        number = str(task_row["number"])
        task = _upsert(
            Task,
            report,
            {"plan": plan, "number": number},
            {
                "sort_key": task_sort_key(number),
                "section": task_row.get("section") or "",
                "content": task_row["content"],
                "lead_wording": task_row.get("lead_wording") or "",
                "coordinating_wording": task_row.get("coordinating_wording") or "",
                "deadline_text": task_row.get("deadline_text") or "",
                "deadline_date": task_row.get("deadline_date"),
                "year_from": task_row.get("year_from"),
                "year_to": task_row.get("year_to"),
                "recurring": bool(task_row.get("recurring")),
                "product": task_row.get("product") or "",
            },
        )
        for role, key in ((AssignmentRole.LEAD, "lead"), (AssignmentRole.COORDINATING, "coordinating")):
            for agency in resolve(task_row.get(key)):
                _upsert(TaskAssignment, report, {"task": task, "agency": agency, "role": role}, {})


def _decimal_field(value):
    number = decimal_or_none(value)
    return None if number is None else number.quantize(decimal_or_none("0.0001"))


class _AgencyResolver:
    """Turns a list of agency codes and group references into agencies, in order."""

    def __init__(self, province: Agency, agencies: dict[str, Agency]):
        self.province = province
        self.agencies = agencies
        self._groups: dict[str, list[Agency]] = {}

    def __call__(self, refs: list[str] | None) -> list[Agency]:
        result: dict[int, Agency] = {}
        for ref in refs or []:
            for agency in self._group(ref) if ref in AGENCY_GROUPS else [self.agencies[ref]]:
                result.setdefault(agency.pk, agency)
        return list(result.values())

    def _group(self, ref: str) -> list[Agency]:
        if ref not in self._groups:
            self._groups[ref] = list(
                Agency.objects.filter(parent=self.province, kind=AGENCY_GROUPS[ref], is_active=True)
            )
        return self._groups[ref]


# -- roles ---------------------------------------------------------------------------

CATALOGUE_MODELS = {
    "indicators": ["agency", "plan", "pillar", "indicator", "target", "task"],
    "assignments": ["indicatorassignment", "taskassignment", "reportingobligation", "userprofile"],
}


def _role_permissions(role: Role) -> models.QuerySet[Permission]:
    everything = Permission.objects.filter(content_type__app_label__in=["indicators", "assignments", "reporting"])
    if role == Role.ADMINISTRATOR:
        # Locked-out logins (django-axes) are unlocked by deleting their attempts.
        unlock = Permission.objects.filter(
            content_type__app_label="axes", codename__in=["view_accessattempt", "delete_accessattempt"]
        )
        return everything | unlock | Permission.objects.filter(
            content_type__app_label__in=["auth", "django_celery_beat"]
        )
    if role == Role.DIC_OFFICER:
        # Reports change only through the workflow's pages: in the admin the DIC reads
        # them, adjusts periods and enters the ministry's DTI assessments.
        catalogue = everything.exclude(content_type__app_label="reporting")
        reporting = Permission.objects.filter(content_type__app_label="reporting").filter(
            Q(codename__startswith="view_")
            | Q(codename__in=["add_reportingperiod", "change_reportingperiod"])
            | Q(codename__regex=r"^(add|change|delete)_(dtiassessment|publishedcomponentscore)$")
        )
        return (catalogue | reporting).exclude(codename="view_all_provinces").exclude(
            codename__in=["add_userprofile", "change_userprofile", "delete_userprofile"]
        )
    return Permission.objects.filter(
        content_type__app_label__in=list(CATALOGUE_MODELS), codename__startswith="view_"
    ).exclude(codename__in=["view_all_provinces", "view_userprofile"])


def roles_sync_groups() -> None:
    """Create one group per ``Role`` with its permissions. Idempotent; runs after
    every ``migrate`` so new models' permissions reach the roles."""
    for role in Role:
        group, _created = Group.objects.get_or_create(name=role.value)
        group.permissions.set(_role_permissions(role))


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: Role
    agency: Agency


# Published for `make run`; create_demo_accounts refuses it when DEBUG is off.
DEMO_PASSWORD = "DemoDTI@2024"  # nosec B105
DEMO_AGENCIES = {
    # role: the agency code under each province (without the province prefix)
    Role.DEPARTMENT_STAFF: "VPUBND",
    Role.DIC_OFFICER: "STTTT",
    Role.STEERING_MEMBER: "BCD",
    Role.ADMINISTRATOR: "STTTT",
}
DEMO_NAMES = {
    Role.DEPARTMENT_STAFF: "staff",
    Role.DIC_OFFICER: "dic",
    Role.STEERING_MEMBER: "bcd",
    Role.ADMINISTRATOR: "admin",
}


@transaction.atomic
def account_create(
    *, username: str, password: str, role: Role, agency: Agency, full_name: str = "", email: str = ""
) -> UserProfile:
    """Create or update a user of ``role`` in ``agency``. Idempotent by username.
    DIC officers and administrators get admin access; only administrators are
    superusers' equals through the role's permissions, never ``is_superuser``."""
    User = get_user_model()
    user, _created = User.objects.get_or_create(username=username)
    user.set_password(password)
    user.first_name = full_name
    user.email = email
    user.is_staff = role in (Role.DIC_OFFICER, Role.ADMINISTRATOR)
    user.save()
    user.groups.set([Group.objects.get(name=role.value)])
    profile, _created = UserProfile.objects.update_or_create(user=user, defaults={"agency": agency})
    return profile


def demo_accounts_create(*, password: str = DEMO_PASSWORD) -> list[DemoAccount]:
    """One account per role and province loaded, e.g. ``bg_staff``, ``tth_dic``."""
    roles_sync_groups()
    accounts = []
    for province in Agency.objects.provinces().order_by("code"):
        for role in Role:
            code = f"{province.code}.{DEMO_AGENCIES[role]}"
            agency = Agency.objects.filter(code=code).first() or province
            username = f"{province.code.lower()}_{DEMO_NAMES[role]}"
            account_create(
                username=username, password=password, role=role, agency=agency,
                full_name=f"{role.label} ({province.short_name or province.name})",
                # ".invalid" never resolves: under `make run` mail goes to the console.
                email=f"{username}@dti-demo.invalid",
            )
            accounts.append(DemoAccount(username, password, role, agency))
    return accounts


