"""Writes of the ``assignments`` app: loading the seed plans, roles and demo accounts,
and giving indicators their reporting agencies."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission, User
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from dti_portal.errors import DomainError, PermissionDenied
from indicators.access import user_province_id, user_sees_all_provinces
from indicators.choices import AGENCY_GROUPS, AgencyRollup, MeasureType
from indicators.loading import LoadReport
from indicators.loading import upsert as _upsert
from indicators.models import (
    Agency,
    Indicator,
    Pillar,
    Plan,
    ProvinceInstitution,
    Target,
    Task,
    task_sort_key,
)

from .choices import AssignmentRole, Role
from .models import (
    IndicatorAssignment,
    PasswordResetRequest,
    ReportingObligation,
    TaskAssignment,
    UserProfile,
    user_roles,
)
from .seeds import SeedCatalogue, SeedError, agencies_in_tree_order, decimal_or_none, seed_catalogue_read

SEED_DIRECTORY = Path(settings.BASE_DIR) / "fixtures" / "plans"
audit_log = logging.getLogger("portal.audit")
logger = logging.getLogger(__name__)


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
    for (province, role, since), row in catalogue.institutions.items():
        _upsert(
            ProvinceInstitution,
            report,
            {"province": agencies[province], "role": role, "since": since},
            {"name": row["name"], "short_name": row.get("short_name") or ""},
        )
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
                "exists_from": row.get("exists_from"),
                "exists_until": row.get("exists_until"),
            },
        )
    # Once every agency exists: a body's collector may come later in the files.
    for row in catalogue.agencies.values():
        collector = agencies[row["reported_by"]] if row.get("reported_by") else None
        agencies[row["code"]] = _upsert(Agency, report, {"code": row["code"]}, {"reported_by": collector})
    return agencies


def _load_plan(
    row: dict, agencies: dict[str, Agency], indicators: dict[str, Indicator], report: LoadReport
) -> None:
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
            "calendar_scope": reporting.get("scope") or "province",
        },
    )
    resolve = _AgencyResolver(province, agencies, years=(row["year_from"], row["year_to"]))
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
            holder, held_for = obligation_holder(indicator_id=indicator.pk, agency=agency, year=year)
            clash = obligation_clash(indicator_id=indicator.pk, holder=holder, year=year, held_for=held_for)
            if clash:
                raise SeedError(clash, code="obligation_clash")
            _upsert(
                ReportingObligation,
                report,
                {"indicator": indicator, "agency": holder, "year": year},
                {"on_behalf_of": held_for},
            )
        for agency in resolve(target_row.get("coordinating")):
            _upsert(
                IndicatorAssignment,
                report,
                {**base, "agency": agency, "role": AssignmentRole.COORDINATING},
                {},
            )
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
    return None if number is None else number.quantize(Decimal("0.0001"))


class _AgencyResolver:
    """Turns a list of agency codes and group references into agencies, in order. A
    group (``@communes``) is every agency of that kind in the province, at any depth
    (communes sat under districts until July 2025, under the province since), that
    exists in the plan's years."""

    def __init__(self, province: Agency, agencies: dict[str, Agency], *, years: tuple[int, int]):
        self.province = province
        self.agencies = agencies
        self.years = (date(years[0], 1, 1), date(years[1], 12, 31))
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
                Agency.objects.filter(province=self.province, kind=AGENCY_GROUPS[ref], is_active=True)
                .exclude(parent__kind=F("kind"))  # a department's own sub-units are not named
                .existing(*self.years)
                .order_by("code")
            )
        return self._groups[ref]


# -- roles ---------------------------------------------------------------------------

PORTAL_APPS = ["indicators", "assignments", "reporting", "dti"]
# What every role reads in the admin: the plans' catalogue and the DTI frameworks.
CATALOGUE = Q(content_type__app_label__in=["indicators", "assignments"]) | Q(
    content_type__app_label="dti",
    content_type__model__in=[
        "framework",
        "frameworkindicator",
        "frameworkcomponent",
        "componentsuccession",
        "historicalframework",
        "historicalframeworkindicator",
        "historicalframeworkcomponent",
        "historicalframeworkcomponent_indicators",
        "historicalcomponentsuccession",
    ],
)


