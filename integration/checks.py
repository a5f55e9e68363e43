"""System checks on the production configuration (`manage.py check`, and `migrate`, which
the web service runs at each start)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

# Caches that each process keeps to itself: counters in them are per worker.
CACHES_PAR_PROCESSUS = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.caches)
def cache_partage_en_production(app_configs, **kwargs):
    """Production runs several web processes: the /verifier/ limit (and anything counted
    in the cache) must be kept in one cache they share, or each counts on its own."""
    if not settings.PRODUCTION:
        return []
    if settings.CACHES["default"]["BACKEND"] not in CACHES_PAR_PROCESSUS:
        return []
    return [
        Warning(
            "Aucun cache partagé : chaque processus web tient son propre compteur, la limite "
            "des vérifications de /verifier/ est multipliée par le nombre de processus.",
            hint="Renseignez CACHE_URL (par exemple redis://redis:6379/1), comme le fait "
            "docker-compose.yml.",
            id="integration.W001",
        )
    ]
