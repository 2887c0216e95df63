from django.apps import AppConfig


class CreatorsConfig(AppConfig):
    name = "infludesk.creators"
    label = "creators"
