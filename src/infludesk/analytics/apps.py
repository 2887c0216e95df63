from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "infludesk.analytics"
    label = "analytics"
