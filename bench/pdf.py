"""How long the feuille de route's PDF takes, and how much memory, as the plan grows.

    .venv/bin/python bench/pdf.py

Run from the repository root, with nothing set: it works on a throw-away SQLite database
in a temporary folder (migrated quietly), builds one département with feuilles de route of
20, 80 and 200 actions (nine axes; partners with their role, funding lines over the years,
indicators with values, publics, places, context figures), renders each one's HTML with
the real template (`actions.feuille_de_route`) and lays it out as a PDF, next to a one-page
document as the baseline. Each PDF is made in a fresh process, so its peak memory is its
own; that process first renders a small page, untimed (loading WeasyPrint and the fonts is
a worker's start-up cost, paid once, not each document's). When `integration.signature`
is there, the 200-action PDF is signed too, with a demo certificate made for the run.

It prints a French table, then, on the last line, one JSON object with the same figures.
Targets: 200 actions under 8 s and 400 MB; the cost of a page does not grow with the plan.
"""

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from math import inf
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
TAILLES = (20, 80, 200)
# Each measure is the median of three runs: our machines are noisy, one run of the
# 200-action plan can be a fifth slower than the next.
ESSAIS = 3
OBJECTIFS = {"secondes_200": 8.0, "memoire_mo_200": 400.0, "signature_secondes": 0.5}
LIBELLES_OBJECTIFS = (
    f"{TAILLES[-1]} actions en moins de {OBJECTIFS['secondes_200']:.0f} s",
    f"{TAILLES[-1]} actions sous {OBJECTIFS['memoire_mo_200']:.0f} Mo",
    f"signature en moins de {OBJECTIFS['signature_secondes']} s",
    "coût d'une page qui ne croît pas avec le plan",
)

BASE = """{% extends "documents/base.html" %}
{% block contenu %}<h1>Attestation</h1>
<p>Le service pilote atteste la tenue du comité de pilotage départemental du
1er juin 2026 à la préfecture.</p>
<p class="lieu-date">Rouen, le 2 juin 2026</p>{% endblock %}"""


