from django.urls import path

from infludesk.campaigns import views_content, views_documents

app_name = "content"

urlpatterns = [
    path("deals/<int:deal_id>/", views_content.deal_content, name="deal"),
    path("c/<str:token>/", views_content.creator_submit, name="creator"),
    path("deals/<int:deal_id>/contract/", views_documents.contract_page, name="contract"),
    path("campaigns/<int:campaign_id>/proposal/", views_documents.proposal_page, name="proposal"),
    path(
        "campaigns/<int:campaign_id>/shipments.csv",
        views_documents.shipments_csv,
        name="shipments_csv",
    ),
]
