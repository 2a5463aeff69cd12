"""Django settings, all from the environment (healthchecks-style): the store is a SQLite file by default.

SPUR_DATABASE_URL   sqlite:///ABSOLUT/SÖKVÄG.sqlite3 or postgresql://user:password@host:port/name
                    (a unix-socket directory as ?host=/tmp/… or as the host part, percent-encoded)
                    default: $XDG_DATA_HOME/spur/spur.sqlite3 (~/.local/share/spur/spur.sqlite3)
SPUR_SECRET_KEY     Django's secret key; default: a random key kept in the data directory (mode 0600)
SPUR_DEBUG          1 for Django's debug mode (never in production)
SPUR_ALLOWED_HOSTS  host names the web app answers to, comma-separated (default: 127.0.0.1,localhost)
SPUR_HTTPS          1 when the web app is served over TLS (behind a proxy that sets X-Forwarded-Proto):
                    secure cookies and HSTS
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from evidence.errors import UsageError


def data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "spur"


def database_from_url(url: str) -> dict[str, Any]:
    """Django's DATABASES entry for a SPUR_DATABASE_URL."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = "/" + unquote(parts.path).lstrip("/")  # sqlite:////abs/path and sqlite:///abs/path alike
        if parts.netloc or path == "/":
            raise UsageError(
                f"SPUR_DATABASE_URL: {url!r} är ingen giltig SQLite-adress. Skriv sqlite:///ABSOLUT/SÖKVÄG.sqlite3 "
                "(tre snedstreck och en absolut sökväg)."
            )
        return sqlite(Path(path))
    if parts.scheme in ("postgresql", "postgres"):
        options = dict(parse_qsl(parts.query))
        host = options.pop("host", None) or unquote(parts.hostname or "")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")) or "spur",
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": host,
            "PORT": str(parts.port or ""),
            "OPTIONS": options,
            "CONN_MAX_AGE": 0,
        }
    raise UsageError(
        f"SPUR_DATABASE_URL: okänd databastyp {parts.scheme or url!r}. Ange sqlite:///SÖKVÄG eller postgresql://…"
    )


def sqlite(path: Path) -> dict[str, Any]:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        # a writer takes the lock when its transaction begins, so two writers queue instead of one failing
        # half-way with 'database is locked'; WAL lets readers go on while one writes
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        },
        "TEST": {"NAME": f"{path}.test"},
    }


def secret_key() -> str:
    key = os.environ.get("SPUR_SECRET_KEY")
    if key:
        return key
    path = data_dir() / "secret_key"
    try:
        return path.read_text(encoding="ascii").strip()
    except OSError:
        pass
    key = secrets.token_urlsafe(50)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(key + "\n")
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    except OSError:
        pass  # a read-only home: the key lives as long as the process (sessions do not survive a restart)
    return key


DATABASE_URL = os.environ.get("SPUR_DATABASE_URL") or ""
DATABASES = {"default": database_from_url(DATABASE_URL) if DATABASE_URL else sqlite(data_dir() / "spur.sqlite3")}
SECRET_KEY = secret_key()
DEBUG = os.environ.get("SPUR_DEBUG") == "1"
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("SPUR_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "web.store",
    "web.app",
]
# The web app (web/app/): server-rendered pages, every view checks the store's permissions (web/app/access.py).
ROOT_URLCONF = "web.app.urls"
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "web.app.security.SecurityHeaders",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
LOGIN_URL = "/logga-in/"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if os.environ.get("SPUR_HTTPS") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
# An upload (a YAML import) is at most 1 MB, like a file `spur grade` reads; a form's fields stay far below that.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000
TEMPLATES: list[dict[str, Any]] = []  # pages are rendered with jinja2 (web/app/render.py), not Django templates
PASSWORD_HASHERS = ["web.store.passwords.OwaspArgon2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LANGUAGE_CODE = "sv"
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
CSRF_FAILURE_VIEW = "web.app.views.csrf_failure"
# Errors of the web app (a request that failed with 500) go to standard error, where gunicorn's log is.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["stderr"], "level": "ERROR", "propagate": False}},
}
