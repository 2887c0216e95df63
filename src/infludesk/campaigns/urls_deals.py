from django.urls import path

from infludesk.campaigns import views_deal

app_name = "deals"

urlpatterns = [path("<int:deal_id>/", views_deal.deal_page, name="detail")]