SHARED_MODELS = [
    "pillar",
    "historicalpillar",
    "framework",
    "historicalframework",
    "frameworkindicator",
    "historicalframeworkindicator",
    "frameworkcomponent",
    "historicalframeworkcomponent",
    "historicalframeworkcomponent_indicators",
    "componentsuccession",
    "historicalcomponentsuccession",
]


def _role_permissions(role: Role) -> models.QuerySet[Permission]:
    everything = Permission.objects.filter(content_type__app_label__in=PORTAL_APPS)
    if role == Role.ADMINISTRATOR:
        # Locked-out logins (django-axes) are unlocked by deleting their attempts; API
        # tokens are revoked by deleting them.
        unlock = Permission.objects.filter(
            content_type__app_label="axes", codename__in=["view_accessattempt", "delete_accessattempt"]
        ) | Permission.objects.filter(
            content_type__app_label="authtoken", codename__in=["view_tokenproxy", "delete_tokenproxy"]
        )
        return (
            everything
            | unlock
            | Permission.objects.filter(content_type__app_label__in=["auth", "django_celery_beat"])
        )
    if role == Role.DIC_OFFICER:
        # Reports change only through the workflow's pages: in the admin the DIC reads
        # them and adjusts periods; the catalogue and the DTI (frameworks, the
        # ministry's assessments) are theirs.
        catalogue = everything.exclude(content_type__app_label="reporting")
        reporting = Permission.objects.filter(content_type__app_label="reporting").filter(
            Q(codename__startswith="view_")
            | Q(codename__in=["add_reportingperiod", "change_reportingperiod"])
        )
        return (
            (catalogue | reporting)
            .exclude(
                codename__regex=r"^(add|change|delete)_historical(dtiassessment|publishedcomponentscore)$"
            )
            # Rows every province shares (the pillars, the ministry's frameworks) are
            # written by administrators only: a DIC officer reads them.
            .exclude(content_type__model__in=SHARED_MODELS, codename__regex=r"^(add|change|delete)_")
            .exclude(codename="view_all_provinces")
            .exclude(codename__in=["add_userprofile", "change_userprofile", "delete_userprofile"])
        )
    return Permission.objects.filter(CATALOGUE, codename__startswith="view_").exclude(
        codename__in=["view_all_provinces", "view_userprofile"]
    )


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


ROLES_ONLY_ADMINISTRATORS_GIVE = {Role.ADMINISTRATOR}


@transaction.atomic
def account_invite(
    *,
    actor: User,
    full_name: str,
    email: str,
    agency: Agency,
    role: Role,
    position: str = "",
    phone: str = "",
) -> UserProfile:
    """Create the account of a person of ``agency``, signing in with ``email``, with no
    password yet: ``account_invitation_send`` mails them a link to set one. DIC
    officers create accounts in their province; only administrators create
    administrators. One account per address."""
    roles = user_roles(actor)
    if not roles & {Role.DIC_OFFICER, Role.ADMINISTRATOR}:
        _refused(actor, "account_invite")
    if role in ROLES_ONLY_ADMINISTRATORS_GIVE and Role.ADMINISTRATOR not in roles:
        _refused(actor, "account_invite", agency)
    if not Agency.objects.visible_to(actor).filter(pk=agency.pk).exists():
        _refused(actor, "account_invite", agency)
    email = email.strip().lower()
    User = get_user_model()
    if User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).exists():
        raise DomainError(
            _("Đã có tài khoản dùng địa chỉ thư %(email)s: tìm trong danh sách tài khoản.")
            % {"email": email},
            code="duplicate_email",
        )
    user = User(
        username=email,
        email=email,
        first_name=full_name.strip(),
        is_staff=role in (Role.DIC_OFFICER, Role.ADMINISTRATOR),
    )
    user.set_unusable_password()
    user.save()
    user.groups.set([Group.objects.get(name=role.value)])
    return UserProfile.objects.create(
        user=user, agency=agency, position=position.strip(), phone=phone.strip()
    )


