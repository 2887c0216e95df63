from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "infludesk.tracking"
    label = "tracking"
