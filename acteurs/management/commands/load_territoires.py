"""Load the reference communes, EPCI and départements shipped in acteurs/data/.

    python manage.py load_territoires                    # the départements in the database
    python manage.py load_territoires --departement 76 --departement 05
    python manage.py load_territoires --tous             # all of France

Idempotent: run it again after an update of the reference file, or after creating a
Departement, to link its territories.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from acteurs.models import Departement
from acteurs.referentiel import charger_territoires, normaliser_code_departement

DETAIL_MAX = 10  # beyond this many départements, one total line unless -v 2


class Command(BaseCommand):
    help = "Charge les territoires de référence (communes, EPCI, départements)."

    def add_arguments(self, parser):
        groupe = parser.add_mutually_exclusive_group()
        groupe.add_argument(
            "--departement",
            action="append",
            metavar="CODE",
            help="Code INSEE d'un département à charger (répétable).",
        )
        groupe.add_argument(
            "--tous", action="store_true", help="Charger toute la France (101 départements)."
        )

    def handle(self, *args, departement=None, tous=False, verbosity=1, **options):
        if tous:
            codes = None
        elif departement:
            codes = {normaliser_code_departement(code) for code in departement}
        else:
            codes = set(Departement.objects.values_list("code", flat=True))
            if not codes:
                raise CommandError(
                    "Aucun département en base : précisez --departement CODE ou --tous."
                )
        debut = time.monotonic()
        try:
            bilan = charger_territoires(codes)
        except ValueError as erreur:
            raise CommandError(str(erreur)) from erreur
        duree = time.monotonic() - debut

        lignes = [
            f"{compte['commune']} communes, {compte['epci']} EPCI chargés pour {code}"
            for code, compte in bilan.par_departement.items()
        ]
        if len(lignes) <= DETAIL_MAX or verbosity >= 2:
            self.stdout.write(" ; ".join(lignes) + ".")
        communes = sum(c["commune"] for c in bilan.par_departement.values())
        self.stdout.write(
            f"{len(bilan.par_departement)} département(s), {communes} communes : "
            f"{bilan.crees} territoires créés, {bilan.modifies} mis à jour, "
            f"{bilan.inchanges} inchangés ; {bilan.liens_ajoutes} rattachements ajoutés, "
            f"{bilan.liens_retires} retirés ({duree:.1f} s)."
        )
        if bilan.sans_departement and codes is not None:
            self.stdout.write(
                self.style.WARNING(
                    "Pas de département en base pour "
                    + ", ".join(bilan.sans_departement)
                    + " : territoires chargés sans rattachement. Relancez la commande après "
                    "avoir créé le département."
                )
            )
        if bilan.absents:
            apercu = ", ".join(bilan.absents[:10]) + ("…" if len(bilan.absents) > 10 else "")
            self.stdout.write(
                self.style.WARNING(
                    f"{len(bilan.absents)} territoire(s) en base absent(s) du référentiel "
                    f"(fusion, dissolution ?), conservé(s) : {apercu}"
                )
            )
