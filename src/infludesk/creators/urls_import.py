from django.urls import path

from infludesk.creators import views_import as views

app_name = "creators_import"

urlpatterns = [
    path("", views.import_start_view, name="start"),
    path("export/", views.export_view, name="export"),
    path("<int:job_id>/", views.import_job_view, name="job"),
    path("<int:job_id>/map/", views.import_map_view, name="map"),
    path("<int:job_id>/progress/", views.import_progress_view, name="progress"),
    path("<int:job_id>/errors.csv", views.import_errors_view, name="errors"),
]
