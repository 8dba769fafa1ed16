from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_role_groups(sender, **kwargs) -> None:
    from .services import roles_sync_groups

    roles_sync_groups()


class AssignmentsConfig(AppConfig):
    name = "assignments"
    verbose_name = _("Phân công và tài khoản")

    def ready(self) -> None:
        # Permissions exist only after migrate; the role groups are rebuilt then.
        post_migrate.connect(_sync_role_groups, sender=self)
