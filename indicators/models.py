"""The plan catalogue: agencies, plans, pillars, indicators, targets and tasks.

Everything here is reference data taken from the plans; what agencies report lives
in ``reporting``. Rows that plans and reports point at are protected from deletion.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Self, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .access import user_province_id, user_sees_all_provinces
from .choices import (
    AgencyChange,
    AgencyKind,
    AgencyRollup,
    CalendarScope,
    Comparison,
    Direction,
    Frequency,
    InstitutionRole,
    MeasureType,
    RatioScale,
    TimeRollup,
)
from .institutions import GENERIC_DIC, GENERIC_MINISTRY, Institution, Institutions
from .measures import MEASURES, measure_of

_M = TypeVar("_M", bound=models.Model)

YEAR_RANGE = Q(year__gte=2000) & Q(year__lte=2100)


class ProvinceScopedQuerySet(models.QuerySet[_M, _M]):
    """A queryset whose rows belong to one province through ``province_field``; a
    model whose province is further away declares a subclass naming the path (e.g.
    ``PlanScopedQuerySet``), so that type checkers see every model's queryset."""

    province_field = "province"

    def for_province(self, province_id: int) -> Self:
        return self.filter(**{f"{self.province_field}_id": province_id})

    def visible_to(self, user) -> Self:
        """The rows ``user`` may see: every province for administrators, else their own."""
        if user_sees_all_provinces(user):
            return self.all()
        province_id = user_province_id(user)
        if province_id is None:
            return self.none()
        return self.filter(**{f"{self.province_field}_id": province_id})

    def readable_by(self, user) -> Self:
        """The rows ``user`` may read: ``visible_to``'s and those of the provinces theirs
        continues (a merger's predecessors), which pages show read-only and labelled
        with the old province's name. Writes go through ``visible_to`` only."""
        if user_sees_all_provinces(user):
            return self.all()
        return self.filter(**{f"{self.province_field}_id__in": readable_province_ids(user)})


class PlanScopedQuerySet(ProvinceScopedQuerySet[_M]):
    province_field = "plan__province"


class IndicatorScopedQuerySet(ProvinceScopedQuerySet[_M]):
    province_field = "indicator__province"


def existing_q(start: date, end: date, prefix: str = "") -> Q:
    """Agencies (reached by ``prefix``, e.g. ``"agency__"``) that exist on some day from
    ``start`` to ``end``: founded by ``end`` and not ended before ``start`` (its last
    day is ``exists_until``). ``Agency.exists_between`` is the same rule in Python."""
    return (Q(**{f"{prefix}exists_from__isnull": True}) | Q(**{f"{prefix}exists_from__lte": end})) & (
        Q(**{f"{prefix}exists_until__isnull": True}) | Q(**{f"{prefix}exists_until__gte": start})
    )


class PredecessorScopedQuerySet(ProvinceScopedQuerySet[_M]):
    province_field = "predecessor__province"


class AgencyQuerySet(ProvinceScopedQuerySet["Agency"]):
    def provinces(self) -> Self:
        return self.filter(kind=AgencyKind.PROVINCE)

    def existing(self, start: date, end: date | None = None) -> Self:
        """The agencies that exist on some day from ``start`` to ``end`` (``start`` alone: that day)."""
        return self.filter(existing_q(start, end or start))

    def for_province(self, province_id: int) -> Self:
        # A province row has no ``province`` of its own: it is the root.
        return self.filter(Q(province_id=province_id) | Q(pk=province_id))

    def visible_to(self, user) -> Self:
        if user_sees_all_provinces(user):
            return self.all()
        province_id = user_province_id(user)
        return self.none() if province_id is None else self.for_province(province_id)

    def readable_by(self, user) -> Self:
        if user_sees_all_provinces(user):
            return self.all()
        ids = readable_province_ids(user)
        return self.filter(Q(province_id__in=ids) | Q(pk__in=ids))


