from django.apps import AppConfig


class ConnectorsConfig(AppConfig):
    name = "infludesk.connectors"
    label = "connectors"
