from django.urls import path

from infludesk.outreach import views

app_name = "outreach"

urlpatterns = [
    path("", views.template_list, name="templates"),
    path("deals/<int:deal_id>/", views.deal_thread, name="deal"),
    path("inbound/<str:token>/", views.inbound, name="inbound"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
