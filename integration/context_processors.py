from django.conf import settings


def site(request):
    """What the base layout needs on every page; nothing here touches the database."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_TAGLINE": settings.SITE_TAGLINE,
    }
