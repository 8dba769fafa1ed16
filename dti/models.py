"""The ministry's provincial DTI: its frameworks (the main and component indicators
with their points, and which component continues which when the framework changes),
and each year's assessment of a province with the points the ministry published.

A framework is national reference data, loaded from the ministry's file
(``dti.services.framework_load``); an assessment belongs to one province.
"""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from indicators.choices import AgencyKind
from indicators.models import YEAR_RANGE, Agency, Indicator, ProvinceScopedQuerySet

from .choices import FrameworkGroup, ScoringRule


class FrameworkQuerySet(models.QuerySet["Framework"]):
    def in_force(self, year: int) -> Framework | None:
        """The framework in force for ``year``: the latest whose first year is not after it."""
        return self.filter(first_year__lte=year).order_by("-first_year").first()


class Framework(models.Model):
    """A version of the ministry's provincial DTI (e.g. 922/QĐ-BTTTT of 2022): its
    main indicators and their components with maximum points, loaded from a file by
    ``load_dti_framework`` (dti.services.framework_load). National, read by all."""

    decision = models.CharField(_("số quyết định"), max_length=50, unique=True)
    issued_on = models.DateField(_("ngày ban hành"))
    title = models.CharField(_("tên"), max_length=500)
    first_year = models.PositiveSmallIntegerField(_("áp dụng từ năm"))
    max_points = models.DecimalField(_("tổng điểm tối đa"), max_digits=7, decimal_places=2)
    provisional_note = models.TextField(
        _("phần chưa xác định"),
        blank=True,
        help_text=_(
            "Bỏ trống khi mọi mục đã đúng như Quyết định; nếu không, ghi phần nào còn tạm (trang DTI "
            "hiển thị ghi chú này)."
        ),
    )
    history = HistoricalRecords()
    objects = FrameworkQuerySet.as_manager()

    class Meta:
        verbose_name = _("bộ chỉ số DTI")
        verbose_name_plural = _("bộ chỉ số DTI")
        ordering = ["-first_year"]

    def __str__(self) -> str:
        return f"{self.decision} ({self.first_year})"


