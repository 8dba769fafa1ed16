from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Báo cáo định kỳ")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
