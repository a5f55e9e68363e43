def departement_affiche(request):
    """The département whose bloc-marque heads the page.

    An object's page shows the object's own département (`montrer_sous()`), even when the
    user works on another one; other pages show the current département.
    """
    return {
        "departement_affiche": getattr(request, "departement_affiche", None)
        or getattr(request, "departement", None)
    }
