from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "infludesk.outreach"
    label = "outreach"
