from django.urls import path

from infludesk.tracking import views_links

app_name = "links"

urlpatterns = [
    path("", views_links.link_list, name="list"),
    path("new/", views_links.create, name="create"),
    path("<int:pk>/", views_links.detail, name="detail"),
    path("<int:pk>/edit/", views_links.edit, name="edit"),
    path("<int:pk>/qr.<str:fmt>", views_links.qr, name="qr"),
    path("<int:pk>/status/", views_links.set_status, name="status"),
]
