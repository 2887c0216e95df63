from django.urls import path

from infludesk.campaigns import views

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list_view, name="list"),
    path("new/", views.campaign_create_view, name="create"),
    path("<int:campaign_id>/", views.campaign_detail_view, name="detail"),
    path("<int:campaign_id>/edit/", views.campaign_edit_view, name="edit"),
]
