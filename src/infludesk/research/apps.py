from django.apps import AppConfig


class ResearchConfig(AppConfig):
    name = "infludesk.research"
    label = "research"
