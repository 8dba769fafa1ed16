"""Which provinces a user may see: the one rule every catalogue queryset applies.

Kept free of imports from ``assignments`` (imports go the other way): the user's
agency is read through the ``profile`` relation that ``assignments`` adds to users,
and seeing every province is the permission ``indicators.view_all_provinces``.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User


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
