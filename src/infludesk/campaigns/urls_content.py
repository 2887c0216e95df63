from django.urls import path

from infludesk.campaigns import views_content

app_name = "content"

urlpatterns = [
    path("deals/<int:deal_id>/", views_content.deal_content, name="deal"),
    path("c/<str:token>/", views_content.creator_submit, name="creator"),
]
