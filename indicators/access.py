"""Which provinces a user may see: the one rule every catalogue queryset applies.

Kept free of imports from ``assignments`` (imports go the other way): the user's
agency is read through the ``profile`` relation that ``assignments`` adds to users,
and seeing every province is the permission ``indicators.view_all_provinces``.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.utils.translation import gettext as _


def user_province_id(user: User | AnonymousUser) -> int | None:
    """The id of the province of the user's agency, or None when the user has none."""
    if not user.is_authenticated:
        return None
    profile = getattr(user, "profile", None)
    if profile is None or profile.agency_id is None:
        return None
    agency = profile.agency
    return agency.province_id or agency.pk


def user_sees_all_provinces(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and (user.is_superuser or user.has_perm("indicators.view_all_provinces"))


def agency_write_problem(user: User | AnonymousUser, agency) -> str | None:
    """Why ``user`` may not create or change ``agency`` (its province already set by
    ``Agency.clean``), or None. Only administrators write a province row; everyone else
    writes agencies of their own province. The one rule of the admin form and the
    import."""
    if user_sees_all_provinces(user):
        return None
    if agency.kind == "province" or (agency.pk and agency.province_id is None):
        return str(_("Chỉ quản trị hệ thống được nhập, sửa cấp tỉnh."))
    if agency.province_id and agency.province_id != user_province_id(user):
        return str(_("Bạn chỉ được nhập dữ liệu của tỉnh mình."))
    return None
