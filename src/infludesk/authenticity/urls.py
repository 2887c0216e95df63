from django.urls import path

from infludesk.authenticity import views

app_name = "authenticity"

urlpatterns = [
    path("accounts/<int:account_id>/", views.account_authenticity_view, name="account"),
    path("accounts/<int:account_id>/score/", views.account_rescore_view, name="rescore"),
    path(
        "accounts/<int:account_id>/followers/",
        views.follower_sample_upload_view,
        name="follower_sample",
    ),
]
