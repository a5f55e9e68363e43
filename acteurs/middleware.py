"""Sets `request.departement`, the département the user works in now, and the list of theirs."""

from django.utils.functional import SimpleLazyObject

from acteurs.access import departements_of

SESSION_KEY = "departement_id"


def departements_du_compte(request) -> list:
    """The user's départements, read once per request."""
    if not hasattr(request, "_departements"):
        user = request.user
        request._departements = list(departements_of(user)) if user.is_authenticated else []
    return request._departements


def departement_courant(request):
    departements = departements_du_compte(request)
    wanted = request.session.get(SESSION_KEY)
    for departement in departements:
        if departement.pk == wanted:
            return departement
    return departements[0] if departements else None


class DepartementCourantMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.departement = SimpleLazyObject(lambda: departement_courant(request))
        request.departements = SimpleLazyObject(lambda: departements_du_compte(request))
        return self.get_response(request)
