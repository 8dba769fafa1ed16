"""What agencies report: reporting periods, submissions, their values, task progress
and evidence, the workflow's events, and in-app notifications.

Statuses change only through ``reporting.services``; nothing here has side effects
in ``save()``.
"""

from __future__ import annotations

import time
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import PurePath
from typing import Any, TypeVar
from uuid import uuid4

from django.conf import settings
from django.db import connections, models
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from indicators.choices import AgencyKind, TimeRollup
from indicators.formatting import ROMAN_QUARTERS, format_number, quarter_name
from indicators.measures import Reported
from indicators.models import (
    YEAR_RANGE,
    Agency,
    Indicator,
    ProvinceScopedQuerySet,
    Target,
    Task,
)

from .access import submission_scope  # the rule lives beside the other checks
from .calendar import last_day as period_last_day
from .choices import (
    EDITABLE,
    UNASSIGNED,
    UNASSIGNED_LABEL,
    Action,
    FigureStatus,
    NotificationKind,
    PeriodState,
    ReminderKind,
    RollupState,
    RollupTrigger,
    SubmissionStatus,
    TaskStatus,
)

_M = TypeVar("_M", bound=models.Model)


class ReportingPeriod(models.Model):
    """A quarter (``quarter`` 1–4, code ``2024-Q1``) or a whole year (``quarter``
    empty, code ``2024``) of one province, with its dates. The dates are computed
    from the plans' calendars when the period is opened and may be adjusted by hand.
    """

    province = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="reporting_periods",
        limit_choices_to={"kind": AgencyKind.PROVINCE},
        verbose_name=_("tỉnh"),
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    quarter = models.PositiveSmallIntegerField(_("quý"), null=True, blank=True)
    opens_on = models.DateField(_("ngày mở nhập liệu"))
    due_on = models.DateField(_("hạn đơn vị gửi báo cáo"))
    compile_on = models.DateField(_("hạn cơ quan đầu mối tổng hợp"))
    state = models.CharField(
        _("trạng thái"), max_length=10, choices=PeriodState.choices, default=PeriodState.OPEN
    )

    history = HistoricalRecords()
    objects = ProvinceScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("kỳ báo cáo")
        verbose_name_plural = _("kỳ báo cáo")
        ordering = ["province", "-year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "year", "quarter"],
                condition=Q(quarter__isnull=False),
                name="period_quarter_unique",
                violation_error_message=_("Tỉnh này đã có kỳ báo cáo quý này."),
            ),
            models.UniqueConstraint(
                fields=["province", "year"],
                condition=Q(quarter__isnull=True),
                name="period_year_unique",
                violation_error_message=_("Tỉnh này đã có kỳ báo cáo năm này."),
            ),
            models.CheckConstraint(
                condition=Q(quarter__isnull=True) | (Q(quarter__gte=1) & Q(quarter__lte=4)),
                name="period_quarter_valid",
                violation_error_message=_("Quý phải từ 1 đến 4."),
            ),
            models.CheckConstraint(
                condition=YEAR_RANGE,
                name="period_year_valid",
                violation_error_message=_("Năm phải từ 2000 đến 2100."),
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("opens_on")) & Q(compile_on__gte=models.F("due_on")),
                name="period_dates_ordered",
                violation_error_message=_("Ngày mở phải không sau hạn gửi, hạn gửi không sau hạn tổng hợp."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} · {self.province.label}"

    @property
    def code(self) -> str:
        return f"{self.year}-Q{self.quarter}" if self.quarter else str(self.year)

    @property
    def last_day(self) -> date:
        """The last day the period covers: its quarter's, or 31 December."""
        return period_last_day(self.year, self.quarter)

    @property
    def name(self) -> str:
        """ "Quý I/2024" or "Năm 2024"."""
        if self.quarter:
            return quarter_name(self.quarter, self.year)
        return _("Năm %(year)s") % {"year": self.year}

    @property
    def is_yearly(self) -> bool:
        return self.quarter is None

    @property
    def is_open(self) -> bool:
        return self.state == PeriodState.OPEN


