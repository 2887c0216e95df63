from django.urls import path

from infludesk.campaigns import views_deal, views_files

app_name = "deals"

urlpatterns = [
    path("<int:deal_id>/", views_deal.deal_page, name="detail"),
    path("<int:deal_id>/files/", views_files.deal_files, name="files"),
    path("<int:deal_id>/files/<int:file_id>/", views_files.deal_file_download, name="file"),
    path(
        "<int:deal_id>/files/<int:file_id>/delete/",
        views_files.deal_file_delete,
        name="file_delete",
    ),
]