def _environnement(dossier: Path) -> dict:
    """The embedded mode on a database and media folder of this run's own."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"CELERY_BROKER_URL", "DATABASE_URL", "PRODUCTION", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="integration.settings",
        PRODUCTION="false",
        DEBUG="false",
        DATABASE_URL=f"sqlite:///{dossier / 'banc.sqlite3'}",
        MEDIA_ROOT=str(dossier / "media"),
        SIGNATURE_PKCS12_FILE=str(dossier / "banc.p12"),
        SIGNATURE_PKCS12_PASSPHRASE="banc-d-essai",  # noqa: S106 - a throw-away demo key
    )
    return env


def _django(env: dict) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(RACINE))
    import django

    django.setup()


# --- Measuring, in a child process -------------------------------------------------------


def _memoire_mo() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def mesurer(fichier_html: str, signer: bool) -> None:
    """Child: lay FICHIER_HTML out as a PDF (after an untimed warm-up) and print the figures
    as JSON; sign it too when asked."""
    from integration.documents.rendu import rendre_pdf

    rendre_pdf(
        "<!DOCTYPE html><html lang='fr'><body><p>Préchauffage</p></body></html>"
    )  # fonts, stylesheet
    html = Path(fichier_html).read_text(encoding="utf-8")
    debut, cpu = time.perf_counter(), time.process_time()
    resultat = rendre_pdf(html)
    secondes, cpu = time.perf_counter() - debut, time.process_time() - cpu
    mesure = {
        "secondes": secondes,
        "cpu": cpu,
        "pages": resultat.pages,
        "memoire_mo": _memoire_mo(),
    }
    if signer:
        mesure["signature"] = _signer(resultat)
    print(json.dumps(mesure))


def _signer(resultat) -> dict:
    from datetime import datetime

    from django.core.management import call_command
    from django.utils import timezone

    from integration import signature
    from integration.documents.registre import Signataire

    try:
        call_command("create_demo_certificate", verbosity=0)
        signataire = Signataire(
            nom="Camille Martin",
            qualite="Préfète de la Seine-Maritime",
            lieu="Rouen",
            date=timezone.make_aware(datetime(2026, 11, 23, 10, 0)),
        )
        signature.signer_pdf(resultat.pdf, resultat.cadre_signature, signataire)  # warm-up
        durees = []
        for _ in range(ESSAIS):
            debut = time.perf_counter()
            signature.signer_pdf(resultat.pdf, resultat.cadre_signature, signataire)
            durees.append(time.perf_counter() - debut)
        return {"secondes": statistics.median(durees), "essais": ESSAIS}
    except Exception as exc:  # noqa: BLE001 - the bench reports it and goes on
        return {"erreur": f"{type(exc).__name__} : {exc}"}


def _enfant(env: dict, fichier: Path, *, signer: bool = False) -> dict:
    commande = [sys.executable, __file__, "--mesurer", str(fichier)]
    if signer:
        commande.append("--signer")
    sortie = subprocess.run(  # noqa: S603 - this very script, with our own file
        commande, env=env, cwd=RACINE, capture_output=True, text=True, check=False
    )
    if sortie.returncode != 0:
        raise SystemExit(f"La mesure de {fichier.name} a échoué :\n{sortie.stderr}")
    return json.loads(sortie.stdout.strip().splitlines()[-1])


# --- Building the plans, in the parent ---------------------------------------------------


def _construire(taille: int, annee: int, departement, acteurs, territoires, user):
    """A feuille of TAILLE actions spread over the nine default axes, with what they carry."""
    from decimal import Decimal

    from actions.models import (
        AXES_PAR_DEFAUT,
        Action,
        Axe,
        FeuilleDeRoute,
        Financement,
        Indicateur,
        Mesure,
        Partenariat,
        PublicCible,
    )

    feuille = FeuilleDeRoute.objects.create(
        departement=departement,
        titre=f"Feuille de route départementale {annee}–{annee + 2}",
        annee_debut=annee,
        annee_fin=annee + 2,
        statut=FeuilleDeRoute.Statut.VISA,
    )
    axes = Axe.objects.bulk_create(
        Axe(feuille=feuille, ordre=i, code=code, libelle=libelle)
        for i, (code, libelle) in enumerate(AXES_PAR_DEFAUT, start=1)
    )
    actions = Action.objects.bulk_create(
        Action(
            feuille=feuille,
            axe=axes[i % len(axes)],
            titre=f"Action {i + 1} : ateliers sociolinguistiques et accompagnement vers l'emploi",
            description=(
                "Des ateliers hebdomadaires de français à visée professionnelle, animés par "
                "des formateurs et des bénévoles, pour les personnes signataires du contrat "
                "d'intégration républicaine ; un accompagnement individuel vers l'emploi et la "
                "formation, en lien avec France Travail et les employeurs du territoire.\n"
                "Les séances ont lieu en soirée pour les personnes qui travaillent."
            ),
            objectifs="Atteindre le niveau A2 ; lever les freins à la mobilité.",
            porteur=acteurs[i % len(acteurs)],
            statut=Action.Statut.VALIDEE if i % 4 else Action.Statut.EN_COURS,
            soumise_le="2026-01-05T10:00:00Z",
            date_debut=f"{annee}-01-01",
            date_fin=f"{annee + 2}-12-31",
        )
        for i in range(taille)
    )
    roles = ["Orientation des publics", "Mise à disposition de locaux"]
    Partenariat.objects.bulk_create(
        Partenariat(action=a, acteur=acteurs[(i + k + 1) % len(acteurs)], role=role)
        for i, a in enumerate(actions)
        for k, role in enumerate(roles[: 1 + i % 2])
    )
    sources = [s for s, _ in Financement.Source.choices]
    Financement.objects.bulk_create(
        Financement(
            action=a,
            source=sources[(i + k) % len(sources)],
            annee=annee + k,
            montant_demande=Decimal(12500 + 250 * (i % 7)),
            montant_accorde=Decimal(10000),
            montant_verse=Decimal(5000) if k == 0 else None,
        )
        for i, a in enumerate(actions)
        for k in range(2 + i % 2)
    )
    indicateurs = Indicateur.objects.bulk_create(
        Indicateur(action=a, libelle=libelle, unite=unite, cible=Decimal(cible))
        for a in actions
        for libelle, unite, cible in [("Personnes accompagnées", "personnes", 40),
                                      ("Heures de formation", "heures", 1200)]
    )  # fmt: skip
    Mesure.objects.bulk_create(
        Mesure(indicateur=ind, annee=annee + k, valeur=Decimal(12 + 7 * k), saisie_par=user)
        for ind in indicateurs
        for k in range(2)
    )
    publics = list(PublicCible.objects.all()[:3])
    Action.publics.through.objects.bulk_create(
        Action.publics.through(action=a, publiccible=p) for a in actions for p in publics[:2]
    )
    Action.territoires.through.objects.bulk_create(
        Action.territoires.through(action=a, territoire=territoires[i % len(territoires)])
        for i, a in enumerate(actions)
    )
    return feuille


def _monde(env: dict):
    from django.core.management import call_command

    from acteurs.models import Acteur, Departement, Territoire, User
    from actions.models import StatistiqueContexte

    call_command("migrate", verbosity=0, interactive=False)
    departement = Departement.objects.create(
        code="76", nom="Seine-Maritime", titre_prefet="Préfète de la Seine-Maritime",
        chef_lieu="Rouen",
    )  # fmt: skip
    user = User.objects.create_user("banc@example.fr")
    types = [t for t, _ in Acteur.Type.choices]
    acteurs = Acteur.objects.bulk_create(
        Acteur(
            departement=departement,
            type=types[i % len(types)],
            nom=f"Structure partenaire numéro {i + 1} de l'agglomération rouennaise",
            sigle=f"SP{i + 1}",
            statut=Acteur.Statut.VALIDE,
        )
        for i in range(60)
    )
    territoires = Territoire.objects.bulk_create(
        Territoire(type=Territoire.Type.COMMUNE, code=f"76{i:03d}", nom=f"Commune {i}")
        for i in range(30)
    )
    feuilles = {}
    for n, taille in enumerate(TAILLES):
        annee = 2026 + 3 * n
        StatistiqueContexte.objects.bulk_create(
            StatistiqueContexte(
                departement=departement, annee=annee - 1, indicateur=code, valeur=1000 + 37 * k,
                source="DGEF, OFII",
            )
            for k, (code, _) in enumerate(StatistiqueContexte.Indicateur.choices)
        )  # fmt: skip
        feuilles[taille] = _construire(taille, annee, departement, acteurs, territoires, user)
    return departement, feuilles


# --- The run -----------------------------------------------------------------------------


def _mediane(env: dict, fichier: Path, essais: int) -> dict:
    mesures = [_enfant(env, fichier) for _ in range(essais)]
    return {
        "secondes": statistics.median(m["secondes"] for m in mesures),
        "cpu": statistics.median(m["cpu"] for m in mesures),
        "pages": mesures[0]["pages"],
        "memoire_mo": max(m["memoire_mo"] for m in mesures),
        "essais": essais,
    }


def principal() -> None:
    with tempfile.TemporaryDirectory(prefix="banc-pdf-") as nom:
        dossier = Path(nom)
        env = _environnement(dossier)
        _django(env)
        from django.template import engines

        from actions import documents
        from integration.documents.rendu import rendre_html

        departement, feuilles = _monde(env)
        resultats = {}
        fichier = dossier / "base.html"
        contexte = {"emetteur": departement.titre_prefet,
                    "lignes_bloc_marque": departement.lignes_bloc_marque}  # fmt: skip
        modele = engines["django"].from_string(BASE)
        fichier.write_text(
            modele.render({**contexte, "ORIGINE": "https://documents.invalid",
                           "titre_document": "Attestation"}),
            encoding="utf-8",
        )  # fmt: skip
        resultats["base"] = _mediane(env, fichier, ESSAIS)
        for taille, feuille in feuilles.items():
            debut = time.perf_counter()
            contexte = documents.contexte_feuille(feuille)
            html = rendre_html(documents.GABARIT, contexte, titre=documents.titre(feuille))
            secondes_html = time.perf_counter() - debut
            fichier = dossier / f"feuille-{taille}.html"
            fichier.write_text(html, encoding="utf-8")
            resultats[taille] = {
                **_mediane(env, fichier, ESSAIS),
                "secondes_html": secondes_html,
            }
        signature = _signature(env, dossier / f"feuille-{TAILLES[-1]}.html")
    _rapport(resultats, signature)


def _signature(env: dict, fichier: Path) -> dict | None:
    import importlib.util

    if importlib.util.find_spec("integration.signature") is None:
        return None
    return _enfant(env, fichier, signer=True)["signature"]


def _objectifs(resultats: dict, signature: dict | None) -> dict[str, bool]:
    """Each target, held or not. The cost of a page "does not grow" when the biggest plan's
    is within a tenth of the smallest one's (the runs of a noisy machine differ that much)."""
    grande, petite = resultats[TAILLES[-1]], resultats[TAILLES[0]]
    signee = (signature or {}).get("secondes", inf)
    return {
        "secondes_200": grande["secondes"] < OBJECTIFS["secondes_200"],
        "memoire_mo_200": grande["memoire_mo"] < OBJECTIFS["memoire_mo_200"],
        "signature_secondes": signee < OBJECTIFS["signature_secondes"],
        "cout_par_page_stable": grande["ratio_par_page"] <= petite["ratio_par_page"] * 1.1,
    }


