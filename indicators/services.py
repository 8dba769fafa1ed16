"""Writes of the catalogue that are not a file's load: a province merger (the 2025
reform: Bắc Giang and Bắc Ninh form the new Bắc Ninh on 1 July 2025)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dti_portal.errors import DomainError

from .choices import AgencyChange, AgencyKind
from .loading import LoadReport, upsert
from .models import Agency, AgencySuccession, Indicator, IndicatorContinuation

__all__ = [
    "MergeError",
    "district_tier_abolish",
    "indicators_continue",
    "provinces_merge",
    "reform_2025_load",
]


class MergeError(DomainError):
    code = "merge_invalid"


PROVINCE_CODE = re.compile(r"[A-Z0-9]{1,20}")
MERGER_DAYS = (date(2000, 1, 1), date(2100, 12, 31))


@transaction.atomic
def provinces_merge(
    *,
    into: str,
    name: str,
    from_codes: list[str],
    effective_on: date,
    short_name: str = "",
    basis: str = "",
    continue_indicators: bool = False,
) -> LoadReport:
    """Merge the provinces ``from_codes`` into the province ``into`` (created, or
    reused when it exists) from ``effective_on``: each old province and each of its
    departments that still exists ends the day before; the new province and, for each
    department, its successor (``<into>.<the department's own code>``, one for the
    departments of the same code in several old provinces) begin that day; every
    succession is recorded. Nothing else of the old provinces changes: their plans,
    targets, reports, figures and history stay as approved. With
    ``continue_indicators``, the new province also gets an indicator continuing each of
    theirs (``indicators_continue``). Atomic: any problem and nothing is written
    (``MergeError`` lists them all). Idempotent."""
    problems = []
    if not PROVINCE_CODE.fullmatch(into):
        problems.append(
            _("Mã tỉnh “%(code)s” không hợp lệ: 1–20 chữ in hoa không dấu hoặc chữ số, không dấu cách.")
            % {"code": into}
        )
    if not MERGER_DAYS[0] <= effective_on <= MERGER_DAYS[1]:
        problems.append(_("Ngày có hiệu lực phải trong khoảng năm 2000–2100."))
    if problems:  # nothing below can be checked with such a code or day
        raise MergeError(" ".join(problems), details=problems)
    last_day = effective_on - timedelta(days=1)
    olds = list(Agency.objects.filter(code__in=from_codes, kind=AgencyKind.PROVINCE).order_by("code"))
    problems = [
        _("Không có tỉnh mã “%(code)s”.") % {"code": code}
        for code in from_codes
        if code not in {old.code for old in olds}
    ]
    if not from_codes:
        problems.append(_("Hãy chọn các tỉnh hợp nhất."))
    existing = Agency.objects.filter(code__iexact=into).first()
    if into.upper() in {code.upper() for code in from_codes}:
        problems.append(_("Tỉnh mới “%(code)s” không được đồng thời là tỉnh hợp nhất.") % {"code": into})
    elif existing is not None and existing.kind != AgencyKind.PROVINCE:
        problems.append(_("Mã “%(code)s” đã là của một đơn vị không phải cấp tỉnh.") % {"code": into})
    elif existing is not None and not existing.exists_between(effective_on, effective_on):
        problems.append(
            _("Tỉnh %(name)s không còn tồn tại (hoặc chưa thành lập) vào ngày %(day)s.")
            % {"name": existing.name, "day": effective_on.strftime("%d/%m/%Y")}
        )
    for old in olds:
        if old.exists_from is not None and old.exists_from >= effective_on:
            problems.append(
                _("Tỉnh %(name)s thành lập ngày %(since)s, không thể hợp nhất từ ngày %(day)s.")
                % {
                    "name": old.name,
                    "since": old.exists_from.strftime("%d/%m/%Y"),
                    "day": effective_on.strftime("%d/%m/%Y"),
                }
            )
        if old.exists_until is not None and old.exists_until != last_day:
            problems.append(
                _("Tỉnh %(name)s đã kết thúc ngày %(until)s, không phải ngày %(last)s.")
                % {
                    "name": old.name,
                    "until": old.exists_until.strftime("%d/%m/%Y"),
                    "last": last_day.strftime("%d/%m/%Y"),
                }
            )
    if problems:
        raise MergeError(" ".join(problems), details=problems)

    report = LoadReport()
    try:
        province = existing or upsert(
            Agency,
            report,
            {"code": into},
            {
                "name": name,
                "short_name": short_name,
                "kind": AgencyKind.PROVINCE,
                "exists_from": effective_on,
            },
        )
        for old in olds:
            _end(old, last_day, report)
            _succeed(old, province, AgencyChange.MERGED, effective_on, basis, report)
        departments = Agency.objects.filter(parent__in=olds, kind=AgencyKind.DEPARTMENT).existing(last_day)
        for department in departments.order_by("code"):
            _carry(department, province, AgencyChange.MERGED, effective_on, basis, report)
    except ValidationError as error:  # a value the models refuse (a name or a code too long …)
        raise MergeError(" ".join(error.messages), details=error.messages) from error
    if continue_indicators:
        continued = indicators_continue(into=into, from_codes=from_codes)
        report.created.update(continued.created)
        report.updated.update(continued.updated)
    return report


def _carry(
    agency: Agency, province: Agency, change: str, effective_on: date, basis: str, report: LoadReport
) -> None:
    """End ``agency`` the day before ``effective_on`` and carry it to ``province`` as a
    successor of its kind coded ``<province>.<its own code>`` (reused when it exists:
    one successor for the same code in several old provinces)."""
    code = f"{province.code}.{agency.code.split('.', 1)[1]}"
    successor = Agency.objects.filter(code=code).first() or upsert(
        Agency,
        report,
        {"code": code},
        {
            "name": agency.name,
            "short_name": agency.short_name,
            "kind": agency.kind,
            "parent": province,
            "email": agency.email,
            "exists_from": effective_on,
        },
    )
    _end(agency, effective_on - timedelta(days=1), report)
    _succeed(agency, successor, change, effective_on, basis, report)


def _end(agency: Agency, last_day: date, report: LoadReport) -> None:
    if agency.exists_until != last_day:
        agency.exists_until = last_day
        agency.save(update_fields=["exists_until"])
        report.updated["Agency"] += 1


def _succeed(
    predecessor: Agency, successor: Agency, change: str, effective_on: date, basis: str, report: LoadReport
) -> None:
    upsert(
        AgencySuccession,
        report,
        {"predecessor": predecessor, "successor": successor},
        {"change": change, "effective_on": effective_on, "basis": basis},
    )


@transaction.atomic
def district_tier_abolish(*, province: str, into: str, effective_on: date, basis: str = "") -> LoadReport:
    """The district tier of ``province`` ends the day before ``effective_on`` (1 July
    2025): each district existing then ends and is succeeded by the province ``into``
    (the same province, or the one it merged into); each of its communes is carried to
    ``into`` as a successor commune (``<into>.<its own code>``). Reports and figures of
    the districts and communes stay as approved. Idempotent."""
    last_day = effective_on - timedelta(days=1)
    old = Agency.objects.filter(code=province, kind=AgencyKind.PROVINCE).first()
    target = Agency.objects.filter(code=into, kind=AgencyKind.PROVINCE).first()
    if old is None or target is None:
        missing = [code for code, found in ((province, old), (into, target)) if found is None]
        problems = [_("Không có tỉnh mã “%(code)s”.") % {"code": code} for code in missing]
        raise MergeError(" ".join(problems), details=problems)
    report = LoadReport()
    districts = (
        Agency.objects.filter(parent=old, kind=AgencyKind.DISTRICT).existing(last_day).order_by("code")
    )
    for district in districts:
        communes = Agency.objects.filter(parent=district, kind=AgencyKind.COMMUNE).existing(last_day)
        for commune in communes.order_by("code"):
            _carry(commune, target, AgencyChange.TIER_ABOLISHED, effective_on, basis, report)
        _end(district, last_day, report)
        _succeed(district, target, AgencyChange.TIER_ABOLISHED, effective_on, basis, report)
    return report


@transaction.atomic
def indicators_continue(*, into: str, from_codes: list[str]) -> LoadReport:
    """Give the province ``into`` an indicator continuing each indicator of the
    provinces ``from_codes`` it succeeds (``<into>.<the rest of the code>``, one for the
    same code in several old provinces, reused when it exists), so that its dashboards
    combine their past figures (``IndicatorContinuation``). Targets are not copied:
    the new province's plan sets its own. Atomic: a code whose measure differs between
    the old provinces, or from the new province's indicator, is a problem and nothing
    is written. Idempotent."""
    target = Agency.objects.filter(code=into, kind=AgencyKind.PROVINCE).first()
    olds = list(Agency.objects.filter(code__in=from_codes, kind=AgencyKind.PROVINCE).order_by("code"))
    problems = [
        _("Không có tỉnh mã “%(code)s”.") % {"code": code}
        for code in [into, *from_codes]
        if code not in {p.code for p in [*olds, *([target] if target else [])]}
    ]
    if target is not None:
        predecessors = set(AgencySuccession.objects.province_predecessors(target.pk))
        problems += [
            _("Tỉnh %(old)s không phải tỉnh mà %(new)s kế tục.") % {"old": old.name, "new": target.name}
            for old in olds
            if old.pk not in predecessors
        ]
    if problems:
        raise MergeError(" ".join(problems), details=problems)
    assert target is not None
    report = LoadReport()
    for old in olds:
        for earlier in Indicator.objects.filter(province=old).order_by("code"):
            rest = earlier.code.removeprefix(f"{old.code}.")
            code = f"{into}.{rest}"
            values = {name: getattr(earlier, name) for name in Indicator.DEFINITION}
            later = Indicator.objects.filter(province=target, code=code).first()
            if later is None:
                try:
                    later = upsert(Indicator, report, {"province": target, "code": code}, values)
                except ValidationError as error:
                    problems += [f"{code}: {message}" for message in error.messages]
                    continue
            elif not IndicatorContinuation.matches(earlier, later):
                problems.append(
                    _(
                        "Chỉ tiêu %(code)s của %(new)s khác %(old)s về loại số liệu, hệ số quy đổi, kỳ báo "
                        "cáo hoặc cách tổng hợp theo thời gian."
                    )
                    % {"code": code, "new": target.name, "old": earlier.code}
                )
                continue
            upsert(IndicatorContinuation, report, {"earlier": earlier, "later": later}, {})
    if problems:
        raise MergeError(" ".join(problems), details=problems)
    return report


REFORM_DAY = date(2025, 7, 1)
REFORM_BASIS = "Nghị quyết của Quốc hội về sắp xếp đơn vị hành chính cấp tỉnh năm 2025"


@transaction.atomic
def reform_2025_load() -> LoadReport:
    """The demo of the 2025 reform over the seed provinces (their names and the old
    Bắc Ninh are in the seed files): Bắc Giang and the old Bắc Ninh form the new Bắc
    Ninh on 1 July 2025, and Bắc Giang's districts end that day, their communes carried
    to the new province; the new province's indicators continue the old ones', so its
    dashboards show their years combined. Atomic, idempotent."""
    report = LoadReport()
    for step in (
        provinces_merge(
            into="BN",
            name="UBND tỉnh Bắc Ninh",
            short_name="Bắc Ninh",
            from_codes=["BG", "BNC"],
            effective_on=REFORM_DAY,
            basis=REFORM_BASIS,
            continue_indicators=True,
        ),
        district_tier_abolish(province="BG", into="BN", effective_on=REFORM_DAY, basis=REFORM_BASIS),
    ):
        report.created.update(step.created)
        report.updated.update(step.updated)
    return report
