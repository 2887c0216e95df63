from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data generator. It fills every app's tables, so it sits above all of them."""

    name = "infludesk.demo"
    label = "demo"
