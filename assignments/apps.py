from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_role_groups(sender, **kwargs) -> None:
    # post_migrate is sent once per app, and each app's permissions are created by its
    # own signal: wait for the last app so that every permission exists.
    from django.apps import apps

    if sender is list(apps.get_app_configs())[-1]:
        from .services import roles_sync_groups

        roles_sync_groups()


class AssignmentsConfig(AppConfig):
    name = "assignments"
    verbose_name = _("Phân công và tài khoản")

    def ready(self) -> None:
        # Permissions exist only after migrate; the role groups are rebuilt then.
        post_migrate.connect(_sync_role_groups, dispatch_uid="assignments.sync_role_groups")
