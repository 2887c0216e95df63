from django.urls import path

from infludesk.analytics import views, views_progress

app_name = "analytics"

urlpatterns = [
    path("", views.index, name="index"),
    path(
        "campaigns/<int:campaign_id>/progress/",
        views_progress.campaign_progress,
        name="campaign_progress",
    ),
]
