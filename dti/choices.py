"""The DTI framework's and the evidence package's fixed choices."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FrameworkGroup(models.TextChoices):
    """The two halves of the provincial DTI (Quyết định 922/QĐ-BTTTT)."""

    FOUNDATION = "foundation", _("Nền tảng chung")
    ACTIVITY = "activity", _("Hoạt động chuyển đổi số")


class ScoringRule(models.TextChoices):
    """How a component's figure becomes points (dti.scoring)."""

    SHARE_OF_TARGET = "share_of_target", _("Theo mức đạt so với mức kế hoạch")
    THRESHOLDS = "thresholds", _("Theo ngưỡng")
    YES_NO = "yes_no", _("Có / không")


class PackageProblem(models.TextChoices):
    """What the ministry's assessment would find missing in the evidence package."""

    NO_INDICATOR = "no_indicator", _("Chưa gắn chỉ tiêu của tỉnh")
    NO_FIGURE = "no_figure", _("Chưa có số liệu cả năm")
    NOT_APPROVED = "not_approved", _("Báo cáo chưa được duyệt")
    NO_EVIDENCE = "no_evidence", _("Số liệu chưa có minh chứng")
    INCOMPLETE_DOCUMENT = "incomplete", _("Minh chứng thiếu số, ký hiệu, ngày hoặc cơ quan ban hành")
    LATE_DOCUMENT = "late", _("Văn bản ban hành sau hạn gửi")
    MISSING_FILE = "missing_file", _("Tệp không còn trên máy chủ")
