from django.urls import path

from infludesk.reports import views_calendar

app_name = "calendar"

urlpatterns = [
    path("", views_calendar.calendar_page, name="index"),
    path("feed/<str:token>.ics", views_calendar.ical_feed, name="feed"),
]
