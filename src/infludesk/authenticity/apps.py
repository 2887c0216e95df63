from django.apps import AppConfig


class AuthenticityConfig(AppConfig):
    name = "infludesk.authenticity"
    label = "authenticity"
