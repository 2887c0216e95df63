from django.urls import path

from infludesk.campaigns import views, views_add, views_board, views_deals_table, views_survey

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list_view, name="list"),
    path("new/", views.campaign_create_view, name="create"),
    path("add-creators/", views_add.add_creators, name="add_creators"),
    path("add-creators/form/", views_add.add_form, name="add_form"),
    path("<int:campaign_id>/", views.campaign_detail_view, name="detail"),
    path("<int:campaign_id>/edit/", views.campaign_edit_view, name="edit"),
    path("<int:campaign_id>/board/move/", views_board.board_move, name="board_move"),
    path("<int:campaign_id>/actions/", views_board.campaign_action, name="action"),
    path("<int:campaign_id>/survey/", views_survey.survey_page, name="survey"),
    path(
        "<int:campaign_id>/deals/",
        views_deals_table.campaign_deals_table,
        name="deals_table",
    ),
]
