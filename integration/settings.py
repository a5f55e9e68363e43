"""Settings, read from the environment through the typed helpers of `integration.env`.

With nothing set, the embedded default runs: SQLite in the project folder, Celery tasks
in-process, e-mails printed on the console. `DATABASE_URL` switches to PostgreSQL,
`CELERY_BROKER_URL` to a real worker, `PRODUCTION=true` to the hardened mode.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from integration.env import (
    env_addresses,
    env_bool,
    env_int,
    env_is_set,
    env_list,
    env_str,
    env_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent

# --- Mode -------------------------------------------------------------------------------
# A real database or broker without PRODUCTION is most likely a server whose PRODUCTION
# was forgotten: it would run with DEBUG on and the public embedded secret. Ask for it.
_SERVICES_SET = [name for name in ("DATABASE_URL", "CELERY_BROKER_URL") if env_is_set(name)]
if _SERVICES_SET and not env_is_set("PRODUCTION"):
    raise ImproperlyConfigured(
        f"PRODUCTION doit être renseignée quand {' et '.join(_SERVICES_SET)} l'est : "
        "PRODUCTION=true pour une installation réelle, PRODUCTION=false pour le développement"
    )
PRODUCTION = env_bool("PRODUCTION", False)
DEBUG = env_bool("DEBUG", not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG ne peut pas valoir true quand PRODUCTION vaut true")

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY est obligatoire quand PRODUCTION vaut true")
    SECRET_KEY = "embedded-mode-only-" + "x" * 40  # noqa: S105 - never used in production
elif PRODUCTION and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY doit compter au moins 50 caractères en production")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS est obligatoire quand PRODUCTION vaut true")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# --- Applications -----------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # the form renderer finds Django's widget templates, and ours
    "dsfr",
    "crispy_forms",
    "django_htmx",
    "axes",
    "csp",
    "integration",
    "acteurs",
    "actions",
    "comites",
    "portal",
]

MIDDLEWARE = [
    "integration.proxy.ClientAddressMiddleware",  # first: everything after sees the client
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before any view hook (CSRF's reads the form): a /verifier/ upload too large is refused
    # on its announced length.
    "integration.documents.verification.TailleVerificationMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "integration.middleware.HtmxLoginRedirectMiddleware",
    "integration.middleware.MethodeNonPermiseMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "acteurs.middleware.DepartementCourantMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

if PRODUCTION:  # gunicorn serves the static files itself; runserver does it in development
    MIDDLEWARE.insert(
        MIDDLEWARE.index("csp.middleware.CSPMiddleware") + 1,
        "whitenoise.middleware.WhiteNoiseMiddleware",
    )

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "integration.wsgi.application"
ASGI_APPLICATION = "integration.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "integration.context_processors.csp_nonce",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "integration.context_processors.site",
                "acteurs.context_processors.departement_affiche",
            ],
            # French dates, times and elisions (|date_longue, |heure, |de…) in every
            # template, e-mails and PDFs included, without a {% load %} to forget.
            "builtins": ["integration.templatetags.texte"],
        },
    },
]

# --- Database ---------------------------------------------------------------------------
DATABASE_URL = env_url("DATABASE_URL", {"postgres", "postgresql", "sqlite"})
CONN_MAX_AGE = env_int("CONN_MAX_AGE", 60, minimum=0)
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=CONN_MAX_AGE)}
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "db.sqlite3",
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts ---------------------------------------------------------------------------
AUTH_USER_MODEL = "acteurs.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "tableau_de_bord"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_ENGINE = "django.contrib.sessions.backends.db"  # web processes stay stateless
SESSION_COOKIE_AGE = 60 * 60 * 10  # a working day

# Login throttling: five failures lock the e-mail and address pair for 15 minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"  # the login form's field, although USERNAME_FIELD is email
AXES_USERNAME_CALLABLE = "integration.auth.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/verrouille.html"
AXES_VERBOSE = False
# Behind reverse proxies, REMOTE_ADDR is the nearest proxy: every client would share one
# counter, and anyone could lock anyone out. integration.proxy finds the real client.
PROXY_COUNT = env_int("PROXY_COUNT", 0, minimum=0)
AXES_CLIENT_IP_CALLABLE = "integration.proxy.client_address"

# --- Internationalisation ---------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Static and generated files ---------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Generated documents go to the local disk (MEDIA_ROOT) unless a bucket is named: then to
# S3-compatible object storage, which every web and worker host shares. Either way they
# are served only through a view that checks access, never at a public address.
STORAGE_S3_BUCKET = env_str("STORAGE_S3_BUCKET")
if STORAGE_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": STORAGE_S3_BUCKET,
            "endpoint_url": env_url("STORAGE_S3_ENDPOINT_URL", {"http", "https"}) or None,
            "region_name": env_str("STORAGE_S3_REGION") or None,
            "access_key": env_str("STORAGE_S3_ACCESS_KEY"),
            "secret_key": env_str("STORAGE_S3_SECRET_KEY"),
            "default_acl": None,
            "file_overwrite": True,  # a retried document replaces its own file
        },
    }
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Forms and design system ------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = ("dsfr_crispy",)
CRISPY_TEMPLATE_PACK = "dsfr_crispy"
FORM_RENDERER = "integration.widgets.Rendu"  # TemplatesSetting, inputs written in Python
SITE_NAME = "Stratégie d'intégration"
SITE_TAGLINE = "Pilotage départemental de l'accueil et de l'intégration des étrangers"

# --- E-mail -----------------------------------------------------------------------------
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    # A mail server that stops answering must not hold a web request or a task forever.
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", "Stratégie d'intégration <ne-pas-repondre@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Links in e-mails sent by periodic tasks (no request to read the host from).
SITE_URL = env_url("SITE_URL", {"http", "https"}, "http://localhost:8000")
# Who receives the server errors (see LOGGING): "Nom <adresse>" or bare addresses.
ADMINS = env_addresses("ADMINS")
EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "

# --- Celery -----------------------------------------------------------------------------
# Without a broker, tasks run in-process (embedded default); with one, a worker runs them.
CELERY_BROKER_URL = env_url("CELERY_BROKER_URL", {"redis", "rediss"})
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300, minimum=1)
CELERY_TASK_SOFT_TIME_LIMIT = max(1, CELERY_TASK_TIME_LIMIT - 10)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_TASK_TIME_LIMIT * 2}
CELERY_TIMEZONE = TIME_ZONE
# A request never waits long on a broker that is down: the outbox sweep publishes later.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}

# Documents (integration/documents): one PDF's time limit, and how many tasks a worker
# process runs before it is replaced (WeasyPrint does not give its memory back), or how
# much memory (KiB) it may hold after a task.
DOCUMENTS_TIME_LIMIT = env_int("DOCUMENTS_TIME_LIMIT", 180, minimum=10)
CELERY_WORKER_MAX_TASKS_PER_CHILD = env_int("CELERY_WORKER_MAX_TASKS_PER_CHILD", 20, minimum=1)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_int(
    "CELERY_WORKER_MAX_MEMORY_PER_CHILD", 600_000, minimum=50_000
)

# Signature électronique (integration/signature.py): the cabinet's certificate, from a
# PKCS#12 file and its passphrase (either may come from a secret file: NAME_FILE), or from
# a PKCS#11 token when its module is named. The embedded mode defaults to a demo
# certificate (`manage.py create_demo_certificate`); production defaults to nothing.
SIGNATURE_PKCS11_MODULE = env_str("SIGNATURE_PKCS11_MODULE")
SIGNATURE_PKCS11_TOKEN_LABEL = env_str("SIGNATURE_PKCS11_TOKEN_LABEL")
SIGNATURE_PKCS11_KEY_LABEL = env_str("SIGNATURE_PKCS11_KEY_LABEL")
SIGNATURE_PKCS11_CERT_LABEL = env_str("SIGNATURE_PKCS11_CERT_LABEL")
SIGNATURE_PKCS11_PIN = env_str("SIGNATURE_PKCS11_PIN")
_DEMO_SIGNATURE = not PRODUCTION and not SIGNATURE_PKCS11_MODULE
SIGNATURE_PKCS12_FILE = env_str(
    "SIGNATURE_PKCS12_FILE",
    str(BASE_DIR / "var" / "signature" / "demo.p12") if _DEMO_SIGNATURE else "",
)
SIGNATURE_PKCS12_PASSPHRASE = env_str(
    "SIGNATURE_PKCS12_PASSPHRASE", "demonstration" if _DEMO_SIGNATURE else ""
)
# A timestamp authority (RFC 3161) makes the signatures PAdES B-T.
SIGNATURE_TSA_URL = env_url("SIGNATURE_TSA_URL", {"http", "https"})
# Certificates (PEM or DER files) that the verification page trusts besides the configured
# one: the issuing authority of the cabinet's certificate.
SIGNATURE_TRUST_ROOTS = env_list("SIGNATURE_TRUST_ROOTS")
# The timestamp authority's chain (PEM or DER files), when the system does not know it: the
# long-term validation data (`manage.py prolonger_signature`) include its certificates. Never
# trusted for signatures.
SIGNATURE_TSA_TRUST_ROOTS = env_list("SIGNATURE_TSA_TRUST_ROOTS")
# The public verification page (/verifier/): how large a PDF, how many checks per client
# address and window. The count lives in the cache: per process with the default local
# memory cache, shared by every web process when CACHE_URL names a Redis server.
VERIFICATION_TAILLE_MAX = 20 * 1024 * 1024
VERIFICATION_LIMITE = env_int("VERIFICATION_LIMITE", 10, minimum=1)
VERIFICATION_FENETRE = env_int("VERIFICATION_FENETRE_SECONDES", 600, minimum=1)
# The check runs in a child process (integration/documents/verificateur.py) within these
# limits, so that a hostile PDF cannot hold a web process: CPU seconds, address space in
# MB, and wall-clock seconds (well under gunicorn's 30 s timeout). Beyond them, the page
# says the document is too complex to be checked online.
VERIFICATION_CPU_SECONDES = env_int("VERIFICATION_CPU_SECONDES", 8, minimum=1)
VERIFICATION_MEMOIRE_MO = env_int("VERIFICATION_MEMOIRE_MO", 768, minimum=256)
VERIFICATION_DUREE_SECONDES = env_int("VERIFICATION_DUREE_SECONDES", 12, minimum=1)
# Checks running at once on the whole site (counted in the cache): below the number of web
# workers, so that some always answer the other pages.
VERIFICATION_SIMULTANEES = env_int("VERIFICATION_SIMULTANEES", 1, minimum=1)
CACHE_URL = env_url("CACHE_URL", {"redis", "rediss"})
if CACHE_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }

# The task outbox (integration/outbox.py): every task is a row first, published after the
# commit; beat sweeps what the broker never got, lost, or whose worker died.
# A message the broker lost (Redis restarted without its memory) is published again within
# sweep + republish seconds of the broker answering: 30 + 90, under two minutes. A message
# merely queued that long is published twice; the worker's claim runs it once.
OUTBOX_SWEEP_SECONDS = env_int("OUTBOX_SWEEP_SECONDS", 30, minimum=5)
OUTBOX_PENDING_GRACE = 30  # the after-commit publication normally happens within it
OUTBOX_REPUBLISH_AFTER = env_int("OUTBOX_REPUBLISH_SECONDS", 90, minimum=30)
# A task failing in a way that may pass (an SMTP server down) is tried again by the sweep,
# after 1 min, 2, 4… then every hour, until the row is this old; then it is failed.
OUTBOX_RETRY_WINDOW = env_int("OUTBOX_RETRY_HOURS", 24, minimum=1) * 3600
# The first delay, in seconds (the fault drills shorten it to see several tries in a minute).
OUTBOX_RETRY_FIRST_DELAY = env_int("OUTBOX_RETRY_FIRST_SECONDS", 60, minimum=1)
OUTBOX_RETRY_MAX_DELAY = 3600
# A claimed row whose worker vanished is free again once its run is surely over: its
# task's own time limit plus this margin (integration/leases.py).
OUTBOX_CLAIM_MARGIN = 60
CELERY_BEAT_SCHEDULE = {
    "outbox-sweep": {
        "task": "integration.tasks.sweep_outbox",
        "schedule": OUTBOX_SWEEP_SECONDS,
        # A sweep still queued when the next one is due is worthless: let it expire.
        "options": {"expires": OUTBOX_SWEEP_SECONDS},
    },
    # Comités: reminders before a séance, and to write the minutes after it.
    "comites-rappels": {"task": "comites.tasks.envoyer_rappels", "schedule": 3600},
}
# Days before a séance when invitees who have not answered are reminded.
COMITES_RAPPEL_JOURS = env_int("COMITES_RAPPEL_JOURS", 3, minimum=1)
# Days after a séance held without minutes when its organiser is reminded.
COMITES_COMPTE_RENDU_JOURS = env_int("COMITES_COMPTE_RENDU_JOURS", 15, minimum=1)

# --- Security ---------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# Scripts and styles run only from our own origin, or inline when they carry the
# per-request nonce (the csp_nonce context processor); pages never render in a frame.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],  # the DSFR draws some icons as data: SVG images
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the load balancer probes over plain HTTP
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        "hors_sondes": {"()": "integration.logs.HorsSondes"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            # /healthz answers every few seconds: its 503s go to the console, never by e-mail.
            "filters": ["require_debug_false", "hors_sondes"],
        },
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Named here so that Django's own default handlers do not stay attached to it:
        # its records reach the console through the root, and the admins when there are.
        "django": {"handlers": ["mail_admins"] if ADMINS else []},
        # Every login would log a line otherwise; lock-outs are still logged as warnings.
        "axes": {"level": "WARNING"},
        # WeasyPrint's font subsetting would log every table of every font it embeds.
        "fontTools": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},  # one line per step and page
    },
}
