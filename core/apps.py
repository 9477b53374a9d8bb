from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "core"

    def ready(self):
        from core import checks  # noqa: F401  (registers the system checks)

        # Each app's todos.py registers what waits in it for whom (core.todos).
        autodiscover_modules("todos")
