from django.urls import path

from infludesk.research import views

app_name = "research"

urlpatterns = [
    path("", views.index, name="index"),
]
