from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "infludesk.campaigns"
    label = "campaigns"
