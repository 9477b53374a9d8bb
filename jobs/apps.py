from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = _("Background jobs")

    def ready(self):
        # Each app's `jobs.py` registers its kinds of job (jobs.registry).
        autodiscover_modules("jobs")