class Agency(models.Model):
    """A unit in a province's tree: the province itself, its departments, districts,
    communes, and the central agencies, enterprises and press the plans name.

    The tree has no fixed depth (since July 2025 districts are gone and communes sit
    under the province), so ``province`` is kept on every row: permission checks
    filter on it without walking the tree. ``clean()`` sets it from the parent; a
    province, the root, has none.
    """

    code = models.CharField(_("mã"), max_length=50, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=100, blank=True)
    kind = models.CharField(_("loại"), max_length=20, choices=AgencyKind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("đơn vị cấp trên"),
    )
    province = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="province_agencies",
        verbose_name=_("tỉnh"),
        editable=False,
    )
    email = models.EmailField(_("thư điện tử"), blank=True)
    reported_by = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="collected_for",
        verbose_name=_("số liệu do cơ quan nhập"),
        help_text=_(
            "Chỉ chọn cho đối tượng không tự báo cáo (các doanh nghiệp, hộ kinh doanh, chi nhánh ngân "
            "hàng…): cơ quan thu thập số liệu của họ nhập số liệu ấy trong báo cáo của mình; đối tượng "
            "này không có báo cáo, nhắc hạn hay xếp hạng."
        ),
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    exists_from = models.DateField(
        _("thành lập từ ngày"), null=True, blank=True, help_text=_("Bỏ trống: có từ trước các kế hoạch.")
    )
    exists_until = models.DateField(
        _("tồn tại đến hết ngày"),
        null=True,
        blank=True,
        help_text=_("Ngày cuối cùng trước khi giải thể, sáp nhập hoặc bỏ cấp; bỏ trống: vẫn tồn tại."),
    )

    history = HistoricalRecords()
    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("cơ quan, đơn vị")
        verbose_name_plural = _("cơ quan, đơn vị")
        ordering = ["code"]
        permissions = [("view_all_provinces", _("Xem dữ liệu của mọi tỉnh"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=AgencyKind.PROVINCE, parent__isnull=True, province__isnull=True)
                | (~Q(kind=AgencyKind.PROVINCE) & Q(parent__isnull=False, province__isnull=False)),
                name="agency_province_is_root",
                violation_error_message=_("Chỉ cấp tỉnh không có đơn vị cấp trên; mọi đơn vị khác phải có."),
            ),
            models.CheckConstraint(
                condition=Q(exists_from__isnull=True)
                | Q(exists_until__isnull=True)
                | Q(exists_until__gte=F("exists_from")),
                name="agency_lifetime_ordered",
                violation_error_message=_("Ngày cuối cùng không được sớm hơn ngày thành lập."),
            ),
            models.CheckConstraint(
                condition=~Q(reported_by=F("pk")),
                name="agency_not_reported_by_itself",
                violation_error_message=_("Cơ quan nhập số liệu phải là một cơ quan khác."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("indicators:agency-detail", args=[self.pk])

    def exists_between(self, start: date, end: date) -> bool:
        """``existing_q`` for this agency."""
        return (self.exists_from is None or self.exists_from <= end) and (
            self.exists_until is None or self.exists_until >= start
        )

    @property
    def label(self) -> str:
        return self.short_name or self.name

    @property
    def reports_itself(self) -> bool:
        """False for a body whose figures another agency collects and enters
        (``reported_by``): it has no reports, reminders or rank of its own."""
        return self.reported_by_id is None

    @property
    def reporter(self) -> Agency:
        """The agency whose reports hold this agency's figures."""
        return self.reported_by or self

    def clean(self) -> None:
        if self.kind == AgencyKind.PROVINCE:
            if self.parent_id:
                raise ValidationError({"parent": _("Cấp tỉnh không có đơn vị cấp trên.")})
            self.province = None
            return
        if self.parent_id is None:
            raise ValidationError({"parent": _("Hãy chọn đơn vị cấp trên.")})
        ancestor, seen = self.parent, {self.pk}
        while ancestor is not None and ancestor.parent_id is not None:
            if ancestor.pk in seen:
                raise ValidationError({"parent": _("Cây đơn vị không được có vòng lặp.")})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent
        if ancestor is None or ancestor.pk in seen:
            raise ValidationError({"parent": _("Cây đơn vị không được có vòng lặp.")})
        if self.pk and self.province_id and self.province_id != ancestor.pk:
            # Its sub-units and everything assigned to it would keep the old province.
            raise ValidationError({"parent": _("Không thể chuyển cơ quan, đơn vị sang tỉnh khác.")})
        self.province = ancestor
        if self.reported_by_id is not None:
            self._clean_reported_by()

    def _clean_reported_by(self) -> None:
        collector = self.reported_by
        assert collector is not None  # called when reported_by_id is set
        if collector.pk == self.pk:
            raise ValidationError({"reported_by": _("Cơ quan nhập số liệu phải là một cơ quan khác.")})
        if collector.province_id != self.province_id:
            raise ValidationError({"reported_by": _("Cơ quan nhập số liệu phải thuộc cùng tỉnh.")})
        if not collector.is_active:
            raise ValidationError(
                {"reported_by": _("%(agency)s đã ngừng hoạt động.") % {"agency": collector.label}}
            )
        if collector.reported_by_id is not None:
            raise ValidationError(
                {
                    "reported_by": _("%(agency)s cũng không tự báo cáo: hãy chọn cơ quan tự báo cáo.")
                    % {"agency": collector.label}
                }
            )
        if self.pk and Agency.objects.filter(reported_by=self.pk).exists():
            raise ValidationError(
                {"reported_by": _("Cơ quan này đang nhập số liệu cho đối tượng khác nên phải tự báo cáo.")}
            )


class SuccessionQuerySet(PredecessorScopedQuerySet["AgencySuccession"]):
    def province_predecessors(self, province_id: int) -> list[int]:
        """The provinces ``province_id`` continues, directly or through earlier
        mergers, nearest first. One query per generation."""
        return self._provinces_reached(province_id, towards="predecessor")

    def province_successors(self, province_id: int) -> list[int]:
        """The provinces that continue ``province_id``, directly (a merger's new
        province) or through later mergers, nearest first. One query per generation."""
        return self._provinces_reached(province_id, towards="successor")

    def predecessor_last_days(self, province_id: int) -> dict[int, date]:
        """The provinces ``province_id`` continues → the last day each existed: its
        ``exists_until``, else the day before it was first succeeded (a succession
        recorded without ending it). Two queries and one per generation."""
        predecessors = self.province_predecessors(province_id)
        if not predecessors:
            return {}
        last_days = dict(Agency.objects.filter(pk__in=predecessors).values_list("pk", "exists_until"))
        first_succeeded = dict(
            self.filter(predecessor_id__in=predecessors)
            .values("predecessor_id")
            .annotate(first=models.Min("effective_on"))
            .values_list("predecessor_id", "first")
        )
        return {
            pk: last_days.get(pk) or first_succeeded[pk] - timedelta(days=1)
            for pk in predecessors
            if last_days.get(pk) or pk in first_succeeded
        }

    def first_continued_on(self, province_id: int) -> date | None:
        """The first day ``province_id`` continued another province (a merger), if ever. One query."""
        return self.filter(successor_id=province_id, predecessor__kind=AgencyKind.PROVINCE).aggregate(
            first=models.Min("effective_on")
        )["first"]

    def _provinces_reached(self, province_id: int, *, towards: str) -> list[int]:
        start = "successor" if towards == "predecessor" else "predecessor"
        found: list[int] = []
        frontier = [province_id]
        while frontier:
            reached = (
                self.filter(**{f"{start}_id__in": frontier, f"{towards}__kind": AgencyKind.PROVINCE})
                .order_by(f"{towards}__code")
                .values_list(f"{towards}_id", flat=True)
                .distinct()
            )
            frontier = [pk for pk in reached if pk != province_id and pk not in found]
            found += frontier
        return found


def readable_province_ids(user) -> list[int]:
    """The user's province and those it continues (``SuccessionQuerySet.province_predecessors``);
    kept on the user for the request, since a page asks several querysets."""
    cached = getattr(user, "_readable_province_ids", None)
    if cached is None:
        province_id = user_province_id(user)
        cached = (
            []
            if province_id is None
            else [province_id, *AgencySuccession.objects.province_predecessors(province_id)]
        )
        if user.is_authenticated:
            user._readable_province_ids = cached
    return cached


class AgencySuccession(models.Model):
    """An agency continued by another from a day: renamed, merged into a new or an
    existing one, split, or carried up when its tier was abolished (the district tier
    on 1 July 2025). The predecessor's reports and figures stay as they were approved."""

    predecessor = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="successions", verbose_name=_("đơn vị trước")
    )
    successor = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="predecessions", verbose_name=_("đơn vị kế tục")
    )
    change = models.CharField(_("hình thức"), max_length=20, choices=AgencyChange.choices)
    effective_on = models.DateField(_("có hiệu lực từ ngày"))
    basis = models.CharField(_("văn bản"), max_length=255, blank=True, help_text=_("Số, ký hiệu văn bản."))

    history = HistoricalRecords()
    objects = SuccessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("kế tục cơ quan, đơn vị")
        verbose_name_plural = _("kế tục cơ quan, đơn vị")
        ordering = ["effective_on", "predecessor__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"],
                name="agency_succession_unique",
                violation_error_message=_("Đã ghi đơn vị này kế tục đơn vị kia."),
            ),
            models.CheckConstraint(
                condition=~Q(predecessor=F("successor")),
                name="agency_succession_not_itself",
                violation_error_message=_("Một đơn vị không kế tục chính nó."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.get_change_display()})"

    def clean(self) -> None:
        predecessor = self.predecessor if self.predecessor_id else None
        if predecessor is not None and self.effective_on and predecessor.exists_until:
            if predecessor.exists_until >= self.effective_on:
                raise ValidationError(
                    {
                        "effective_on": _(
                            "Đơn vị trước còn tồn tại đến hết %(until)s: ngày kế tục phải sau ngày đó."
                        )
                        % {"until": predecessor.exists_until.strftime("%d/%m/%Y")}
                    }
                )


