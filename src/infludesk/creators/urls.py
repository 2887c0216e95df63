from django.urls import path

from infludesk.creators import views, views_compare, views_fit, views_search

app_name = "creators"

urlpatterns = [
    path("", views.creator_list_view, name="list"),
    path("search/", views_search.search_view, name="search"),
    path("compare/", views_compare.compare_view, name="compare"),
    path("<int:creator_id>/", views.creator_detail_view, name="detail"),
    path("<int:creator_id>/fit/", views_fit.creator_fit_view, name="fit"),
]