def account_invitation_send(*, user: User) -> bool:
    """Email ``user`` a link to set their password (good for ``PASSWORD_RESET_TIMEOUT``;
    a new one can be sent at any time). False if the mail server refused it (logged),
    for the page to say so."""
    context = {
        "user": user,
        "base_url": settings.PORTAL_BASE_URL.rstrip("/"),
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
    }
    with translation.override(settings.LANGUAGE_CODE):  # not the language of the officer who sends it
        subject = "".join(render_to_string("assignments/email/invitation_subject.txt", context).splitlines())
        body = render_to_string("assignments/email/invitation_body.txt", context)
    try:
        EmailMessage(subject, body, to=[user.email]).send()
    except Exception:  # noqa: BLE001 — any mail server failure: the page offers to send again
        logger.exception("The invitation to user %s could not be sent", user.pk)
        return False
    return True


class TooManyResetRequests(DomainError):
    """More "Quên mật khẩu" requests from one computer than ``PASSWORD_RESET_PER_IP``
    an hour. Says nothing about any address."""


def password_reset_request(*, email: str, ip_address: str | None) -> bool:
    """Record a "Quên mật khẩu" request; True if a link may be sent to ``email``.

    Past ``PASSWORD_RESET_PER_IP`` requests an hour from one computer the request is
    refused (``TooManyResetRequests``); past ``PASSWORD_RESET_PER_ADDRESS`` links an
    hour to one address asked from one computer it is recorded as throttled and no link
    is sent, but the person is told, as for an address with no account, that a link
    was sent if it has one: the answer never reveals which addresses have accounts.
    Counted per computer, so that someone asking for another person's address again
    and again cannot stop that person from getting their own link."""
    since = timezone.now() - timedelta(hours=1)
    recent = PasswordResetRequest.objects.filter(requested_at__gte=since)
    if ip_address and recent.filter(ip_address=ip_address).count() >= settings.PASSWORD_RESET_PER_IP:
        raise TooManyResetRequests(
            _("Máy này đã yêu cầu đặt lại mật khẩu quá nhiều lần trong một giờ: hãy thử lại sau.")
        )
    sent = recent.filter(email__iexact=email, ip_address=ip_address or None, throttled=False).count()
    throttled = sent >= settings.PASSWORD_RESET_PER_ADDRESS
    PasswordResetRequest.objects.create(email=email, ip_address=ip_address or None, throttled=throttled)
    return not throttled


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
                username=username,
                password=password,
                role=role,
                agency=agency,
                full_name=f"{role.label} ({province.short_name or province.name})",
                # ".invalid" never resolves: under `make run` mail goes to the console.
                email=f"{username}@dti-demo.invalid",
            )
            accounts.append(DemoAccount(username, password, role, agency))
        second = _agency_reporting_other_measures(province)
        if second is not None:  # e.g. bg_staff2, of the agency that reports counts
            username = f"{province.code.lower()}_{DEMO_NAMES[Role.DEPARTMENT_STAFF]}2"
            account_create(
                username=username,
                password=password,
                role=Role.DEPARTMENT_STAFF,
                agency=second,
                full_name=f"{Role.DEPARTMENT_STAFF.label} ({second.name})",
                email=f"{username}@dti-demo.invalid",
            )
            accounts.append(DemoAccount(username, password, Role.DEPARTMENT_STAFF, second))
            dic = User.objects.get(username=f"{province.code.lower()}_{DEMO_NAMES[Role.DIC_OFFICER]}")
            _demo_amounts_assign(province=province, agency=second, actor=dic)
    return accounts


