from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The home page: the public landing page, and each signed-in person's to-do list and
    figures. At the top of the app layers, since it shows what every app has."""

    name = "home"
