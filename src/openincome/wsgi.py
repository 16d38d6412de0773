"""WSGI entry point."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openincome.settings")
application = get_wsgi_application()

from openincome.web.security import refuse_dev_key_in_production  # noqa: E402 - needs settings

# Under any WSGI server in production: never with the public development key.
refuse_dev_key_in_production()