def _demo_amounts_assign(*, province: Agency, agency: Agency, actor: User) -> None:
    """Where no agency of the province reports an amount (the seed plans set amounts,
    the information-security budgets, but name nobody to report them), the demo's DIC
    officer makes the second demo agency report its own spending (the province's figure
    is the agencies' sum) in the years the province reports in and the amounts have a
    target, as a DIC officer would assign them in the portal."""
    if ReportingObligation.objects.filter(
        agency__province=province, indicator__measure_type=MeasureType.AMOUNT
    ).exists():
        return
    years = set(ReportingObligation.objects.filter(agency__province=province).values_list("year", flat=True))
    for year in sorted(years):
        amounts = list(
            Indicator.objects.filter(
                province=province,
                measure_type=MeasureType.AMOUNT,
                rollup_agencies=AgencyRollup.SUM,
                targets__year=year,
            ).distinct()
        )
        if amounts:
            obligations_assign(indicators=amounts, agencies=[agency], year=year, actor=actor)


def _agency_reporting_other_measures(province: Agency) -> Agency | None:
    """For a second demo data-entry account: the agency whose reports hold the most
    measure types the first account's agency's do not (counts and amounts first), so
    that a visitor can try each kind of figure; None if none adds one."""
    first = set(
        Agency.objects.filter(code=f"{province.code}.{DEMO_AGENCIES[Role.DEPARTMENT_STAFF]}").values_list(
            "pk", flat=True
        )
    )
    kinds: dict[int, set[str]] = {}
    for agency_id, measure_type in ReportingObligation.objects.filter(agency__province=province).values_list(
        "agency_id", "indicator__measure_type"
    ):
        kinds.setdefault(agency_id, set()).add(measure_type)
    covered = {kind for agency_id, found in kinds.items() for kind in found if agency_id in first}
    wanted = {MeasureType.COUNT, MeasureType.AMOUNT}
    best = max(
        (
            (len((found - covered) & wanted), len(found - covered), -agency_id)
            for agency_id, found in kinds.items()
        ),
        default=None,
    )
    if best is None or best[1] == 0:
        return None
    return Agency.objects.get(pk=-best[2])


# -- reporting obligations -----------------------------------------------------------


def obligation_holder(*, indicator_id: int, agency: Agency, year: int) -> tuple[Agency, Agency | None]:
    """Who holds ``agency``'s obligation to report an indicator in ``year``, and for
    whom: the agency itself (None); for a body that does not report itself, its
    collector, on its behalf — unless the body holds that year's obligation itself (it
    began reporting before it was marked), which stays so. The one rule of the loader,
    ``obligations_assign`` and ``reporting.services.agency_collector_set``."""
    collector = agency.reported_by
    if collector is None or (
        ReportingObligation.objects.filter(indicator_id=indicator_id, agency=agency, year=year).exists()
    ):
        return agency, None
    return collector, agency


def obligation_clash(*, indicator_id: int, holder: Agency, year: int, held_for: Agency | None) -> str | None:
    """Why ``holder`` cannot hold the obligation for ``held_for`` (None: its own): it
    reports the indicator that year already, for itself or for another body, and one
    report holds one figure per indicator. None if it can."""
    existing = (
        ReportingObligation.objects.filter(indicator_id=indicator_id, agency=holder, year=year)
        .select_related("on_behalf_of", "indicator")
        .first()
    )
    if existing is None or existing.on_behalf_of_id == (held_for.pk if held_for else None):
        return None
    return _(
        "%(holder)s đã báo cáo chỉ tiêu %(code)s năm %(year)s (số liệu %(whose)s): một báo cáo chỉ chứa "
        "một số liệu cho mỗi chỉ tiêu, nên không nhập thêm được số liệu %(other)s."
    ) % {
        "holder": holder.label,
        "code": existing.indicator.code,
        "year": year,
        "whose": existing.on_behalf_of.label if existing.on_behalf_of else _("của chính mình"),
        "other": held_for.label if held_for else _("của chính mình"),
    }


ASSIGNABLE_ROLES = (AssignmentRole.LEAD, AssignmentRole.COORDINATING)
_ASSIGNERS = frozenset({Role.DIC_OFFICER, Role.ADMINISTRATOR})


@dataclass(frozen=True)
class ObligationsAssigned:
    """What ``obligations_assign`` wrote: the new (indicator id, agency id) pairs, how
    many asked-for pairs were obligations already, and how many role rows it added."""

    province: Agency
    year: int
    created: list[tuple[int, int]]
    existing: int
    assignments_created: int


