"""The application around the engine: the store (Django ORM, web/store/) and, later, the web interface.

engine/, evidence/ and reports/ never import this package; cli.py imports it only inside the store commands, so
`spur grade` never loads Django.
"""

from __future__ import annotations

import os


def setup() -> None:
    """Configure Django from the environment (web/settings.py), once per process."""
    import django
    from django.apps import apps

    if apps.ready:
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "web.settings")
    django.setup()
