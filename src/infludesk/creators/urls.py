from django.urls import path

from infludesk.creators import views

app_name = "creators"

urlpatterns = [
    path("", views.creator_list_view, name="list"),
    path("<int:creator_id>/", views.creator_detail_view, name="detail"),
]
