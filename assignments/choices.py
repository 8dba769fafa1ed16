from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """A user's role; each is a Django group of the same name carrying its permissions."""

    DEPARTMENT_STAFF = "department_staff", _("Cán bộ nhập liệu của đơn vị")
    DIC_OFFICER = "dic_officer", _("Cán bộ cơ quan đầu mối (duyệt báo cáo)")
    STEERING_MEMBER = "steering_member", _("Thành viên Ban Chỉ đạo")
    ADMINISTRATOR = "administrator", _("Quản trị hệ thống")

    @classmethod
    def label_of(cls, group_name: str) -> str:
        """A role's group name (``department_staff``) as words ("Cán bộ nhập liệu của
        đơn vị"); a group that is no role keeps its name."""
        return str(cls(group_name).label) if group_name in cls.values else group_name


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("Chủ trì thực hiện")
    MONITORING_LEAD = "monitoring_lead", _("Chủ trì theo dõi, đôn đốc")
    COORDINATING = "coordinating", _("Phối hợp")


TASK_ROLES = (AssignmentRole.LEAD, AssignmentRole.COORDINATING)