class InstitutionQuerySet(ProvinceScopedQuerySet["ProvinceInstitution"]):
    def names(self, *, province_id: int | None, on: date) -> Institutions:
        """The names in force for the province on ``on``: for each role, the row with
        the latest ``since`` not after it (a row without ``since`` is the first).
        The generic wording where the province records none. One query."""
        found: dict[str, Institution] = {}
        if province_id is not None:
            rows = self.filter(province_id=province_id).filter(Q(since__isnull=True) | Q(since__lte=on))
            for row in rows.order_by("role", F("since").desc(nulls_last=True)):
                found.setdefault(row.role, Institution(row.name, row.short_name or row.name))
        return Institutions(
            dic=found.get(InstitutionRole.DIC, GENERIC_DIC),
            ministry=found.get(InstitutionRole.MINISTRY, GENERIC_MINISTRY),
            province=found.get(InstitutionRole.PROVINCE),
        )


class ProvinceInstitution(models.Model):
    """The name of an institution of a province from a date: the department that
    collects, reviews and approves the figures (the DIC: the department of information
    and communications until 28 February 2025, of science and technology since 1 March
    2025) or the ministry the report goes to. Pages, emails and workbooks read the name in force
    (``ProvinceInstitution.objects.names``); no name is written in the code."""

    province = models.ForeignKey(
        Agency,
        on_delete=models.CASCADE,
        related_name="institutions",
        limit_choices_to={"kind": AgencyKind.PROVINCE},
        verbose_name=_("tỉnh"),
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=InstitutionRole.choices)
    name = models.CharField(_("tên"), max_length=255, help_text=_("Tên đầy đủ, như văn bản của tỉnh ghi."))
    short_name = models.CharField(
        _("tên viết tắt"),
        max_length=100,
        blank=True,
        help_text=_("Cách viết ngắn trong câu, ví dụ tên viết tắt của sở."),
    )
    since = models.DateField(
        _("áp dụng từ ngày"), null=True, blank=True, help_text=_("Bỏ trống: tên dùng từ đầu.")
    )

    history = HistoricalRecords()
    objects = InstitutionQuerySet.as_manager()

    class Meta:
        verbose_name = _("tên cơ quan theo thời gian")
        verbose_name_plural = _("tên cơ quan theo thời gian")
        ordering = ["province", "role", F("since").asc(nulls_first=True)]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "role", "since"],
                name="province_institution_unique",
                violation_error_message=_("Vai trò này của tỉnh đã có tên áp dụng từ ngày này."),
            ),
            models.UniqueConstraint(
                fields=["province", "role"],
                condition=Q(since__isnull=True),
                name="province_institution_one_first",
                violation_error_message=_("Vai trò này của tỉnh đã có tên dùng từ đầu."),
            ),
        ]

    def __str__(self) -> str:
        since = self.since.strftime("%d/%m/%Y") if self.since else _("từ đầu")
        return f"{self.name} ({since})"


