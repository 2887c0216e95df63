from django.urls import path

from infludesk.attribution import views

app_name = "attribution"

urlpatterns = [
    path("campaigns/<int:campaign_id>/", views.campaign_attribution_view, name="campaign"),
]
