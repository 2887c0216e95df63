"""The REST API at /api/v1/: one NinjaAPI object mounting each app's router.

OpenAPI at /api/v1/openapi.json, interactive docs at /api/v1/docs. Callers authenticate with a
Bearer API token or their browser session (see auth.py); errors share one JSON shape (errors.py);
lists are paginated by page number (pagination.py).
"""

from ninja import NinjaAPI

from infludesk.analytics.api import router as analytics_router
from infludesk.api.auth import READ_AUTH
from infludesk.api.errors import install_error_handlers
from infludesk.attribution.api import router as attribution_router
from infludesk.authenticity.api import router as authenticity_router
from infludesk.authenticity.api_classify import router as classify_router
from infludesk.campaigns.api import router as campaigns_router
from infludesk.campaigns.api_documents import router as campaign_documents_router
from infludesk.campaigns.api_edit import router as campaign_edit_router
from infludesk.campaigns.api_files import router as deal_files_router
from infludesk.campaigns.api_posts import router as live_posts_router
from infludesk.campaigns.api_shortlist import router as shortlist_campaign_router
from infludesk.campaigns.api_survey import router as survey_router
from infludesk.campaigns.api_work import router as campaign_work_router
from infludesk.creators.api import router as creators_router
from infludesk.creators.api_costs import router as creator_costs_router
from infludesk.creators.api_er_benchmarks import router as er_benchmarks_router
from infludesk.creators.api_files import router as creator_files_router
from infludesk.creators.api_fit import router as creator_fit_router
from infludesk.creators.api_history import router as creator_history_router
from infludesk.creators.api_search import router as creator_search_router
from infludesk.creators.api_shortlists import router as shortlists_router
from infludesk.outreach.api import router as outreach_router
from infludesk.reports.api import router as calendar_router
from infludesk.tracking.api import router as tracking_router

api = NinjaAPI(
    title="Infludesk API",
    version="1",
    description=(
        "Creators, social accounts, campaigns and deals of your workspace. Authenticate with "
        "'Authorization: Bearer <API token>' (create one under Settings). Errors are "
        '{"detail": ..., "errors": [{"field": ..., "message": ...}]}.'
    ),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    auth=READ_AUTH,
)
install_error_handlers(api)
# before the creators router, so /creators/search is not read as /creators/{creator_id}
api.add_router("", creator_search_router)
api.add_router("", shortlists_router)  # also before creators: /creators/compare
api.add_router("", creators_router)
api.add_router("", creator_fit_router)
api.add_router("", creator_costs_router)
api.add_router("", er_benchmarks_router)
api.add_router("", authenticity_router)
api.add_router("", creator_history_router)
api.add_router("", creator_files_router)
api.add_router("", classify_router)
api.add_router("", campaigns_router)
api.add_router("", shortlist_campaign_router)
api.add_router("", campaign_work_router)
api.add_router("", campaign_edit_router)
api.add_router("", campaign_documents_router)
api.add_router("", calendar_router)
api.add_router("", tracking_router)
api.add_router("", attribution_router)
api.add_router("", outreach_router)
api.add_router("", deal_files_router)
api.add_router("", survey_router)
api.add_router("", live_posts_router)
api.add_router("", analytics_router)
