from django.conf import settings


def site(request):
    """What the base layout needs on every page; nothing here touches the database."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_TAGLINE": settings.SITE_TAGLINE,
    }


def csp_nonce(request):
    """The request's Content-Security-Policy nonce, as a plain string.

    django-csp only puts the nonce in the header once something has read it, and its lazy
    value tests as false until then: `{% if nonce %}` (django-dsfr's script tag) would
    drop it silently. Reading it here gives every page one nonce, in the header and in
    the tags alike; django-htmx's script tag reads `csp_nonce` from the context too.
    """
    nonce = getattr(request, "csp_nonce", None)
    return {"csp_nonce": str(nonce) if nonce is not None else ""}
