from django.urls import path

from infludesk.core import views

# core:dashboard is added to this namespace by the project urls.py (its view lives in analytics).
app_name = "core"

urlpatterns = [
    path("workspace/switch/", views.switch_workspace, name="switch_workspace"),
    path("vendor/plotly.min.js", views.plotly_js, name="plotly_js"),
]
