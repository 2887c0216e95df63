"""ASGI entry point: the tracked-link redirect in front of Django's ASGI app.

`/l/<slug>` is served by `tracking.redirect.RedirectApp` (the hot path, see docs/tracking.md);
every other request falls through to Django. `infludesk serve` runs this with granian.
"""

import os
import warnings

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "infludesk.settings")
# WhiteNoise answers static files with a synchronous file iterator; under ASGI Django reads it
# in a worker thread and warns each time. That is expected for our small static files.
warnings.filterwarnings(
    "ignore", message="StreamingHttpResponse must consume synchronous iterators"
)
django_application = get_asgi_application()

from infludesk.tracking.redirect import RedirectApp  # noqa: E402  (needs Django set up)

application = RedirectApp(django_application)