@transaction.atomic
def obligations_assign(
    *,
    indicators: Iterable[Indicator],
    agencies: Iterable[Agency],
    year: int,
    actor: User,
    role: AssignmentRole | None = None,
) -> ObligationsAssigned:
    """Make every agency of ``agencies`` report every indicator of ``indicators`` in
    ``year`` (a ``ReportingObligation`` per pair; for a body that does not report itself,
    its collector's, ``Agency.reporter``) and, when ``role`` is lead or
    coordinating, record that role (an ``IndicatorAssignment`` under the plan of the
    target that judges the year, ``TargetQuerySet.judging``).

    Callers: DIC officers of the indicators' province and administrators; anyone else
    gets ``PermissionDenied``. Every indicator and agency must belong to one province
    and every agency be active, with a role every indicator must have a target in
    ``year``, and an indicator whose province figure is its lead agency's must have a
    lead (or be given one here); otherwise ``DomainError`` names the offending rows. Atomic: an error
    writes nothing. Idempotent: pairs and roles that exist are left alone. Rows are
    written with their history, ``actor`` as its user.

    Does not touch reports: the caller gives the open periods' submissions their new
    values (``reporting.services.submissions_prepare``), since ``assignments`` does
    not import ``reporting``.
    """
    indicator_ids = sorted({indicator.pk for indicator in indicators})
    agency_ids = sorted({agency.pk for agency in agencies})
    if not user_roles(actor) & _ASSIGNERS:
        _refused(actor, "obligations_assign")
    if not indicator_ids:
        raise DomainError(_("Hãy chọn ít nhất một chỉ tiêu."), code="no_indicator")
    if not agency_ids:
        raise DomainError(_("Hãy chọn ít nhất một đơn vị báo cáo."), code="no_agency")
    if role is not None and role not in ASSIGNABLE_ROLES:
        raise DomainError(_("Vai trò chỉ có thể là chủ trì hoặc phối hợp."), code="invalid_role")
    if not 2000 <= year <= 2100:
        raise DomainError(_("Năm phải từ 2000 đến 2100."), code="invalid_year")

    # Locked in id order: two officers assigning the same indicators at once write
    # one after the other, and the second finds the first's rows.
    locked = list(Indicator.objects.select_for_update().filter(pk__in=indicator_ids).order_by("pk"))
    province_ids = {indicator.province_id for indicator in locked}
    if len(province_ids) != 1:
        raise DomainError(_("Các chỉ tiêu đã chọn phải thuộc cùng một tỉnh."), code="mixed_provinces")
    province = Agency.objects.get(pk=province_ids.pop())
    if not (user_sees_all_provinces(actor) or user_province_id(actor) == province.pk):
        _refused(actor, "obligations_assign", province)

    chosen = list(Agency.objects.select_related("reported_by").filter(pk__in=agency_ids).order_by("code"))
    elsewhere = [agency for agency in chosen if agency.province_id != province.pk]
    if elsewhere:
        raise DomainError(
            _("Không phải đơn vị của %(province)s: %(agencies)s.")
            % {"province": province.label, "agencies": ", ".join(agency.label for agency in elsewhere)},
            code="agency_of_another_province",
        )
    # A body that does not report itself keeps its role; its collector reports for it.
    collectors = {agency.reporter for agency in chosen}
    inactive = [
        agency
        for agency in sorted({*chosen, *collectors}, key=lambda a: a.code)
        if not (agency.is_active and agency.exists_between(date(year, 1, 1), date(year, 12, 31)))
    ]
    if inactive:
        raise DomainError(
            _(
                "Đơn vị đã ngừng hoạt động hoặc không tồn tại trong năm %(year)s, không giao báo cáo "
                "được: %(agencies)s."
            )
            % {"year": year, "agencies": ", ".join(agency.label for agency in inactive)},
            code="agency_inactive",
        )
    judging: dict[int, Target] = {}
    if role is not None:
        judging = Target.objects.judging(province_id=province.pk, year=year, indicator_ids=indicator_ids)
        without = [indicator.code for indicator in locked if indicator.pk not in judging]
        if without:
            raise DomainError(
                _(
                    "Năm %(year)s không có mức kế hoạch cho %(codes)s nên không ghi được vai trò: "
                    "hãy bỏ chọn vai trò hoặc bỏ các chỉ tiêu này."
                )
                % {"year": year, "codes": ", ".join(without)},
                code="no_target",
            )

    if role != AssignmentRole.LEAD:
        # The province figure of these is the lead agency's: reporting agencies without a
        # lead would send figures that never count.
        led = set(
            IndicatorAssignment.objects.filter(
                year=year, role=AssignmentRole.LEAD, indicator_id__in=indicator_ids
            ).values_list("indicator_id", flat=True)
        )
        leaderless = [
            i.code for i in locked if i.rollup_agencies == AgencyRollup.LEAD_VALUE and i.pk not in led
        ]
        if leaderless:
            raise DomainError(
                _(
                    "Số liệu của tỉnh ở %(codes)s là số liệu của cơ quan chủ trì, mà năm %(year)s "
                    "các chỉ tiêu này chưa "
                    "có cơ quan chủ trì: hãy chọn vai trò “Chủ trì thực hiện”."
                )
                % {"codes": ", ".join(leaderless), "year": year},
                code="no_lead",
            )

    # A body that reported the year itself before it was marked keeps doing so (its
    # collector would count the figure twice).
    wanted: dict[tuple[int, int], Agency | None] = {}  # (indicator, holder) → held for
    clashes = []
    for indicator_id in indicator_ids:
        for agency in chosen:
            holder, held_for = obligation_holder(indicator_id=indicator_id, agency=agency, year=year)
            key = (indicator_id, holder.pk)
            clash = obligation_clash(indicator_id=indicator_id, holder=holder, year=year, held_for=held_for)
            if clash is None and key in wanted and wanted[key] != held_for:
                clash = _("%(holder)s không nhập được hai số liệu của một chỉ tiêu trong một báo cáo.") % {
                    "holder": holder.label
                }
            if clash:
                clashes.append(clash)
            wanted[key] = held_for
    if clashes:
        raise DomainError(" ".join(dict.fromkeys(clashes)), code="obligation_clash")
    held = set(
        ReportingObligation.objects.filter(
            year=year, indicator_id__in=indicator_ids, agency_id__in={holder for _i, holder in wanted}
        ).values_list("indicator_id", "agency_id")
    )
    pairs = [key for key in wanted if key not in held]
    bulk_create_with_history(
        [
            ReportingObligation(indicator_id=i, agency_id=a, year=year, on_behalf_of=wanted[(i, a)])
            for i, a in pairs
        ],
        ReportingObligation,
        default_user=actor,
    )
    assignments_created = 0
    if role is not None:
        have = set(
            IndicatorAssignment.objects.filter(
                year=year, role=role, indicator_id__in=indicator_ids, agency_id__in=agency_ids
            ).values_list("plan_id", "indicator_id", "agency_id")
        )
        rows = [
            IndicatorAssignment(plan_id=judging[i].plan_id, indicator_id=i, year=year, agency_id=a, role=role)
            for i in indicator_ids
            for a in agency_ids
            if (judging[i].plan_id, i, a) not in have
        ]
        bulk_create_with_history(rows, IndicatorAssignment, default_user=actor)
        assignments_created = len(rows)
    return ObligationsAssigned(
        province=province,
        year=year,
        created=pairs,
        existing=len(wanted) - len(pairs),
        assignments_created=assignments_created,
    )


def _refused(actor: User, what: str, obj=None):
    audit_log.warning(
        "refused: user=%s action=%s object=%s reason=%s",
        getattr(actor, "username", "anonymous"),
        what,
        f"{type(obj).__name__}:{obj.pk}" if obj else "-",
        "not a DIC officer of the province",
    )
    raise PermissionDenied(
        _("Chỉ cán bộ cơ quan đầu mối của tỉnh hoặc quản trị hệ thống mới được giao chỉ tiêu báo cáo.")
    )
