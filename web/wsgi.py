"""The web app's WSGI application (`spur serve` runs it with gunicorn)."""

import web

web.setup()

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
