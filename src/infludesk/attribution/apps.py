from django.apps import AppConfig


class AttributionConfig(AppConfig):
    name = "infludesk.attribution"
    label = "attribution"
