from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "infludesk.core"
    label = "core"
