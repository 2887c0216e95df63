from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "infludesk.reports"
    label = "reports"
