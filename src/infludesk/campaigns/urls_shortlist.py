from django.urls import path

from infludesk.campaigns import views_shortlist

app_name = "shortlist_campaign"

urlpatterns = [
    path(
        "<int:shortlist_id>/to-campaign/",
        views_shortlist.shortlist_to_campaign_view,
        name="add",
    ),
]