class Plan(models.Model):
    """An official document (kế hoạch, quyết định) that sets targets and tasks.

    Its reporting calendar is data: each plan states its own due days. An agency's
    report is due by the calendars of the plans that oblige it; a period's own due date
    (for agencies no calendared plan obliges) comes from the plans whose calendar
    addresses the whole province (``calendar_scope``).
    """

    number = models.CharField(_("số, ký hiệu"), max_length=60, unique=True)
    title = models.CharField(_("trích yếu"), max_length=500)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=255)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    province = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="plans",
        limit_choices_to={"kind": AgencyKind.PROVINCE},
        verbose_name=_("tỉnh"),
    )
    year_from = models.PositiveSmallIntegerField(_("từ năm"))
    year_to = models.PositiveSmallIntegerField(_("đến năm"))
    quarterly_due_day = models.PositiveSmallIntegerField(
        _("hạn báo cáo quý (ngày của tháng cuối quý)"), null=True, blank=True
    )
    quarterly_compile_day = models.PositiveSmallIntegerField(
        _("hạn tổng hợp quý của cơ quan đầu mối"), null=True, blank=True
    )
    yearly_due = models.CharField(_("hạn báo cáo năm (tháng-ngày)"), max_length=5, blank=True)
    yearly_compile = models.CharField(_("hạn tổng hợp năm (tháng-ngày)"), max_length=5, blank=True)
    calendar_scope = models.CharField(
        _("lịch báo cáo áp dụng cho"),
        max_length=10,
        choices=CalendarScope.choices,
        default=CalendarScope.PROVINCE,
        help_text=_(
            "Lịch của một kế hoạch chỉ giao việc cho các đơn vị của một sở (ví dụ kế hoạch riêng của một sở) "
            "không làm thay đổi hạn báo cáo của các đơn vị khác."
        ),
    )

    history = HistoricalRecords()
    objects = ProvinceScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("kế hoạch")
        verbose_name_plural = _("kế hoạch")
        ordering = ["-year_from", "number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year_to__gte=F("year_from")) & Q(year_from__gte=2000),
                name="plan_years_ordered",
                violation_error_message=_("Năm kết thúc phải không trước năm bắt đầu."),
            ),
            models.CheckConstraint(
                condition=Q(quarterly_due_day__isnull=True)
                | (Q(quarterly_due_day__gte=1) & Q(quarterly_due_day__lte=31)),
                name="plan_quarterly_due_day_valid",
                violation_error_message=_("Ngày hạn báo cáo quý phải từ 1 đến 31."),
            ),
            models.CheckConstraint(
                condition=Q(quarterly_compile_day__isnull=True)
                | (Q(quarterly_compile_day__gte=1) & Q(quarterly_compile_day__lte=31)),
                name="plan_quarterly_compile_day_valid",
                violation_error_message=_("Ngày hạn tổng hợp quý phải từ 1 đến 31."),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("indicators:plan-detail", args=[self.pk])

    @property
    def years(self) -> range:
        return range(self.year_from, self.year_to + 1)

    def clean(self) -> None:
        for field in ("yearly_due", "yearly_compile"):
            value = getattr(self, field)
            if value and not _is_month_day(value):
                raise ValidationError({field: _("Hãy ghi theo dạng tháng-ngày, ví dụ 12-20.")})


def _is_month_day(value: str) -> bool:
    try:
        month, day = (int(part) for part in value.split("-"))
    except ValueError:
        return False
    return 1 <= month <= 12 and 1 <= day <= 31


class Pillar(models.Model):
    """A DTI pillar or field (trụ cột / lĩnh vực) that groups indicators."""

    code = models.CharField(_("mã"), max_length=10, unique=True)
    name = models.CharField(_("tên"), max_length=100)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("trụ cột")
        verbose_name_plural = _("trụ cột")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    """A measured quantity of a province's catalogue, shared by the plans that set
    targets for it, with the rules that turn agencies' values into its figure."""

    province = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="indicators",
        limit_choices_to={"kind": AgencyKind.PROVINCE},
        verbose_name=_("tỉnh"),
    )
    code = models.CharField(_("mã"), max_length=60)
    name = models.CharField(_("tên chỉ tiêu"), max_length=500)
    pillar = models.ForeignKey(
        Pillar, on_delete=models.PROTECT, related_name="indicators", verbose_name=_("trụ cột")
    )
    unit = models.CharField(_("đơn vị tính"), max_length=60, blank=True)
    measure_type = models.CharField(_("loại số liệu"), max_length=20, choices=MeasureType.choices)
    numerator_label = models.CharField(_("tử số"), max_length=255, blank=True)
    denominator_label = models.CharField(_("mẫu số"), max_length=255, blank=True)
    scale = models.PositiveIntegerField(
        _("hệ số quy đổi"),
        choices=RatioScale.choices,
        default=RatioScale.PER_HUNDRED,
        help_text=_("Tỷ số = tử số × hệ số / mẫu số. Tỷ lệ phần trăm luôn có hệ số 100."),
    )
    allows_decimals = models.BooleanField(
        _("cho phép số thập phân"),
        default=False,
        help_text=_("Số lượng hoặc số tiền kế hoạch ghi theo bình quân, ví dụ 2,5 lần/tuần."),
    )
    direction = models.CharField(
        _("chiều tốt"), max_length=10, choices=Direction.choices, default=Direction.INCREASE
    )
    rollup_agencies = models.CharField(
        _("tổng hợp giữa các đơn vị"), max_length=20, choices=AgencyRollup.choices
    )
    rollup_time = models.CharField(_("tổng hợp theo thời gian"), max_length=10, choices=TimeRollup.choices)
    frequency = models.CharField(
        _("tần suất báo cáo"), max_length=10, choices=Frequency.choices, default=Frequency.QUARTERLY
    )
    description = models.TextField(_("ghi chú"), blank=True)

    history = HistoricalRecords()
    objects = ProvinceScopedQuerySet.as_manager()

    # What defines an indicator besides its province and code: the import, the API and
    # a merged province's continuing indicators (``indicators_continue``) carry these.
    DEFINITION = (
        "name",
        "pillar",
        "unit",
        "measure_type",
        "numerator_label",
        "denominator_label",
        "scale",
        "allows_decimals",
        "direction",
        "rollup_agencies",
        "rollup_time",
        "frequency",
        "description",
    )

    # Attached by ``assignments.selectors.indicators_without_reporters``, not stored.
    judging_target: Target | None

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["pillar__order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "code"],
                name="indicator_code_unique_in_province",
                violation_error_message=_("Mã chỉ tiêu đã có trong tỉnh này."),
            ),
            # Each measure type allows only the roll-ups it can compute (a rate has no
            # "mean": the province's rate is a ratio of sums, never a mean of rates).
            *[
                models.CheckConstraint(
                    condition=~Q(measure_type=code) | Q(rollup_agencies__in=sorted(measure.agency_rollups)),
                    name=f"indicator_{code}_agency_rollup",
                    violation_error_message=_(
                        "Cách tổng hợp giữa các đơn vị không dùng được cho loại số liệu này."
                    ),
                )
                for code, measure in MEASURES.items()
            ],
            *[
                models.CheckConstraint(
                    condition=~Q(measure_type=code) | Q(rollup_time__in=sorted(measure.time_rollups)),
                    name=f"indicator_{code}_time_rollup",
                    violation_error_message=_(
                        "Cách tổng hợp theo thời gian không dùng được cho loại số liệu này."
                    ),
                )
                for code, measure in MEASURES.items()
            ],
            *[
                models.CheckConstraint(
                    condition=~Q(measure_type=code) | Q(scale=measure.fixed_scale),
                    name=f"indicator_{code}_scale_{measure.fixed_scale}",
                    violation_error_message=_(
                        "Tỷ lệ phần trăm có hệ số 100; số liệu theo đơn vị khác hãy chọn loại “tỷ số”."
                    ),
                )
                for code, measure in MEASURES.items()
                if measure.fixed_scale
            ],
            models.CheckConstraint(
                condition=Q(scale__in=[s.value for s in RatioScale]),
                name="indicator_scale_valid",
                violation_error_message=_("Hệ số quy đổi phải là 1, 100 hoặc 1.000."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("indicators:indicator-detail", args=[self.pk])

    def get_measure_type_display(self) -> str:  # type: ignore[no-redef]  # Django's own, replaced
        """The measure type's label, as Django's own method writes it. Django's
        translates every choice's label to look one up (it hashes them), eight
        translations a call: an entry page of 40 rows made 330 of them."""
        try:
            return str(MeasureType(self.measure_type).label)
        except ValueError:
            return self.measure_type  # not a choice: the stored value, as Django's

    @property
    def measure(self):
        """The rules of this indicator's measure type (``indicators.measures``)."""
        return measure_of(self)

    @property
    def is_quotient(self) -> bool:
        """Typed as a numerator and a denominator (a rate or a ratio)."""
        return "numerator" in self.measure.fields

    @property
    def rollup_description(self) -> str:
        return self.measure.rollup_description(self.rollup_agencies, indicator=self)


class ContinuationQuerySet(ProvinceScopedQuerySet["IndicatorContinuation"]):
    province_field = "later__province"

    def sources(self, *, province_ids) -> dict[int, list[Indicator]]:
        """The indicators of ``province_ids`` that continue others → the indicators they
        continue directly (with their province). One query."""
        found: dict[int, list[Indicator]] = {}
        rows = self.filter(later__province_id__in=list(province_ids)).select_related("earlier__province")
        for row in rows.order_by("earlier__province__code", "earlier__code"):
            found.setdefault(row.later_id, []).append(row.earlier)
        return found

    def lineage(self, *, province_id: int) -> dict[int, list[Indicator]]:
        """The province's indicators that continue others → every indicator they
        continue, directly or through an earlier merger (A → B → the province), each
        once however many paths lead to it. One query per generation."""
        earlier_of = self.sources(province_ids=[province_id])
        direct = dict(earlier_of)
        seen = {province_id}
        frontier = {i.province_id for found in direct.values() for i in found} - seen
        while frontier:
            seen |= frontier
            found = self.sources(province_ids=frontier)
            earlier_of.update(found)
            frontier = {i.province_id for rows in found.values() for i in rows} - seen
        lineage: dict[int, list[Indicator]] = {}
        for later_id, earlier in direct.items():
            walked: dict[int, Indicator] = {}
            queue = list(earlier)
            while queue:
                indicator = queue.pop(0)
                if indicator.pk not in walked:
                    walked[indicator.pk] = indicator
                    queue.extend(earlier_of.get(indicator.pk, []))
            lineage[later_id] = list(walked.values())
        return lineage


class IndicatorContinuation(models.Model):
    """An indicator of a province that continues an indicator of a province it
    succeeds (a merger): for the quarters and years before the province existed, its
    figure is the continued indicators' approved reports combined by its own roll-up
    rule (``reporting.rollup.figures``). The old province's rows stay as approved."""

    earlier = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        related_name="continued_by",
        verbose_name=_("chỉ tiêu của tỉnh cũ"),
    )
    later = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        related_name="continues",
        verbose_name=_("chỉ tiêu kế tục"),
    )

    history = HistoricalRecords()
    objects = ContinuationQuerySet.as_manager()

    class Meta:
        verbose_name = _("chỉ tiêu kế tục")
        verbose_name_plural = _("chỉ tiêu kế tục")
        ordering = ["later__code", "earlier__province__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["earlier", "later"],
                name="indicator_continuation_unique",
                violation_error_message=_("Đã ghi chỉ tiêu này kế tục chỉ tiêu kia."),
            ),
            models.CheckConstraint(
                condition=~Q(earlier=F("later")),
                name="indicator_continuation_not_itself",
                violation_error_message=_("Một chỉ tiêu không kế tục chính nó."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.earlier.code} → {self.later.code}"

    # What two indicators must share for the old one's reports to be combined by the
    # new one's rules: the same kind of figure, per the same scale, per quarter or year,
    # and added up over time (a flow) or taken at its latest (a stock) alike.
    MUST_MATCH = ("measure_type", "scale", "frequency", "rollup_time")

    def clean(self) -> None:
        # ``later`` may be an indicator being added in the same admin form, not yet saved.
        earlier, later = getattr(self, "earlier", None), getattr(self, "later", None)
        if earlier is None or later is None:
            return
        if earlier.province_id not in AgencySuccession.objects.province_predecessors(later.province_id):
            raise ValidationError(
                {"earlier": _("Chỉ tiêu được kế tục phải thuộc một tỉnh mà tỉnh của chỉ tiêu này kế tục.")}
            )
        if not self.matches(earlier, later):
            raise ValidationError(
                {
                    "earlier": _(
                        "Hai chỉ tiêu phải cùng loại số liệu, hệ số quy đổi, kỳ báo cáo và cách tổng hợp "
                        "theo thời gian thì mới cộng gộp được."
                    )
                }
            )

    @classmethod
    def matches(cls, earlier: Indicator, later: Indicator) -> bool:
        return all(getattr(earlier, name) == getattr(later, name) for name in cls.MUST_MATCH)


class TargetQuerySet(PlanScopedQuerySet["Target"]):
    def judging(self, *, province_id: int, year: int, indicator_ids=None) -> dict[int, Target]:
        """The target that judges each indicator's ``year``: the one the DIC chose
        (``JudgingTarget``), else the one of the plan that covers the fewest years (a
        plan for that year wins over one for "2022 and the following years"), then the
        most recently issued plan's, then the later plan's. Two queries. The only place
        this precedence is written: the roll-up, the dashboards, the ranking and the DTI
        score read it (through this or ``judging_years``)."""
        found = self.judging_years(province_id=province_id, years=[year], indicator_ids=indicator_ids)
        return {indicator_id: target for (_year, indicator_id), target in found.items()}

    def judging_years(self, *, province_id: int, years, indicator_ids=None) -> dict[tuple[int, int], Target]:
        """``judging`` for several years at once: (year, indicator id) → target. Two queries."""
        targets = self.filter(plan__province_id=province_id, year__in=list(years))
        chosen = JudgingTarget.objects.filter(indicator__province_id=province_id, year__in=list(years))
        if indicator_ids is not None:
            targets = targets.filter(indicator_id__in=list(indicator_ids))
            chosen = chosen.filter(indicator_id__in=list(indicator_ids))
        choices = {
            (year, indicator_id): target_id
            for year, indicator_id, target_id in chosen.values_list("year", "indicator_id", "target_id")
        }
        result: dict[tuple[int, int], Target] = {}
        for target in targets.select_related("plan").order_by(
            "year",
            "indicator_id",
            F("plan__year_to") - F("plan__year_from"),
            F("plan__issued_on").desc(nulls_last=True),
            "-plan__year_from",
            "plan_id",
        ):
            key = (target.year, target.indicator_id)
            if choices.get(key) == target.pk:
                result[key] = target
            else:
                result.setdefault(key, target)
        return result

    def of_year(self, *, indicator, year: int) -> list[Target]:
        """Every plan's target for the indicator's ``year``, in precedence order, each
        marked ``judges`` when it is the one that judges the year. Two queries."""
        judging = self.judging(province_id=indicator.province_id, year=year, indicator_ids=[indicator.pk])
        rows = list(
            self.filter(indicator=indicator, year=year)
            .select_related("plan")
            .order_by(
                F("plan__year_to") - F("plan__year_from"),
                F("plan__issued_on").desc(nulls_last=True),
                "plan_id",
            )
        )
        for row in rows:
            row.indicator = indicator
            row.judges = judging.get(indicator.pk) is not None and judging[indicator.pk].pk == row.pk
        return rows


class Target(models.Model):
    """The value a plan sets for an indicator in a year: one per indicator, plan, year.

    ``wording`` and the ``*_wording`` fields keep the plan's own words; the agencies
    they name are linked in ``assignments``.
    """

    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="targets", verbose_name=_("chỉ tiêu")
    )
    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="targets", verbose_name=_("kế hoạch")
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    section = models.CharField(_("mục trong kế hoạch"), max_length=255, blank=True)
    comparison = models.CharField(_("so sánh"), max_length=10, choices=Comparison.choices)
    value = models.DecimalField(_("giá trị"), max_digits=20, decimal_places=4, null=True, blank=True)
    upper_value = models.DecimalField(
        _("giá trị trên"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    target_date = models.DateField(_("hạn hoàn thành"), null=True, blank=True)
    wording = models.TextField(_("nguyên văn"), blank=True)
    monitoring_wording = models.CharField(_("chủ trì theo dõi (nguyên văn)"), max_length=255, blank=True)
    lead_wording = models.CharField(_("chủ trì thực hiện (nguyên văn)"), max_length=500, blank=True)
    coordinating_wording = models.CharField(_("phối hợp (nguyên văn)"), max_length=500, blank=True)

    history = HistoricalRecords()
    objects = TargetQuerySet.as_manager()

    # Attached by the selectors that list targets, not stored.
    judges: bool  # it is the target that judges its year (``TargetQuerySet.judging``)
    assignment: object  # who monitors, leads and coordinates it (``selectors.AssignmentSummary``)

    class Meta:
        verbose_name = _("mức kế hoạch")
        verbose_name_plural = _("mức kế hoạch")
        ordering = ["plan", "year", "indicator__pillar__order", "indicator__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "plan", "year"],
                name="target_unique_per_indicator_plan_year",
                violation_error_message=_("Kế hoạch này đã có mức kế hoạch cho chỉ tiêu và năm này."),
            ),
            models.CheckConstraint(
                condition=YEAR_RANGE,
                name="target_year_valid",
                violation_error_message=_("Năm phải từ 2000 đến 2100."),
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=False) | Q(target_date__isnull=False),
                name="target_has_value_or_date",
                violation_error_message=_("Mức kế hoạch phải có giá trị hoặc hạn hoàn thành."),
            ),
            models.CheckConstraint(
                condition=~Q(comparison=Comparison.BETWEEN)
                | (Q(value__isnull=False) & Q(upper_value__isnull=False) & Q(upper_value__gte=F("value"))),
                name="target_between_is_ordered",
                violation_error_message=_(
                    "Mức kế hoạch dạng khoảng cần giá trị dưới và giá trị trên không nhỏ hơn."
                ),
            ),
            models.CheckConstraint(
                condition=Q(comparison=Comparison.BETWEEN) | Q(upper_value__isnull=True),
                name="target_upper_only_for_between",
                violation_error_message=_("Chỉ mức kế hoạch dạng khoảng mới có giá trị trên."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} — {self.year} ({self.plan})"

    @property
    def display(self) -> str:
        """The target as a reader writes it: "≥ 85%", "75 – 100 thiết bị/100 dân", "= có"."""
        return self.indicator.measure.target_display(self, indicator=self.indicator)

    def clean(self) -> None:
        if self.plan_id and self.indicator_id and self.plan.province_id != self.indicator.province_id:
            raise ValidationError({"indicator": _("Chỉ tiêu và kế hoạch phải thuộc cùng một tỉnh.")})


class JudgingTarget(models.Model):
    """The DIC's choice of the plan whose target judges an indicator's year, where the
    precedence of ``TargetQuerySet.judging`` would pick another plan's. Kept in history."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="judging_targets", verbose_name=_("chỉ tiêu")
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    target = models.ForeignKey(
        Target,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("mức kế hoạch dùng để đánh giá"),
    )
    reason = models.TextField(_("lý do"), blank=True)

    history = HistoricalRecords()
    objects = IndicatorScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("mức kế hoạch dùng để đánh giá")
        verbose_name_plural = _("mức kế hoạch dùng để đánh giá")
        ordering = ["indicator", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year"],
                name="judging_target_unique",
                violation_error_message=_("Chỉ tiêu này đã có lựa chọn cho năm này."),
            ),
            models.CheckConstraint(
                condition=YEAR_RANGE,
                name="judging_target_year_valid",
                violation_error_message=_("Năm phải từ 2000 đến 2100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} — {self.year}: {self.target.plan}"

    def clean(self) -> None:
        if (
            self.target_id
            and self.indicator_id
            and (self.target.indicator_id != self.indicator_id or self.target.year != self.year)
        ):
            raise ValidationError({"target": _("Hãy chọn một mức kế hoạch của chính chỉ tiêu và năm này.")})


class Task(models.Model):
    """A piece of work a plan assigns (nhiệm vụ): number, content, deadline, product."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("kế hoạch"))
    number = models.CharField(_("số thứ tự"), max_length=20)
    sort_key = models.CharField(max_length=60, editable=False, db_index=True)
    section = models.CharField(_("mục"), max_length=500, blank=True)
    content = models.TextField(_("nội dung"))
    lead_wording = models.CharField(_("chủ trì (nguyên văn)"), max_length=500, blank=True)
    coordinating_wording = models.CharField(_("phối hợp (nguyên văn)"), max_length=500, blank=True)
    deadline_text = models.CharField(_("thời gian hoàn thành (nguyên văn)"), max_length=255, blank=True)
    deadline_date = models.DateField(_("hạn hoàn thành"), null=True, blank=True)
    year_from = models.PositiveSmallIntegerField(_("từ năm"), null=True, blank=True)
    year_to = models.PositiveSmallIntegerField(_("đến năm"), null=True, blank=True)
    recurring = models.BooleanField(_("thực hiện thường xuyên, hằng năm"), default=False)
    product = models.CharField(_("sản phẩm"), max_length=500, blank=True)

    history = HistoricalRecords()
    objects = PlanScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["plan", "sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"],
                name="task_number_unique_in_plan",
                violation_error_message=_("Kế hoạch này đã có nhiệm vụ số này."),
            ),
            models.CheckConstraint(
                condition=Q(year_from__isnull=True)
                | Q(year_to__isnull=True)
                | Q(year_to__gte=F("year_from")),
                name="task_years_ordered",
                violation_error_message=_("Năm kết thúc phải không trước năm bắt đầu."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.content[:80]}"

    def get_absolute_url(self) -> str:
        return reverse("indicators:plan-tasks", args=[self.plan_id]) + f"#task-{self.pk}"

    def clean(self) -> None:
        self.sort_key = task_sort_key(self.number)


def task_sort_key(number: str) -> str:
    """ "1.10" sorts after "1.9": each numeric part is zero-padded."""
    return ".".join(part.zfill(4) if part.isdigit() else part for part in number.split("."))
