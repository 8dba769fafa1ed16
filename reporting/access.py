"""Who may see and do what with a submission: the portal's one rule, used by every
selector, page, download, service and API call.

- Department staff see and edit only their own agency's submissions.
- DIC officers see and review every submission of their province.
- Steering-committee members read their province's submissions and change nothing.
- Administrators see and manage every province.
"""

from __future__ import annotations

import logging
from typing import NoReturn, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from assignments.choices import Role
from assignments.models import user_roles
from indicators.access import user_province_id, user_sees_all_provinces
from indicators.models import readable_province_ids

from .choices import ALLOWED_TRANSITIONS, EDITORS, REVIEWERS, Action, Transition

audit_log = logging.getLogger("portal.audit")

PROVINCE_READERS = frozenset({Role.DIC_OFFICER, Role.STEERING_MEMBER, Role.ADMINISTRATOR})


def user_agency_id(user) -> int | None:
    profile = getattr(user, "profile", None) if user.is_authenticated else None
    return profile.agency_id if profile else None


_QS = TypeVar("_QS", bound=QuerySet)


def submission_scope(queryset: _QS, user, *, reading: bool = False) -> _QS:
    """The submissions of ``queryset`` that ``user`` may see; with ``reading``, for a
    province reader also those of the provinces theirs continues (a merger's old
    provinces, read-only: a download, never a change)."""
    if user_sees_all_provinces(user):
        return queryset.all()
    roles = user_roles(user)
    province_id = user_province_id(user)
    if province_id is None or not roles:
        return queryset.none()
    if roles & PROVINCE_READERS:
        if reading:
            return queryset.filter(period__province_id__in=readable_province_ids(user))
        return queryset.filter(period__province_id=province_id)
    return queryset.filter(period__province_id=province_id, agency_id=user_agency_id(user))


def may_edit(user, submission) -> bool:
    """Whether ``user`` may type values into ``submission`` (whatever its status):
    staff of the submitting agency, or an administrator."""
    roles = user_roles(user)
    if Role.ADMINISTRATOR in roles and _sees_province(user, submission):
        return True
    return bool(roles & EDITORS) and user_agency_id(user) == submission.agency_id


def may_review(user, submission) -> bool:
    """Whether ``user`` may return, approve or reopen ``submission``."""
    return bool(user_roles(user) & REVIEWERS) and _sees_province(user, submission)


def may_take(user, submission, transition: Transition) -> bool:
    """Whether ``user`` may take ``transition`` on ``submission``, by the transition's
    own roles (``ALLOWED_TRANSITIONS``): a reporting role on its own agency's
    submission (an administrator on any it sees), a reviewing role on any submission of
    its province. The status is the caller's to check."""
    roles = user_roles(user) & transition.roles
    if not roles:
        return False
    if not transition.own_agency_only:
        return _sees_province(user, submission)
    if Role.ADMINISTRATOR in roles and _sees_province(user, submission):
        return True
    return user_agency_id(user) == submission.agency_id


def actions_for(user, submission) -> list[Action]:
    """The workflow actions ``user`` may take on ``submission`` now, read from the
    transition table: its status is the transition's source, the roles allow it, and a
    reporting action needs the report still open for entry. Pages render their buttons
    from this, never from a status written in a template."""
    return [
        action
        for action, transition in ALLOWED_TRANSITIONS.items()
        if transition.source == submission.status
        and may_take(user, submission, transition)
        and (not transition.own_agency_only or submission.can_be_edited)
    ]


def may_review_province(user) -> bool:
    return bool(user_roles(user) & REVIEWERS)


def _sees_province(user, submission) -> bool:
    return user_sees_all_provinces(user) or user_province_id(user) == submission.period.province_id


def log_refusal(user, what: str, obj=None, reason: str = "") -> None:
    """Every refused attempt leaves a line in the audit log."""
    audit_log.warning(
        "refused: user=%s action=%s object=%s reason=%s",
        getattr(user, "username", "anonymous"),
        what,
        f"{type(obj).__name__}:{getattr(obj, 'pk', '')}" if obj else "-",
        reason,
    )


def refuse(request, what: str, obj=None) -> NoReturn:
    """A page's refusal: logged like every other, answered 403 with the same message."""
    log_refusal(request.user, what, obj)
    raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))
