from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DtiConfig(AppConfig):
    name = "dti"
    verbose_name = _("Chỉ số DTI của Bộ")
