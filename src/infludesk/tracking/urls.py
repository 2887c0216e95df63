from django.urls import path

from infludesk.tracking import views_pages, webhooks

app_name = "tracking"

urlpatterns: list = [
    path("", views_pages.index, name="index"),
    path("webhooks/shopify/<str:public_key>/", webhooks.shopify_webhook, name="webhook_shopify"),
    path(
        "webhooks/woocommerce/<str:public_key>/",
        webhooks.woocommerce_webhook,
        name="webhook_woocommerce",
    ),
    path("webhooks/generic/<str:public_key>/", webhooks.generic_webhook, name="webhook_generic"),
]