class FrameworkIndicator(models.Model):
    """A main indicator of a framework (chỉ số chính), e.g. Chính quyền số, 200 points;
    0 points for one that is assessed but not scored (Đô thị thông minh in 922)."""

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="main_indicators", verbose_name=_("bộ chỉ số")
    )
    code = models.CharField(_("mã"), max_length=20)
    name = models.CharField(_("tên"), max_length=200)
    group = models.CharField(_("nhóm"), max_length=20, choices=FrameworkGroup.choices)
    max_points = models.DecimalField(_("điểm tối đa"), max_digits=7, decimal_places=2)
    component_count = models.PositiveSmallIntegerField(
        _("số chỉ số thành phần theo quyết định"),
        null=True,
        blank=True,
        help_text=_("Kể cả các chỉ số thành phần chưa gắn với chỉ tiêu của tỉnh."),
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chỉ số chính")
        verbose_name_plural = _("chỉ số chính")
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="framework_indicator_unique"),
            models.CheckConstraint(
                condition=Q(max_points__gte=0), name="framework_indicator_points_nonnegative"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class FrameworkComponent(models.Model):
    """A component indicator (chỉ số thành phần) with its maximum points and the rule
    that turns the province's figure into points; ``indicators`` are the provinces'
    plan indicators whose figures it is scored from. A component the ministry
    measures itself from national platforms is marked and entered by no province."""

    main = models.ForeignKey(
        FrameworkIndicator,
        on_delete=models.CASCADE,
        related_name="components",
        verbose_name=_("chỉ số chính"),
    )
    code = models.CharField(_("mã"), max_length=20)
    name = models.CharField(_("tên"), max_length=300)
    max_points = models.DecimalField(_("điểm tối đa"), max_digits=7, decimal_places=2)
    points_provisional = models.BooleanField(
        _("điểm tối đa tạm tính"),
        default=False,
        help_text=_("Chia đều điểm của chỉ số chính khi tệp không ghi điểm của chỉ số thành phần."),
    )
    rule = models.CharField(_("cách tính điểm"), max_length=20, choices=ScoringRule.choices)
    thresholds = models.JSONField(
        _("các ngưỡng"), default=list, blank=True, help_text=_("[[mức, phần điểm], …] theo mức tăng dần")
    )
    measured_by_ministry = models.BooleanField(_("Bộ tự đo từ nền tảng quốc gia"), default=False)
    indicators = models.ManyToManyField(
        Indicator, blank=True, related_name="framework_components", verbose_name=_("chỉ tiêu của tỉnh")
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    history = HistoricalRecords(m2m_fields=[indicators])

    class Meta:
        verbose_name = _("chỉ số thành phần")
        verbose_name_plural = _("chỉ số thành phần")
        ordering = ["main__order", "order"]
        constraints = [
            models.UniqueConstraint(fields=["main", "code"], name="framework_component_unique"),
            models.CheckConstraint(
                condition=Q(max_points__gte=0), name="framework_component_points_nonnegative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ComponentSuccession(models.Model):
    """A component of a later framework that continues one of an earlier framework, so
    that a plan indicator and its past figures follow it when the framework changes."""

    earlier = models.ForeignKey(
        FrameworkComponent,
        on_delete=models.CASCADE,
        related_name="successors",
        verbose_name=_("chỉ số của bộ trước"),
    )
    later = models.ForeignKey(
        FrameworkComponent,
        on_delete=models.CASCADE,
        related_name="predecessors",
        verbose_name=_("chỉ số của bộ sau"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chỉ số kế tiếp")
        verbose_name_plural = _("chỉ số kế tiếp")
        constraints = [
            models.UniqueConstraint(fields=["earlier", "later"], name="component_succession_unique")
        ]

    def __str__(self) -> str:
        return f"{self.earlier} → {self.later}"


class DtiAssessment(models.Model):
    """The ministry's DTI assessment of one province for one year (e.g. DTI 2023): the
    window in which the province submits its figures and evidence, and, once the
    ministry publishes it, the score it gave (the 0–1 index and the points per
    component, ``component_scores``) to set against the provisional score."""

    province = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="dti_assessments",
        limit_choices_to={"kind": AgencyKind.PROVINCE},
        verbose_name=_("tỉnh"),
    )
    year = models.PositiveSmallIntegerField(
        _("năm đánh giá"), help_text=_("Năm của chỉ số, ví dụ 2023 cho DTI 2023.")
    )
    framework = models.ForeignKey(
        Framework, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("bộ chỉ số")
    )
    opens_on = models.DateField(_("mở nhận số liệu, minh chứng"), null=True, blank=True)
    closes_on = models.DateField(_("hạn gửi số liệu, minh chứng"), null=True, blank=True)
    published_on = models.DateField(_("ngày Bộ công bố"), null=True, blank=True)
    published_index = models.DecimalField(
        _("chỉ số DTI Bộ công bố (0–1)"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
    )
    note = models.TextField(_("ghi chú"), blank=True, help_text=_("Văn bản của Bộ về đợt đánh giá, …"))

    history = HistoricalRecords()
    objects = ProvinceScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("đợt đánh giá DTI")
        verbose_name_plural = _("đợt đánh giá DTI")
        ordering = ["province", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "year"],
                name="dti_assessment_unique",
                violation_error_message=_("Tỉnh này đã có đợt đánh giá DTI của năm này."),
            ),
            models.CheckConstraint(
                condition=YEAR_RANGE,
                name="dti_assessment_year_valid",
                violation_error_message=_("Năm phải từ 2000 đến 2100."),
            ),
            models.CheckConstraint(
                condition=Q(opens_on__isnull=True)
                | Q(closes_on__isnull=True)
                | Q(closes_on__gte=models.F("opens_on")),
                name="dti_assessment_window_ordered",
                violation_error_message=_("Hạn gửi không được sớm hơn ngày mở nhận."),
            ),
            models.CheckConstraint(
                condition=Q(published_index__isnull=True)
                | (Q(published_index__gte=0) & Q(published_index__lte=1)),
                name="dti_assessment_index_range",
                violation_error_message=_("Chỉ số DTI công bố phải từ 0 đến 1."),
            ),
        ]

    def __str__(self) -> str:
        return _("DTI %(year)s · %(province)s") % {"year": self.year, "province": self.province.label}

    def clean(self) -> None:
        if not (self.framework_id and self.year):
            return
        in_force = Framework.objects.in_force(self.year)
        if in_force != self.framework:
            raise ValidationError(
                {
                    "framework": _(
                        "Năm %(year)s đánh giá theo bộ chỉ số %(in_force)s, không phải %(decision)s."
                    )
                    % {
                        "year": self.year,
                        "decision": self.framework.decision,
                        "in_force": in_force.decision if in_force else "—",
                    }
                }
            )

    @property
    def is_published(self) -> bool:
        return self.published_index is not None or self.published_on is not None


_M = TypeVar("_M", bound=models.Model)


class AssessmentScopedQuerySet(ProvinceScopedQuerySet[_M]):
    province_field = "assessment__province"


class PublishedComponentScore(models.Model):
    """The points the ministry published for one component of an assessment."""

    assessment = models.ForeignKey(
        DtiAssessment,
        on_delete=models.PROTECT,
        related_name="component_scores",
        verbose_name=_("đợt đánh giá"),
    )
    component = models.ForeignKey(
        FrameworkComponent,
        on_delete=models.PROTECT,
        related_name="published_scores",
        verbose_name=_("chỉ số thành phần"),
    )
    points = models.DecimalField(_("điểm Bộ công bố"), max_digits=7, decimal_places=2)

    history = HistoricalRecords()
    objects = AssessmentScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("điểm Bộ công bố")
        verbose_name_plural = _("điểm Bộ công bố theo chỉ số thành phần")
        ordering = ["assessment", "component__main__order", "component__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "component"],
                name="published_component_unique",
                violation_error_message=_("Chỉ số thành phần này đã có điểm công bố trong đợt đánh giá."),
            ),
            models.CheckConstraint(
                condition=Q(points__gte=0),
                name="published_component_points_nonnegative",
                violation_error_message=_("Điểm không được âm."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.component.code}: {self.points}"

    def clean(self) -> None:
        # The assessment may be unsaved yet (added with its points in the admin).
        try:
            assessment, component = self.assessment, self.component
        except ObjectDoesNotExist:
            return
        if assessment.framework_id is None:
            return  # the assessment's own form says what is missing
        if component.main.framework_id != assessment.framework_id:
            raise ValidationError(
                {"component": _("Chỉ số thành phần này không thuộc bộ chỉ số của đợt đánh giá.")}
            )
        # A maximum the framework file did not state is an estimate: the ministry's
        # points are taken as published.
        if (
            self.points is not None
            and not component.points_provisional
            and self.points > component.max_points
        ):
            raise ValidationError(
                {
                    "points": _("Điểm vượt điểm tối đa của chỉ số thành phần (%(max)s).")
                    % {"max": component.max_points}
                }
            )
