from django.urls import path

from infludesk.creators import views_er_benchmarks
from infludesk.creators import views_shortlists as views

app_name = "shortlists"

urlpatterns = [
    path("", views.shortlist_list_view, name="list"),
    path("add/", views.shortlist_add_view, name="add"),
    path("costs/", views.cost_table_view, name="costs"),
    path("costs/er-benchmarks/", views_er_benchmarks.er_benchmarks_view, name="er_benchmarks"),
    path("<int:shortlist_id>/", views.shortlist_detail_view, name="detail"),
    path("<int:shortlist_id>/rename/", views.shortlist_rename_view, name="rename"),
    path("<int:shortlist_id>/delete/", views.shortlist_delete_view, name="delete"),
    path(
        "<int:shortlist_id>/entries/<int:entry_id>/note/", views.entry_note_view, name="entry_note"
    ),
    path(
        "<int:shortlist_id>/entries/<int:entry_id>/remove/",
        views.entry_remove_view,
        name="entry_remove",
    ),
]
