"""ASGI entry point. The tracked-link redirect is served in front of Django (see tracking)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "infludesk.settings")
application = get_asgi_application()
