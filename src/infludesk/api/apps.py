from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "infludesk.api"
    label = "api"
