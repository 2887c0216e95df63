"""/connect/: a creator's Instagram Login and TikTok Login Kit pages and the account connections
panel."""

from django.urls import path

from infludesk.creators import views_connect

app_name = "connect"

urlpatterns = [
    path("instagram/callback/", views_connect.instagram_callback, name="instagram_callback"),
    path("instagram/<str:token>/", views_connect.instagram_connect, name="instagram"),
    path("tiktok/callback/", views_connect.tiktok_callback, name="tiktok_callback"),
    path("tiktok/<str:token>/", views_connect.tiktok_connect, name="tiktok"),
    path("creators/<int:creator_id>/", views_connect.connections_panel, name="panel"),
    path("accounts/<int:account_id>/link/", views_connect.connect_link_create, name="link"),
]
