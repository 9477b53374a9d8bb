from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DesignationsConfig(AppConfig):
    name = "designations"
    verbose_name = _("Named sites")
