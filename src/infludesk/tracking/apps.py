from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "infludesk.tracking"
    label = "tracking"

    def ready(self) -> None:
        # Campaigns may not import tracking, so a new deal's automatic link and code hang off
        # Deal's post_save (see tracking/defaults.py).
        from django.db.models.signals import post_save

        from infludesk.campaigns.models import Deal
        from infludesk.tracking.defaults import on_deal_created

        post_save.connect(on_deal_created, sender=Deal, dispatch_uid="tracking.deal_defaults")
