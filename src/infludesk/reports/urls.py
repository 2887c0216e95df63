from django.urls import path

from infludesk.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
]
