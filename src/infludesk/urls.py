from django.contrib import admin
from django.urls import include, path

from infludesk.api.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("creators/", include("infludesk.creators.urls")),
    path("campaigns/", include("infludesk.campaigns.urls")),
    path("tracking/", include("infludesk.tracking.urls")),
    path("analytics/", include("infludesk.analytics.urls")),
    path("research/", include("infludesk.research.urls")),
    path("reports/", include("infludesk.reports.urls")),
    path("account/", include("infludesk.core.urls_account")),
    path("", include("infludesk.core.urls")),
]
