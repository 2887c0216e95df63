from django.contrib import admin
from django.urls import include, path

from infludesk.analytics.views import dashboard
from infludesk.api.api import api
from infludesk.core import urls as core_urls

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("creators/import/", include("infludesk.creators.urls_import")),
    path("creators/", include("infludesk.creators.urls")),
    path("authenticity/", include("infludesk.authenticity.urls")),
    path("connect/", include("infludesk.creators.urls_connect")),
    path("campaigns/", include("infludesk.campaigns.urls")),
    path("shortlists/", include("infludesk.creators.urls_shortlists")),
    path("shortlists/", include("infludesk.campaigns.urls_shortlist")),
    path("content/", include("infludesk.campaigns.urls_content")),
    path("deals/", include("infludesk.campaigns.urls_deals")),
    path("outreach/", include("infludesk.outreach.urls")),
    path("tracking/links/", include("infludesk.tracking.urls_links")),
    path("tracking/", include("infludesk.tracking.urls")),
    path("attribution/", include("infludesk.attribution.urls")),
    path("analytics/", include("infludesk.analytics.urls")),
    path("research/", include("infludesk.research.urls")),
    path("reports/", include("infludesk.reports.urls")),
    path("calendar/", include("infludesk.reports.urls_calendar")),
    path("account/", include("infludesk.core.urls_account")),
    # The dashboard reads every app, so it lives in analytics (core may not import upwards);
    # it is mounted here into the core namespace as core:dashboard.
    path("", include(([path("", dashboard, name="dashboard"), *core_urls.urlpatterns], "core"))),
]