class PeriodScopedQuerySet(ProvinceScopedQuerySet[_M]):
    province_field = "period__province"


class SubmissionScopedQuerySet(ProvinceScopedQuerySet[_M]):
    province_field = "submission__period__province"


def no_longer_required_q(today: date, prefix: str = "") -> Q:
    """Reports no longer required on ``today`` (``prefix`` reaches the submission from
    another model, e.g. ``"submission__"``): not approved, of an agency that ended
    before ``today`` and before the report fell due. Such a report stays, but leaves
    the overdue counts and the coverage; one due while its agency existed remains
    required (late or missing). ``Submission.is_required`` is the same rule in Python."""
    ended = f"{prefix}agency__exists_until"
    before_due = Q(**{f"{prefix}due_on__isnull": False, f"{ended}__lt": F(f"{prefix}due_on")}) | Q(
        **{f"{prefix}due_on__isnull": True, f"{ended}__lt": F(f"{prefix}period__due_on")}
    )
    return Q(**{f"{ended}__lt": today}) & before_due & ~Q(**{f"{prefix}status": SubmissionStatus.APPROVED})


def overdue_q(today: date) -> Q:
    """Overdue on ``today``: required, not sent (or sent back), past the agency's
    deadline (``SubmissionQuerySet.with_deadline``). ``Submission.is_overdue`` in Python."""
    return Q(status__in=EDITABLE, deadline_on__lt=today) & ~no_longer_required_q(today)


class SubmissionQuerySet(PeriodScopedQuerySet["Submission"]):
    def required(self, today: date) -> SubmissionQuerySet:
        return self.exclude(no_longer_required_q(today))

    def with_deadline(self) -> SubmissionQuerySet:
        """Annotate ``deadline_on``: the submission's own due date, else its period's."""
        return self.annotate(deadline_on=Coalesce("due_on", "period__due_on"))

    def with_first_sent(self) -> SubmissionQuerySet:
        """Annotate ``first_sent``: when the agency first sent the report (a subquery, so
        it leaves other annotations' counts alone). ``Submission.days_late`` reads it."""
        first = (
            SubmissionEvent.objects.filter(submission=OuterRef("pk"), action=Action.SUBMIT)
            .order_by("at")
            .values("at")[:1]
        )
        return self.annotate(first_sent=Subquery(first))

    def overdue(self, today) -> SubmissionQuerySet:
        """Not yet sent (or sent back) and past the agency's deadline."""
        return self.with_deadline().filter(overdue_q(today))

    def visible_to(self, user) -> SubmissionQuerySet:
        """Department staff see their own agency's submissions; DIC officers and
        steering-committee members their province's; administrators every one."""
        return submission_scope(self, user)

    def readable_by(self, user) -> SubmissionQuerySet:
        """``visible_to``'s, and for province readers those of the provinces theirs continues."""
        return submission_scope(self, user, reading=True)


