"""Who may read what in the reporting API, beyond the querysets' ``visible_to``."""

from __future__ import annotations

from rest_framework import permissions

from assignments.models import user_roles

from ..access import PROVINCE_READERS

__all__ = ["IsProvinceReader"]


class IsProvinceReader(permissions.BasePermission):
    """The dashboards' readers: DIC officers, steering members, administrators."""

    message = "Chỉ cơ quan đầu mối, Ban Chỉ đạo và quản trị viên được xem số liệu tổng hợp của tỉnh."

    def has_permission(self, request, view):
        return bool(user_roles(request.user) & PROVINCE_READERS)
