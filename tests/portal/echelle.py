"""Generating a small national world in tests: the command, at reduced volumes."""

import io

from django.core.management import call_command

from acteurs.models import Acteur, User
from actions.models import Action, Financement
from comites.models import Convocation

PETIT = {"departements": 2, "acteurs": 20, "actions": 15, "seances": 12}


def generer_petit(**options) -> str:
    """Run the command at small scale; what it printed."""
    sortie = io.StringIO()
    call_command("generate_scale_data", **{**PETIT, **options}, stdout=sortie)
    return sortie.getvalue()


def empreinte() -> dict:
    """What the generated rows say, without their keys (which differ between databases)."""
    return {
        "acteurs": sorted(
            Acteur.objects.values_list(
                "departement__code", "nom", "sigle", "siret", "type", "statut", "commune__code"
            )
        ),
        "actions": sorted(
            Action.objects.values_list(
                "feuille__departement__code",
                "feuille__annee_debut",
                "titre",
                "statut",
                "porteur__nom",
                "axe__code",
                "soumise_le",
                "avancement",
            )
        ),
        "financements": sorted(
            Financement.objects.values_list(
                "action__titre", "source", "annee", "montant_demande", "montant_accorde"
            )
        ),
        "convocations": sorted(
            Convocation.objects.values_list(
                "seance__instance__nom", "seance__debut", "personne__courriel", "presence"
            )
        ),
        "comptes": sorted(User.objects.values_list("email", "first_name", "last_name")),
    }
