"""The REST API at /api/v1/: one NinjaAPI object mounting each app's router."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="Infludesk API",
    version="1",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