def _arrondi(mesures: dict) -> dict:
    """Figures to a tenth of a millisecond: what the machines' noise leaves meaningful."""
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in mesures.items()}


def _rapport(resultats: dict, signature: dict | None) -> None:
    base = resultats["base"]
    par_page_base = base["secondes"] / base["pages"]
    lignes = []
    for cle, r in resultats.items():
        r["secondes_par_page"] = r["secondes"] / r["pages"]
        r["ratio_par_page"] = r["secondes_par_page"] / par_page_base
        if cle != "base":
            # What one more action costs: pages differ in density (a short plan has more
            # of its pages half empty: cover, contents, an axe per page), actions do not.
            r["secondes_par_action"] = (r["secondes"] - base["secondes"]) / cle
        lignes.append((cle, r))
    print("Banc PDF — feuille de route (WeasyPrint, PDF/UA-1)\n")
    entete = f"{'Document':<22}{'Essais':>7}{'Pages':>7}{'Secondes':>10}{'CPU (s)':>9}{'s/page':>9}"
    entete += f"{'× base/page':>13}{'ms/action':>11}{'Mémoire (Mo)':>14}{'HTML (s)':>10}"
    print(entete)
    print("-" * len(entete))
    for cle, r in lignes:
        nom = "Document d'une page" if cle == "base" else f"Feuille, {cle} actions"
        html = f"{r['secondes_html']:>10.2f}" if "secondes_html" in r else f"{'—':>10}"
        action = (
            f"{r['secondes_par_action'] * 1000:>11.0f}"
            if "secondes_par_action" in r
            else f"{'—':>11}"
        )
        print(
            f"{nom:<22}{r['essais']:>7}{r['pages']:>7}{r['secondes']:>10.2f}{r['cpu']:>9.2f}"
            f"{r['secondes_par_page']:>9.3f}{r['ratio_par_page']:>13.2f}{action}"
            f"{r['memoire_mo']:>14.0f}" + html
        )
    print()
    print("Secondes : médiane des essais, mise en page et écriture du PDF seules, après un")
    print("préchauffage non mesuré du processus.")
    print("CPU : temps processeur du même travail ; moins sensible que la durée à une machine")
    print("chargée par ailleurs (comparez-les : un grand écart dit que la machine était occupée).")
    print("ms/action : (secondes − document d'une page) / actions ; stable quand le coût suit")
    print("la taille du plan (les pages, elles, sont plus ou moins pleines).")
    print("Mémoire : pic du processus qui produit le PDF (ru_maxrss), Django et WeasyPrint")
    print("compris.")
    objectifs = _objectifs(resultats, signature)
    for libelle, tenu in zip(LIBELLES_OBJECTIFS, objectifs.values(), strict=True):
        print(f"Objectif : {libelle} : {'tenu' if tenu else 'NON TENU'}")
    if signature is None:
        print("signature : module absent")
    elif "erreur" in signature:
        print(f"signature : impossible ({signature['erreur']})")
    else:
        print(
            f"signature du PDF de {TAILLES[-1]} actions : {signature['secondes']:.2f} s "
            f"(médiane de {signature['essais']} essais)"
        )
    sortie = {str(cle): _arrondi(r) for cle, r in resultats.items()}
    sortie["signature"] = _arrondi(signature) if signature else "module absent"
    sortie["objectifs"] = objectifs
    sortie["objectifs_tenus"] = all(objectifs.values())
    print(json.dumps(sortie, ensure_ascii=False))


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--mesurer":
        _django({})
        mesurer(sys.argv[2], signer="--signer" in sys.argv)
    else:
        principal()
