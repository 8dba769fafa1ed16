"""Writes of the catalogue that are not a file's load: a province merger (the 2025
reform: Bắc Giang and Bắc Ninh form the new Bắc Ninh on 1 July 2025)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from dti_portal.errors import DomainError

from .choices import AgencyChange, AgencyKind
from .loading import LoadReport, upsert
from .models import Agency, AgencySuccession

__all__ = ["MergeError", "provinces_merge"]


class MergeError(DomainError):
    code = "merge_invalid"


@transaction.atomic
def provinces_merge(
    *,
    into: str,
    name: str,
    from_codes: list[str],
    effective_on: date,
    short_name: str = "",
    basis: str = "",
) -> LoadReport:
    """Merge the provinces ``from_codes`` into the province ``into`` (created, or
    reused when it exists) from ``effective_on``: each old province and each of its
    departments that still exists ends the day before; the new province and, for each
    department, its successor (``<into>.<the department's own code>``, one for the
    departments of the same code in several old provinces) begin that day; every
    succession is recorded. Nothing else of the old provinces changes: their plans,
    targets, reports, figures and history stay as approved. Atomic: any problem and
    nothing is written (``MergeError`` lists them all). Idempotent."""
    last_day = effective_on - timedelta(days=1)
    olds = list(Agency.objects.filter(code__in=from_codes, kind=AgencyKind.PROVINCE).order_by("code"))
    problems = [
        _("Không có tỉnh mã “%(code)s”.") % {"code": code}
        for code in from_codes
        if code not in {old.code for old in olds}
    ]
    if into in from_codes:
        problems.append(_("Tỉnh mới “%(code)s” không được đồng thời là tỉnh hợp nhất.") % {"code": into})
    existing = Agency.objects.filter(code=into).first()
    if existing is not None and existing.kind != AgencyKind.PROVINCE:
        problems.append(_("Mã “%(code)s” đã là của một đơn vị không phải cấp tỉnh.") % {"code": into})
    for old in olds:
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
    province = existing or upsert(
        Agency,
        report,
        {"code": into},
        {"name": name, "short_name": short_name, "kind": AgencyKind.PROVINCE, "exists_from": effective_on},
    )
    for old in olds:
        _end(old, last_day, report)
        _succeed(old, province, AgencyChange.MERGED, effective_on, basis, report)
    departments = Agency.objects.filter(parent__in=olds, kind=AgencyKind.DEPARTMENT).existing(last_day)
    for department in departments.order_by("code"):
        own_code = department.code.split(".", 1)[1]
        successor = Agency.objects.filter(code=f"{into}.{own_code}").first() or upsert(
            Agency,
            report,
            {"code": f"{into}.{own_code}"},
            {
                "name": department.name,
                "short_name": department.short_name,
                "kind": AgencyKind.DEPARTMENT,
                "parent": province,
                "email": department.email,
                "exists_from": effective_on,
            },
        )
        _end(department, last_day, report)
        _succeed(department, successor, AgencyChange.MERGED, effective_on, basis, report)
    return report


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
