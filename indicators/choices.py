from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyKind(models.TextChoices):
    PROVINCE = "province", _("Tỉnh, thành phố")
    DEPARTMENT = "department", _("Sở, ban, ngành")
    DISTRICT = "district", _("Huyện, thị xã, thành phố thuộc tỉnh")
    COMMUNE = "commune", _("Xã, phường, thị trấn")
    CENTRAL = "central", _("Cơ quan Trung ương đóng trên địa bàn")
    ENTERPRISE = "enterprise", _("Doanh nghiệp")
    PRESS = "press", _("Cơ quan báo chí")
    ORGANIZATION = "organization", _("Tổ chức, ban chỉ đạo")


class AgencyChange(models.TextChoices):
    """How an agency continues in another (the 2025 reform: mergers, the district tier gone)."""

    RENAMED = "renamed", _("Đổi tên")
    MERGED = "merged", _("Hợp nhất, sáp nhập vào")
    SPLIT = "split", _("Chia tách thành")
    TIER_ABOLISHED = "tier_abolished", _("Bỏ cấp trung gian, chuyển về")


# The collective references a plan may use instead of naming agencies one by one.
AGENCY_GROUPS = {
    "@departments": AgencyKind.DEPARTMENT,
    "@districts": AgencyKind.DISTRICT,
    "@communes": AgencyKind.COMMUNE,
}


class MeasureType(models.TextChoices):
    RATE = "rate", _("Tỷ lệ % (tử số / mẫu số)")
    RATIO = "ratio", _("Tỷ số (tử số / mẫu số × hệ số, ví dụ GB/thuê bao, thiết bị/100 dân)")
    COUNT = "count", _("Số lượng, tần suất")
    AMOUNT = "amount", _("Số tiền (đồng)")
    MILESTONE = "milestone", _("Mốc hoàn thành")
    YES_NO = "yes_no", _("Có / Không")
    TEXT = "text", _("Văn bản")


class Direction(models.TextChoices):
    INCREASE = "increase", _("Càng cao càng tốt")
    DECREASE = "decrease", _("Càng thấp càng tốt")


class AgencyRollup(models.TextChoices):
    """How agencies' values make the province's figure."""

    RATIO_OF_SUMS = "ratio_of_sums", _("Tổng tử số / tổng mẫu số")
    SUM = "sum", _("Cộng dồn")
    LEAD_VALUE = "lead_value", _("Số liệu của cơ quan chủ trì")
    MEAN = "mean", _("Trung bình")
    SHARE_YES = "share_yes", _("Tỷ lệ đơn vị trả lời Có")


class TimeRollup(models.TextChoices):
    """How a year's figure is made from its quarters."""

    STOCK = "stock", _("Lấy quý gần nhất (số tồn)")
    FLOW = "flow", _("Cộng các quý (số phát sinh)")


class CalendarScope(models.TextChoices):
    """Whom a plan's reporting calendar addresses."""

    PROVINCE = "province", _("Mọi đơn vị báo cáo của tỉnh")
    OWN_UNITS = "own_units", _("Chỉ các đơn vị kế hoạch này giao việc")


class Frequency(models.TextChoices):
    QUARTERLY = "quarterly", _("Hằng quý")
    YEARLY = "yearly", _("Hằng năm")


class Comparison(models.TextChoices):
    GTE = "gte", "≥"
    GT = "gt", ">"
    EQ = "eq", "="
    LTE = "lte", "≤"
    LT = "lt", "<"
    BETWEEN = "between", _("trong khoảng")


class RatioScale(models.IntegerChoices):
    """What a ratio is counted per: numerator × scale / denominator (a rate's is 100)."""

    PER_ONE = 1, _("trên 1 (ví dụ GB/thuê bao, bưu gửi/người)")
    PER_HUNDRED = 100, _("trên 100 (ví dụ thiết bị/100 dân; tỷ lệ %)")
    PER_THOUSAND = 1000, _("trên 1.000 (ví dụ trên 1.000 dân)")


class InstitutionRole(models.TextChoices):
    """The institutions the portal names for a province, whose names change over time."""

    DIC = "dic", _("Cơ quan đầu mối thu thập, duyệt số liệu (Sở)")
    MINISTRY = "ministry", _("Bộ nhận báo cáo")
    PROVINCE = "province", _("Tên của chính tỉnh, thành phố (khi đổi tên)")
