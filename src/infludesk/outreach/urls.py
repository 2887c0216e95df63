from django.urls import path

from infludesk.outreach import views

app_name = "outreach"

urlpatterns = [
    path("", views.template_list, name="templates"),
    path("deals/<int:deal_id>/", views.deal_thread, name="deal"),
    path("deals/<int:deal_id>/contract/", views.deal_contract, name="deal_contract"),
    path("deals/<int:deal_id>/contract/send/", views.contract_send, name="contract_send"),
    path("inbound/deals/<str:token>/", views.deal_inbound, name="deal_inbound"),
    path("inbound/<str:token>/", views.inbound, name="inbound"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
