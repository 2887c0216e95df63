from django.urls import path

from infludesk.tracking import (
    views_codes,
    views_deal,
    views_defaults,
    views_orders,
    views_pages,
    views_push,
    views_rates,
    views_stores,
    webhooks,
)

app_name = "tracking"

urlpatterns: list = [
    path("", views_pages.index, name="index"),
    path("orders/", views_orders.order_list_view, name="orders"),
    path("leaks/", views_orders.leak_list_view, name="leaks"),
    path("rates/", views_rates.rate_list_view, name="rates"),
    path("rates/new/", views_rates.rate_create_view, name="rate_create"),
    path("rates/<int:rate_id>/edit/", views_rates.rate_edit_view, name="rate_edit"),
    path("rates/<int:rate_id>/delete/", views_rates.rate_delete_view, name="rate_delete"),
    path("deals/<int:deal_id>/leaks/", views_orders.deal_leaks_view, name="deal_leaks"),
    path("deals/<int:deal_id>/", views_deal.deal_tracking, name="deal_tracking"),
    path("deals/<int:deal_id>/link/", views_deal.deal_link_create, name="deal_link"),
    path("deals/<int:deal_id>/code/", views_deal.deal_code_create, name="deal_code"),
    path(
        "deals/<int:deal_id>/from-defaults/",
        views_defaults.deal_tracking_apply_view,
        name="deal_from_defaults",
    ),
    path(
        "campaigns/<int:campaign_id>/defaults/",
        views_defaults.campaign_tracking_view,
        name="campaign_tracking",
    ),
    path(
        "campaigns/<int:campaign_id>/defaults/fill/",
        views_defaults.campaign_tracking_fill_view,
        name="campaign_tracking_fill",
    ),
    path("codes/", views_codes.code_list_view, name="codes"),
    path("codes/new/", views_codes.code_create_view, name="code_create"),
    path("codes/batch/", views_codes.code_batch_view, name="code_batch"),
    path("codes/batch.csv", views_codes.code_batch_csv_view, name="code_batch_csv"),
    path("codes/batch/push/", views_push.batch_push_view, name="batch_push"),
    path("codes/<int:code_id>/push/", views_push.code_push_view, name="code_push"),
    path("pushes/<int:push_id>/retry/", views_push.push_retry_view, name="push_retry"),
    path("stores/", views_stores.store_list_view, name="stores"),
    path("stores/new/", views_stores.store_create_view, name="store_create"),
    path("stores/<int:store_id>/edit/", views_stores.store_edit_view, name="store_edit"),
    path("webhooks/shopify/<str:public_key>/", webhooks.shopify_webhook, name="webhook_shopify"),
    path(
        "webhooks/woocommerce/<str:public_key>/",
        webhooks.woocommerce_webhook,
        name="webhook_woocommerce",
    ),
    path("webhooks/generic/<str:public_key>/", webhooks.generic_webhook, name="webhook_generic"),
]