class Submission(models.Model):
    """What one agency reports for one period: a value for every indicator it must
    report and a progress line for every task it leads.

    ``version`` grows by one with every save; a save that started from an older
    version is refused (optimistic locking), so two people never overwrite each other.
    """

    # Indexed by the unique constraint (agency, period) and the index (period, agency):
    # a period's agencies are read from the index alone (a province's queue).
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="submissions",
        db_index=False,
        verbose_name=_("cơ quan, đơn vị"),
    )
    period = models.ForeignKey(
        ReportingPeriod,
        on_delete=models.PROTECT,
        related_name="submissions",
        db_index=False,
        verbose_name=_("kỳ báo cáo"),
    )
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    last_saved_at = models.DateTimeField(_("lưu lần cuối"), null=True, blank=True)
    last_saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người lưu lần cuối"),
    )
    submitted_at = models.DateTimeField(_("ngày gửi"), null=True, blank=True)
    approved_at = models.DateTimeField(_("ngày duyệt"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người duyệt"),
    )
    review_comment = models.TextField(_("ý kiến của cơ quan đầu mối"), blank=True)
    due_on = models.DateField(
        _("hạn gửi của đơn vị"),
        null=True,
        blank=True,
        help_text=_("Theo lịch của các kế hoạch giao việc cho đơn vị; để trống là hạn của kỳ báo cáo."),
    )

    history = HistoricalRecords()
    objects = SubmissionQuerySet.as_manager()

    # Attached by ``selectors.submissions.submissions_with_value_rows`` (the API), not stored.
    value_rows: list

    class Meta:
        verbose_name = _("báo cáo")
        verbose_name_plural = _("báo cáo")
        ordering = ["period", "agency__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "period"],
                name="submission_unique_per_agency_period",
                violation_error_message=_("Đơn vị đã có báo cáo cho kỳ này."),
            ),
        ]
        indexes = [
            models.Index(fields=["period", "agency"], name="submission_period_agency"),
            # The reports waiting for review, a few among every report ever sent: the
            # review queue and its count read them here, not by a scan of every report.
            models.Index(
                fields=["period"],
                name="submission_awaiting_review",
                condition=Q(status=SubmissionStatus.SUBMITTED),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency.label} — {self.period.name}"

    def get_absolute_url(self) -> str:
        return reverse("reporting:submission-detail", args=[self.pk])

    @property
    def deadline(self):
        """When this agency's report is due: its own date (the calendars of the plans
        that oblige it), else its period's. ``SubmissionQuerySet.with_deadline`` is the
        same rule in SQL."""
        return self.due_on or self.period.due_on

    def is_required(self, today: date) -> bool:
        """``no_longer_required_q``'s rule: an unapproved report of an agency that ended
        before it fell due is not."""
        until = self.agency.exists_until
        ended = until is not None and until < today and until < self.deadline
        return self.status == SubmissionStatus.APPROVED or not ended

    def is_overdue(self, today: date) -> bool:
        return self.is_editable and self.deadline < today and self.is_required(today)

    def days_overdue(self, today: date) -> int:
        """How many days past its due date an overdue report is (0 if it is not)."""
        return (today - self.deadline).days if self.is_overdue(today) else 0

    @property
    def days_late(self) -> int | None:
        """How many days after its due date the agency first sent the report: 0 if by
        it, None if never sent. Sending again after a return does not change it. Every
        "nộp muộn" label and the on-time statistics read this; it reads ``first_sent``
        (``SubmissionQuerySet.with_first_sent``), or the report's events."""
        if "first_sent" in self.__dict__:
            first_sent = self.__dict__["first_sent"]
        else:
            first_sent = self.events.filter(action=Action.SUBMIT).aggregate(first=models.Min("at"))["first"]
        if first_sent is None:
            return None
        return max(0, (timezone.localtime(first_sent).date() - self.deadline).days)

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def can_be_edited(self) -> bool:
        """Editable now: in an editable state, and either its period is open or the
        DIC sent it back after it was submitted (a closed period does not lock a
        report the DIC asked to correct)."""
        return self.is_editable and (self.period.is_open or self.submitted_at is not None)

    @property
    def was_returned(self) -> bool:
        """Sent back by the DIC and not yet submitted again: its comment still applies."""
        return self.is_editable and bool(self.review_comment)

    @property
    def is_started(self) -> bool:
        return self.last_saved_at is not None


class IndicatorValue(models.Model):
    """An agency's figure for one indicator in one submission. Which fields hold it
    depends on the indicator's measure type: ``numerator``/``denominator`` for a rate,
    ``value`` for a count or an amount, ``is_done``/``done_on`` for a milestone,
    ``is_done`` for yes-no, ``text`` for text."""

    submission = models.ForeignKey(
        Submission, on_delete=models.PROTECT, related_name="values", verbose_name=_("báo cáo")
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="values", verbose_name=_("chỉ tiêu")
    )
    value = models.DecimalField(_("giá trị"), max_digits=20, decimal_places=4, null=True, blank=True)
    numerator = models.DecimalField(_("tử số"), max_digits=20, decimal_places=4, null=True, blank=True)
    denominator = models.DecimalField(_("mẫu số"), max_digits=20, decimal_places=4, null=True, blank=True)
    is_done = models.BooleanField(_("đã đạt / có"), null=True, blank=True)
    done_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    text = models.TextField(_("nội dung"), blank=True)
    note = models.TextField(_("giải trình, ghi chú"), blank=True)
    review_comment = models.TextField(_("ý kiến của cơ quan đầu mối"), blank=True)

    history = HistoricalRecords()
    objects = SubmissionScopedQuerySet.as_manager()

    # Attached by ``selectors.submissions.submission_rows`` (and ``review_aids``), not stored.
    targets: list[Target]
    previous: IndicatorValue | None
    change: Decimal | None  # from the previous period's figure, in the indicator's unit
    change_share: Decimal | None
    outliers: list  # reporting.outliers.Outlier flags
    target_gap: Any  # reporting.selectors.submissions.TargetGap or None
    collected_for: list[Agency]  # the bodies whose figure a collector enters here

    class Meta:
        verbose_name = _("số liệu")
        verbose_name_plural = _("số liệu")
        ordering = ["submission", "indicator__pillar__order", "indicator__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "indicator"],
                name="value_unique_per_submission_indicator",
                violation_error_message=_("Báo cáo đã có số liệu của chỉ tiêu này."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} — {self.submission}"

    @property
    def figure(self) -> Decimal | None:
        """The agency's own figure in the indicator's unit (a rate's %, a ratio per its
        scale, a count, an amount); None for answers, text and a rate of 0/0."""
        return self.indicator.measure.own_figure(Reported.of(self), indicator=self.indicator)

    @property
    def display(self) -> str:
        """The value as a reader writes it, in Vietnamese style."""
        return self.indicator.measure.display(Reported.of(self), indicator=self.indicator)


class TaskProgress(models.Model):
    """How far one task the agency leads has come, as the agency reports it."""

    submission = models.ForeignKey(
        Submission, on_delete=models.PROTECT, related_name="task_progress", verbose_name=_("báo cáo")
    )
    task = models.ForeignKey(
        Task, on_delete=models.PROTECT, related_name="progress", verbose_name=_("nhiệm vụ")
    )
    status = models.CharField(
        _("tiến độ"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    note = models.TextField(_("ghi chú"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tiến độ nhiệm vụ")
        verbose_name_plural = _("tiến độ nhiệm vụ")
        ordering = ["submission", "task__plan__number", "task__sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "task"],
                name="task_progress_unique",
                violation_error_message=_("Báo cáo đã có tiến độ của nhiệm vụ này."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task.number} — {self.get_status_display()}"


def evidence_upload_to(instance: Evidence, filename: str) -> str:
    # The stored name is random, with the extension of the detected type (set in
    # ``file_name``); files are only served through a view that checks who asks.
    suffix = PurePath(instance.file_name).suffix.lower()[:10]
    return f"evidence/{instance.value.submission.period.year}/{uuid4().hex}{suffix}"


class Evidence(models.Model):
    """A document (file) or a link that proves a value (minh chứng)."""

    value = models.ForeignKey(
        IndicatorValue, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("số liệu")
    )
    file = models.FileField(_("tệp"), upload_to=evidence_upload_to, blank=True, max_length=255)
    file_name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    content_type = models.CharField(_("loại tệp"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("dung lượng (byte)"), default=0)
    link = models.URLField(_("đường dẫn"), max_length=500, blank=True)
    description = models.CharField(_("mô tả"), max_length=255, blank=True)
    # The document it is, as the ministry's assessment asks for it.
    document_number = models.CharField(_("số, ký hiệu văn bản"), max_length=60, blank=True)
    document_date = models.DateField(_("ngày ban hành"), null=True, blank=True)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người tải lên")
    )
    uploaded_at = models.DateTimeField(_("thời điểm tải lên"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("minh chứng")
        verbose_name_plural = _("minh chứng")
        ordering = ["value", "uploaded_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(link="")) | (~Q(file="") & Q(link="")),
                name="evidence_file_or_link",
                violation_error_message=_("Minh chứng là một tệp hoặc một đường dẫn."),
            ),
        ]

    def __str__(self) -> str:
        return self.file_name or self.link

    def get_absolute_url(self) -> str:
        if self.link:
            return self.link
        return reverse("reporting:evidence-download", args=[self.pk])

    @property
    def document(self) -> str:
        """ "Số 12/KH-UBND ngày 05/03/2024 của UBND tỉnh", from what is known of it."""
        parts = []
        if self.document_number:
            parts.append(_("Số %(number)s") % {"number": self.document_number})
        if self.document_date:
            parts.append(_("ngày %(date)s") % {"date": self.document_date.strftime("%d/%m/%Y")})
        if self.issuer:
            parts.append(_("của %(issuer)s") % {"issuer": self.issuer})
        return " ".join(parts)

    @property
    def missing_document_fields(self) -> list[str]:
        """The document details the assessment asks for and this evidence lacks."""
        return [
            str(label)
            for label, known in (
                (_("số, ký hiệu văn bản"), self.document_number),
                (_("ngày ban hành"), self.document_date),
                (_("cơ quan ban hành"), self.issuer),
            )
            if not known
        ]


class SubmissionEvent(models.Model):
    """One step of a submission's workflow: who moved it, when, from which status to
    which, and why. Written by the service in the same transaction as the change."""

    submission = models.ForeignKey(
        Submission, on_delete=models.PROTECT, related_name="events", verbose_name=_("báo cáo")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người thực hiện"),
    )
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    action = models.CharField(_("thao tác"), max_length=10)
    from_status = models.CharField(_("từ trạng thái"), max_length=10, choices=SubmissionStatus.choices)
    to_status = models.CharField(_("sang trạng thái"), max_length=10, choices=SubmissionStatus.choices)
    comment = models.TextField(_("ý kiến"), blank=True)

    class Meta:
        verbose_name = _("bước xử lý báo cáo")
        verbose_name_plural = _("các bước xử lý báo cáo")
        ordering = ["submission", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.submission}: {self.get_from_status_display()} → {self.get_to_status_display()}"


class Notification(models.Model):
    """An in-app notice to one user about a submission's step."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("người nhận"),
    )
    event = models.ForeignKey(
        SubmissionEvent, on_delete=models.PROTECT, related_name="notifications", verbose_name=_("bước xử lý")
    )
    kind = models.CharField(_("loại"), max_length=10, choices=NotificationKind.choices)
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("đã gửi thư lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.event.submission}"

    def get_absolute_url(self) -> str:
        return self.event.submission.get_absolute_url()


class ChangeCountQuerySet(models.QuerySet["ChangeCount"]):
    def add_one(self, name: str) -> None:
        """Count one more committed change of ``name``, in the caller's transaction:
        call it last before the transaction ends, since the count's row stays locked
        until then (the next change of the same name waits for this one's commit). One
        statement, the first count of a name included (PostgreSQL and SQLite both
        read ``ON CONFLICT``).

        The count goes to the next number or to the clock in microseconds, whichever
        is larger: still one step more than the last change's in commit order, and
        never a number the database held before a restore to an earlier state (the
        cache may keep pages under those)."""
        connection = connections[self.db]
        table = connection.ops.quote_name(self.model._meta.db_table)
        now = time.time_ns() // 1000
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (name, count) VALUES (%s, %s) "  # noqa: S608 - the model's table
                f"ON CONFLICT (name) DO UPDATE SET count = "
                f"CASE WHEN {table}.count + 1 > %s THEN {table}.count + 1 ELSE %s END",
                [name, now, now, now],
            )

    def counts(self, names: list[str]) -> tuple[int, ...]:
        """The counts of ``names``, in their order (0 for a name never counted). One query."""
        found = dict(self.filter(name__in=names).values_list("name", "count"))
        return tuple(found.get(name, 0) for name in names)


class ChangeCount(models.Model):
    """A count of the committed changes of one kind, for the keys of the pages kept in
    the cache (``dti_portal.caching``): a compile of a province's figures
    (``figures_changes``), an approval or a reopening, which change which values are
    approved (``APPROVED``). A change moves it forward in its own transaction
    (``add_one``), and the row lock makes the next one wait for its commit, so a count
    read by a page moves with every change committed after it, whatever order the
    transactions began in. The largest id or the latest time of the changed rows did
    not: ids and clocks are read when a transaction writes, not when it commits, and a
    run or an approval that began first and committed last left both where they were."""

    name = models.CharField(_("tên"), max_length=60, unique=True)
    count = models.BigIntegerField(_("số lần thay đổi"), default=0)

    objects = ChangeCountQuerySet.as_manager()

    class Meta:
        verbose_name = _("số lần thay đổi")
        verbose_name_plural = _("số lần thay đổi")

    def __str__(self) -> str:
        return f"{self.name}: {self.count}"

    APPROVED = "approved"

    @staticmethod
    def figures_changes(province_id: int) -> str:
        return f"figures:{province_id}"


class ProvinceFigure(models.Model):
    """The province's figure of one indicator in one period, compiled from approved
    values by ``rollup.services.compile_province_rollup``, with its coverage and its status
    against the year's target. Derived data: a run replaces a period's figures whole."""

    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.CASCADE, related_name="figures", verbose_name=_("kỳ báo cáo")
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="province_figures", verbose_name=_("chỉ tiêu")
    )
    value = models.DecimalField(_("số liệu của tỉnh"), max_digits=24, decimal_places=6, null=True, blank=True)
    numerator = models.DecimalField(_("tổng tử số"), max_digits=24, decimal_places=4, null=True, blank=True)
    denominator = models.DecimalField(
        _("tổng mẫu số"), max_digits=24, decimal_places=4, null=True, blank=True
    )
    # The figure the status rests on: a flow's year to date in a quarter, else the figure.
    judged_value = models.DecimalField(
        _("số liệu dùng để đánh giá"),
        max_digits=24,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("Số phát sinh: lũy kế từ đầu năm đến kỳ này."),
    )
    judged_numerator = models.DecimalField(
        _("tổng tử số dùng để đánh giá"), max_digits=24, decimal_places=4, null=True, blank=True
    )
    judged_denominator = models.DecimalField(
        _("tổng mẫu số dùng để đánh giá"), max_digits=24, decimal_places=4, null=True, blank=True
    )
    approved_agencies = models.PositiveIntegerField(
        _("số báo cáo đã duyệt"),
        default=0,
        help_text=_("Đơn vị × kỳ: với năm của chỉ tiêu báo cáo quý, mỗi quý của mỗi đơn vị là một báo cáo."),
    )
    required_agencies = models.PositiveIntegerField(_("số báo cáo phải có"), default=0)
    not_applicable_agencies = models.PositiveIntegerField(
        _("số báo cáo không phát sinh"),
        default=0,
        help_text=_("Tỷ lệ 0/0: được duyệt nhưng không có trọng số."),
    )
    through_quarter = models.PositiveSmallIntegerField(
        _("số liệu đến quý"),
        null=True,
        blank=True,
        help_text=_("Quý gần nhất có số liệu mà số liệu của tỉnh dựa vào."),
    )
    target = models.ForeignKey(
        "indicators.Target",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mức kế hoạch năm"),
    )
    status = models.CharField(_("đánh giá"), max_length=12, choices=FigureStatus.choices)
    compiled_at = models.DateTimeField(_("thời điểm tổng hợp"))

    objects = PeriodScopedQuerySet.as_manager()

    # Attached by ``exports.report.ministry_report``, not stored: the agencies' names.
    leads: list[str]
    coordinating: list[str]

    class Meta:
        verbose_name = _("số liệu tổng hợp của tỉnh")
        verbose_name_plural = _("số liệu tổng hợp của tỉnh")
        ordering = ["period", "indicator__pillar__order", "indicator__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "indicator"],
                name="province_figure_unique",
                violation_error_message=_("Kỳ này đã có số liệu tổng hợp của chỉ tiêu này."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} — {self.period}"

    @property
    def coverage(self) -> Decimal | None:
        """Approved reports over the reports required, in % (agency-quarters for a year)."""
        return (
            Decimal(self.approved_agencies) * 100 / self.required_agencies if self.required_agencies else None
        )

    @property
    def display(self) -> str:
        """The figure with its unit, as every page and sheet writes it: "75 % (45/60)"."""
        return self.indicator.measure.figure_display(
            self.value, self.numerator, self.denominator, indicator=self.indicator
        )

    @property
    def judged_display(self) -> str:
        return self.indicator.measure.figure_display(
            self.judged_value, self.judged_numerator, self.judged_denominator, indicator=self.indicator
        )

    @property
    def is_year_to_date(self) -> bool:
        """Judged on the year so far, not on the quarter alone: a flow's second to fourth quarter."""
        return (
            self.judged_value is not None
            and self.period.quarter not in (None, 1)
            and self.indicator.rollup_time == TimeRollup.FLOW
        )

    @property
    def share_of_target(self) -> Decimal | None:
        """How far the judged figure goes towards the target (``Measure.share_of_target``)."""
        if self.target is None:
            return None
        return self.indicator.measure.share_of_target(
            self.judged_value, self.target, indicator=self.indicator
        )

    @property
    def is_unassigned(self) -> bool:
        """A plan sets a target for the year and no agency must report the indicator in
        this period: not "no data yet" but a gap in the assignments, counted apart (an
        indicator without a target that year is nobody's to report)."""
        return self.required_agencies == 0 and self.value is None and self.target_id is not None

    @property
    def shown_status(self) -> tuple[str, str]:
        """The status as the pages show it: (code, label), "not assigned" apart."""
        if self.is_unassigned:
            return UNASSIGNED, str(UNASSIGNED_LABEL)
        return self.status, str(self.get_status_display())

    @property
    def basis(self) -> str:
        """What the status rests on, in one sentence every page, sheet and API answer
        shows: the reports approved of those required, whether that is under the
        threshold, the latest quarter a year's figure reaches, the rates of 0/0."""
        if self.value is None and self.judged_value is None and not self.not_applicable_agencies:
            return ""
        parts = []
        if self.target_id is None:
            parts.append(_("chưa có mức kế hoạch năm %(year)s") % {"year": self.period.year})
        coverage = self.coverage
        if coverage is not None:
            parts.append(
                _("dựa trên %(approved)s/%(required)s báo cáo đã duyệt (%(coverage)s%%)")
                % {
                    "approved": format_number(self.approved_agencies),
                    "required": format_number(self.required_agencies),
                    "coverage": format_number(coverage.quantize(Decimal(1), rounding=ROUND_HALF_UP)),
                }
            )
            threshold = settings.ROLLUP_COVERAGE_THRESHOLD
            if coverage < threshold:
                parts.append(_("dưới ngưỡng %(threshold)s%% để đánh giá") % {"threshold": threshold})
        if self.through_quarter and self.period.quarter is None and self.through_quarter < 4:
            parts.append(
                _("số liệu mới đến quý %(quarter)s") % {"quarter": ROMAN_QUARTERS[self.through_quarter]}
            )
        if self.not_applicable_agencies:
            parts.append(
                _("%(count)s báo cáo không phát sinh (0/0), không tính")
                % {"count": format_number(self.not_applicable_agencies)}
            )
        if self.is_year_to_date:
            parts.append(_("lũy kế từ đầu năm: %(value)s") % {"value": self.judged_display})
        text = "; ".join(str(p) for p in parts)
        return text[:1].upper() + text[1:]


class RollupRun(models.Model):
    """One run of the roll-up over a period's figures: requested (pending), running, done or
    failed. At most one pending run per period, so many approvals in a minute
    coalesce into one run."""

    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.CASCADE, related_name="rollup_runs", verbose_name=_("kỳ báo cáo")
    )
    state = models.CharField(
        _("trạng thái"), max_length=10, choices=RollupState.choices, default=RollupState.PENDING
    )
    trigger = models.CharField(_("lý do chạy"), max_length=20, choices=RollupTrigger.choices)
    requested_at = models.DateTimeField(_("thời điểm yêu cầu"), auto_now_add=True)
    started_at = models.DateTimeField(_("bắt đầu"), null=True, blank=True)
    finished_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)
    figure_count = models.PositiveIntegerField(_("số chỉ tiêu"), default=0)
    approved_submissions = models.PositiveIntegerField(_("số báo cáo đã duyệt"), default=0)
    required_submissions = models.PositiveIntegerField(_("số báo cáo phải nộp"), default=0)
    error = models.TextField(_("lỗi"), blank=True)

    objects = PeriodScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("lần tổng hợp")
        verbose_name_plural = _("các lần tổng hợp")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["period"],
                condition=Q(state="pending"),
                name="rollup_one_pending_run_per_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} — {self.get_state_display()}"


class ReminderLog(models.Model):
    """A reminder decided for an agency (or a digest for a recipient agency): at most
    one per agency, period, kind and day, enforced by the database so that two runs at
    once send one email. ``run`` names the run that claimed it; ``sent_at`` is set once
    the email went out."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="reminders", verbose_name=_("cơ quan, đơn vị")
    )
    period = models.ForeignKey(
        ReportingPeriod,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name=_("kỳ báo cáo"),
    )
    province = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("tỉnh"),
        limit_choices_to={"kind": AgencyKind.PROVINCE},
    )
    kind = models.CharField(_("loại"), max_length=10, choices=ReminderKind.choices)
    day = models.DateField(_("ngày"))
    run = models.CharField(_("lần chạy"), max_length=64)
    recipients = models.TextField(_("người nhận"), blank=True)
    summary = models.TextField(_("nội dung"), blank=True)
    created_at = models.DateTimeField(_("thời điểm quyết định"), auto_now_add=True)
    # When ``run`` last claimed the row: a claim older than REMINDER_CLAIM_SECONDS and
    # still unsent belonged to a run that died, and the next run takes it over.
    claimed_at = models.DateTimeField(_("thời điểm nhận gửi"), default=timezone.now)
    sent_at = models.DateTimeField(_("thời điểm gửi"), null=True, blank=True)

    objects = ProvinceScopedQuerySet.as_manager()

    # Attached by ``services.reminders`` while sending, not stored.
    submission: Submission
    missing: list[str]  # the indicators still unanswered
    overdue: list[Submission]  # a digest's overdue reports

    class Meta:
        verbose_name = _("thư nhắc")
        verbose_name_plural = _("nhật ký thư nhắc")
        ordering = ["-day", "agency__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "period", "kind", "day"],
                condition=Q(period__isnull=False),
                name="reminder_once_per_agency_period_kind_day",
            ),
            models.UniqueConstraint(
                fields=["agency", "kind", "day"],
                condition=Q(period__isnull=True),
                name="digest_once_per_agency_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.agency} ({self.day})"


class ExportJob(models.Model):
    """A ministry workbook written in the background (a large export): its progress,
    and the file once ready, for the user who asked."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("người yêu cầu")
    )
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.CASCADE, related_name="exports", verbose_name=_("kỳ báo cáo")
    )
    state = models.CharField(
        _("trạng thái"), max_length=10, choices=RollupState.choices, default=RollupState.PENDING
    )
    done = models.PositiveIntegerField(_("số dòng đã ghi"), default=0)
    total = models.PositiveIntegerField(_("tổng số dòng"), default=0)
    file = models.FileField(_("tệp"), upload_to="exports/%Y/", blank=True, max_length=255)
    error = models.TextField(_("lỗi"), blank=True)
    created_at = models.DateTimeField(_("thời điểm yêu cầu"), auto_now_add=True)
    started_at = models.DateTimeField(_("bắt đầu"), null=True, blank=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)

    objects = PeriodScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("tệp báo cáo Bộ")
        verbose_name_plural = _("tệp báo cáo Bộ")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.period} — {self.get_state_display()}"

    def get_absolute_url(self) -> str:
        return reverse("reporting:export-job", args=[self.pk])

    @property
    def percent(self) -> int:
        return 100 if self.state == RollupState.DONE else (self.done * 100 // self.total if self.total else 0)
