"""Who leads, monitors and coordinates what, who must report what, and who users are.

A target's agencies are kept per plan and year, as the plans assign them; the plan's
own words stay on the target and the task in ``indicators``.
"""

from __future__ import annotations

from typing import TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from indicators.models import (
    YEAR_RANGE,
    Agency,
    Indicator,
    IndicatorScopedQuerySet,
    Plan,
    PlanScopedQuerySet,
    ProvinceScopedQuerySet,
    Task,
)

from .choices import TASK_ROLES, AssignmentRole, Role


def _check_same_province(province_id: int | None, **related) -> None:
    """Every related row must belong to ``province_id``: an assignment never links
    one province's plan to another's agencies or indicators."""
    for field, obj in related.items():
        if obj is None or province_id is None:
            continue
        other = obj.province_id or obj.pk if field == "agency" else obj.province_id
        if other != province_id:
            raise ValidationError({field: _("Phải thuộc cùng tỉnh với kế hoạch, chỉ tiêu.")})


_M = TypeVar("_M", bound=models.Model)


class TaskScopedQuerySet(ProvinceScopedQuerySet[_M]):
    province_field = "task__plan__province"


class IndicatorAssignment(models.Model):
    """An agency's role for an indicator in a plan and year: lead (chủ trì thực hiện),
    monitoring lead (chủ trì theo dõi, đôn đốc, an official named by ``title``) or
    coordinating (phối hợp)."""

    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="indicator_assignments", verbose_name=_("kế hoạch")
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("chỉ tiêu")
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="indicator_assignments", verbose_name=_("cơ quan")
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=AssignmentRole.choices)
    title = models.CharField(_("chức danh"), max_length=255, blank=True)

    history = HistoricalRecords()
    objects = PlanScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("phân công chỉ tiêu")
        verbose_name_plural = _("phân công chỉ tiêu")
        ordering = ["plan", "year", "indicator", "role", "agency__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "indicator", "year", "agency", "role"],
                name="indicator_assignment_unique",
                violation_error_message=_("Cơ quan này đã được phân công vai trò này."),
            ),
            models.CheckConstraint(
                condition=YEAR_RANGE,
                name="indicator_assignment_year_valid",
                violation_error_message=_("Năm phải từ 2000 đến 2100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.agency} — {self.indicator} ({self.year})"

    def clean(self) -> None:
        if self.plan_id:
            _check_same_province(
                self.plan.province_id,
                indicator=self.indicator if self.indicator_id else None,
                agency=self.agency if self.agency_id else None,
            )


class TaskAssignment(models.Model):
    """An agency's role for a task: lead or coordinating."""

    task = models.ForeignKey(
        Task, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("nhiệm vụ")
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="task_assignments", verbose_name=_("cơ quan")
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=AssignmentRole.choices)

    history = HistoricalRecords()
    objects = TaskScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("phân công nhiệm vụ")
        verbose_name_plural = _("phân công nhiệm vụ")
        ordering = ["task", "role", "agency__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "agency", "role"],
                name="task_assignment_unique",
                violation_error_message=_("Cơ quan này đã được phân công vai trò này."),
            ),
            models.CheckConstraint(
                condition=Q(role__in=[role.value for role in TASK_ROLES]),
                name="task_assignment_role_valid",
                violation_error_message=_("Nhiệm vụ chỉ có cơ quan chủ trì và phối hợp."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.agency} — {self.task.number}"

    def clean(self) -> None:
        if self.task_id and self.agency_id:
            _check_same_province(self.task.plan.province_id, agency=self.agency)


class ReportingObligation(models.Model):
    """An agency must report an indicator for a year. The loader derives these from
    the lead agencies of the year's targets; DIC officers adjust them in the admin."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="obligations", verbose_name=_("chỉ tiêu")
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="obligations", verbose_name=_("cơ quan")
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    on_behalf_of = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="obligations_held_for",
        verbose_name=_("nhập thay cho"),
        help_text=_(
            "Đối tượng không tự báo cáo (Agency.reported_by) mà cơ quan này thu thập và nhập số liệu "
            "thay; bỏ trống: số liệu của chính cơ quan."
        ),
    )

    history = HistoricalRecords()
    objects = IndicatorScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("nghĩa vụ báo cáo")
        verbose_name_plural = _("nghĩa vụ báo cáo")
        ordering = ["year", "agency__code", "indicator__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "agency", "year"],
                name="reporting_obligation_unique",
                violation_error_message=_("Cơ quan này đã phải báo cáo chỉ tiêu này trong năm."),
            ),
            models.CheckConstraint(
                condition=YEAR_RANGE,
                name="reporting_obligation_year_valid",
                violation_error_message=_("Năm phải từ 2000 đến 2100."),
            ),
            models.CheckConstraint(
                condition=~Q(on_behalf_of=F("agency")),
                name="reporting_obligation_not_on_behalf_of_itself",
                violation_error_message=_("Cơ quan không nhập thay cho chính mình."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} — {self.indicator} ({self.year})"

    def clean(self) -> None:
        if self.indicator_id and self.agency_id:
            _check_same_province(self.indicator.province_id, agency=self.agency)
            collector = self.agency.reported_by
            if self._state.adding and collector is not None and not self.on_behalf_of_id:
                raise ValidationError(
                    {
                        "agency": _("%(agency)s không tự báo cáo: hãy giao cho %(collector)s nhập thay.")
                        % {"agency": self.agency.label, "collector": collector.label}
                    }
                )
        body = self.on_behalf_of if self.on_behalf_of_id else None
        if body is not None and self.agency_id and body.reported_by_id != self.agency_id:
            raise ValidationError(
                {
                    "on_behalf_of": _("Số liệu của %(body)s không do %(agency)s nhập.")
                    % {"body": body.label, "agency": self.agency.label}
                }
            )


class UserProfile(models.Model):
    """A user's agency. The role is the user's group (see ``Role``); the agency scopes
    what the user sees: department staff their agency, everyone else its province."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name=_("tài khoản"),
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="members", verbose_name=_("cơ quan")
    )
    position = models.CharField(_("chức vụ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hồ sơ người dùng")
        verbose_name_plural = _("hồ sơ người dùng")

    def __str__(self) -> str:
        return f"{self.user} ({self.agency})"


def user_roles(user) -> set[Role]:
    """The roles of ``user``, read once per request from its groups."""
    if not user.is_authenticated:
        return set()
    if not hasattr(user, "_portal_roles"):
        names = set(user.groups.values_list("name", flat=True))
        user._portal_roles = {role for role in Role if role.value in names}
        if user.is_superuser:
            user._portal_roles.add(Role.ADMINISTRATOR)
    return user._portal_roles


class PasswordResetRequest(models.Model):
    """A "Quên mật khẩu" request, kept whether or not its address has an account: what
    the limits count (per address and per computer, across every server process) and
    the trail of who asked, from where, and whether a link was sent."""

    email = models.EmailField(_("địa chỉ thư"), db_index=True)
    ip_address = models.GenericIPAddressField(_("địa chỉ máy"), null=True, blank=True)
    requested_at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    throttled = models.BooleanField(
        _("bị giới hạn"), default=False, help_text=_("Quá số lần cho phép trong một giờ: không gửi thư.")
    )

    class Meta:
        verbose_name = _("yêu cầu đặt lại mật khẩu")
        verbose_name_plural = _("yêu cầu đặt lại mật khẩu")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.email} ({self.requested_at:%d/%m/%Y %H:%M})"
