"""WSGI entry point for gunicorn: ``gunicorn konzeptk.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "konzeptk.settings")
application = get_wsgi_application()

from konzeptk.core.safety import refuse_unsafe_production  # noqa: E402

refuse_unsafe_production()
