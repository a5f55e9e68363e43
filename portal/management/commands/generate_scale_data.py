"""Fill the database with départements as busy as real ones, to measure the pages on.

    python manage.py generate_scale_data --departements 101 --seed 1
    python manage.py generate_scale_data --departements 2 --acteurs 20 --actions 15

See `portal.echelle` for what each département holds. The accounts' password is
`portal.echelle.MOT_DE_PASSE`, printed at the end.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from portal import echelle


class Command(BaseCommand):
    help = (
        "Génère des données à l'échelle nationale (départements, acteurs, plans d'actions, "
        "comités) pour mesurer les pages. Déterministe : la même graine donne les mêmes données."
    )

    def add_arguments(self, parser):
        defaut = echelle.Volumes()
        parser.add_argument(
            "--departements",
            type=int,
            default=101,
            help="Nombre de départements (les premiers par code INSEE).",
        )
        parser.add_argument("--seed", type=int, default=1, help="Graine du tirage.")
        parser.add_argument(
            "--acteurs", type=int, default=defaut.acteurs, help="Acteurs par département."
        )
        parser.add_argument(
            "--actions", type=int, default=defaut.actions, help="Actions par département."
        )
        parser.add_argument(
            "--seances", type=int, default=defaut.seances, help="Séances par département."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Générer même si la base contient d'autres données.",
        )

    def handle(self, *args, departements, seed, acteurs, actions, seances, force, **options):
        if acteurs < 10 or actions < 3 or seances < 1:
            raise CommandError(
                "Il faut au moins 10 acteurs, 3 actions et 1 séance par département."
            )
        etrangeres = echelle.donnees_etrangeres()
        if etrangeres and not force:
            raise CommandError(
                "La base contient des données qui ne viennent pas de ce générateur ("
                + " ; ".join(etrangeres)
                + "). Utilisez une base vide, ou relancez avec --force pour y ajouter les "
                "données générées."
            )
        volumes = echelle.Volumes(acteurs=acteurs, actions=actions, seances=seances)
        debut = time.monotonic()
        try:
            rapport = echelle.generer(departements, seed, volumes, sortie=self.stdout)
        except ValueError as erreur:
            raise CommandError(str(erreur)) from erreur
        if connection.vendor == "postgresql" and rapport.departements_crees:
            # What autovacuum would do later, now: the planner's statistics (without them
            # the first pages read the new tables as empty and plan for that) and the
            # visibility map (which index-only scans need).
            # VACUUM only outside any transaction (a test's holds one): ANALYZE then.
            with connection.cursor() as curseur:
                curseur.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        self._afficher(rapport, time.monotonic() - debut)

    def _afficher(self, rapport: echelle.Rapport, duree: float) -> None:
        if rapport.departements_presents:
            self.stdout.write(
                f"{len(rapport.departements_presents)} département(s) déjà présent(s), "
                "laissé(s) tel(s) quel(s) : " + ", ".join(rapport.departements_presents) + "."
            )
        self.stdout.write(f"{len(rapport.departements_crees)} département(s) générés.")
        self.stdout.write("Lignes créées par modèle :")
        for modele, nombre in sorted(rapport.lignes.items()):
            self.stdout.write(f"  {modele:<36}{nombre:>10}")
        self.stdout.write(f"  {'total':<36}{sum(rapport.lignes.values()):>10}")
        etapes = ", ".join(f"{nom} {secondes:.1f} s" for nom, secondes in rapport.secondes.items())
        self.stdout.write(f"Durée : {duree:.1f} s ({etapes}).")
        self.stdout.write(
            f"Comptes (mot de passe : {echelle.MOT_DE_PASSE}) : "
            f"pilotage.<code>@{echelle.DOMAINE}, cabinet.<code>@{echelle.DOMAINE}, "
            f"partenaire1.<code>@{echelle.DOMAINE}…, lecteur.national@{echelle.DOMAINE}, "
            f"lecteur.region.<région>@{echelle.DOMAINE}."
        )
