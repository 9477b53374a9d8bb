from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo and bench data (`manage.py seed_demo`): the top of the app layers, so that
    it may import every app and no app imports it."""

    name = "demo"

    def ready(self):
        from demo import checks  # noqa: F401  (registers the no-demo-accounts check)
