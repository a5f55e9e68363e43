"""The feuille de route as a document: its PDF for reading, and the signed one for the record.

Two kinds share one template (`actions/documents/feuille_de_route.html`):
- `actions.feuille_de_route`: any version at any step, accessible PDF (PDF/UA), for
  whoever reads the feuille;
- `actions.feuille_signee`: only a signed version, archivable PDF (PDF/A-2a) sealed with
  the cabinet's signature in the template's blank box; one per feuille, ever.

What a document shows is the same for every reader, so it holds only what every reader of
the feuille may read: the plan adopted (validated actions and after) and, while partners
are consulted, what is submitted to them; never a draft, a refusal or an abandoned action.

Its money follows `actions.montants`: the budget counts the adopted actions only, since a
signed feuille commits the State to them and to nothing else. What the submitted actions
request during a consultation shows apart, in one sentence; a signed feuille lists no
pending action, so its budget is exactly what the préfet commits to.

The context is built in a fixed number of queries, however many actions (a test holds it).
"""

from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils import timezone

from actions import access
from actions.models import (
    Action,
    Financement,
    Indicateur,
    Mesure,
    Partenariat,
    StatistiqueContexte,
)
from actions.montants import par
from integration.documents.registre import Signataire, TypeDocument, enregistrer
from integration.documents.rendu import VARIANTE_ACCESSIBLE, VARIANTE_ARCHIVABLE
from integration.text import date_longue

GABARIT = "actions/documents/feuille_de_route.html"
TITRE_OFFICIEL = (
    "Feuille de route départementale pour l’accueil et l’intégration des étrangers "
    "primo-arrivants et des réfugiés"
)
FEUILLE_DE_ROUTE = "actions.feuille_de_route"
FEUILLE_SIGNEE = "actions.feuille_signee"


def _dates(action) -> str:
    """ "du 1er janvier 2026 au 31 décembre 2026", "à partir du…", "jusqu'au…", or ""."""
    debut, fin = action.date_debut, action.date_fin
    if debut and fin:
        return f"du {date_longue(debut)} au {date_longue(fin)}"
    if debut:
        return f"à partir du {date_longue(debut)}"
    return f"jusqu'au {date_longue(fin)}" if fin else ""


def statuts_publies(feuille) -> tuple[str, ...]:
    """The actions every reader of FEUILLE reads (actions.access): the plan adopted, and
    what is submitted to the partners while they are consulted."""
    if feuille.statut == feuille.Statut.CONSULTATION:
        return access.SOUMISES_A_CONSULTATION
    return Action.RETENUES


def _listees(feuille):
    """The actions the document lists: those every reader reads, but an abandoned one."""
    return Action.objects.filter(feuille=feuille, statut__in=statuts_publies(feuille)).exclude(
        statut=Action.Statut.ABANDONNEE
    )


def _actions(feuille):
    return list(
        _listees(feuille)
        .select_related("porteur")
        .prefetch_related(
            Prefetch("partenariats", queryset=Partenariat.objects.select_related("acteur")),
            "publics",
            "territoires",
            "financements",
            Prefetch(
                "indicateurs",
                queryset=Indicateur.objects.prefetch_related(
                    Prefetch(
                        "mesures", queryset=Mesure.objects.order_by("-annee"), to_attr="recentes"
                    )
                ),
            ),
        )
        .order_by("axe__ordre", "titre", "pk")
    )


def _somme(valeurs) -> Decimal | None:
    """A sum of database sums; None when none is filled (shown « — »)."""
    presentes = [v for v in valeurs if v is not None]
    return sum(presentes, Decimal(0)) if presentes else None


def _ligne_budget(libelle: str, lignes: list[dict], annee=None) -> dict:
    return {
        "libelle": libelle,
        "annee": annee,
        "demande": _somme(ligne["d"] for ligne in lignes),
        "accorde": _somme(ligne["a"] for ligne in lignes),
        "verse": _somme(ligne["v"] for ligne in lignes),
    }


def _budget(lignes: list[dict]) -> dict:
    """The adopted actions' funding by source and year, with a total per source, per year
    and in all; what the listed pending actions request, apart. LINES are the database's
    sums by axe, source and year (`actions.montants.par`): a few rows whatever the
    number of actions."""
    adoptees = [ligne for ligne in lignes if ligne["d"] is not None]
    par_source: dict[str, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    par_annee: dict[int, list] = defaultdict(list)
    for ligne in adoptees:
        par_source[ligne["source"]][ligne["annee"]].append(ligne)
        par_annee[ligne["annee"]].append(ligne)
    sources = []
    for code, libelle in Financement.Source.choices:
        if code not in par_source:
            continue
        annees = par_source[code]
        sources.append(
            {
                "lignes": [
                    _ligne_budget(libelle, annees[annee], annee) for annee in sorted(annees)
                ],
                "total": _ligne_budget(f"Total {libelle}", sum(annees.values(), [])),
            }
        )
    return {
        "sources": sources,
        "annees": [_ligne_budget(str(a), par_annee[a], a) for a in sorted(par_annee)],
        "total": _ligne_budget("Total", adoptees),
        "en_attente": _somme(ligne["attente"] for ligne in lignes),
    }


def _partenaires(actions) -> list[dict]:
    """Every structure involved, porteur or partner, with how many actions of each."""
    structures: dict[int, dict] = {}
    for action in actions:
        entree = structures.setdefault(
            action.porteur_id, {"acteur": action.porteur, "porte": 0, "partenaire": 0}
        )
        entree["porte"] += 1
        for partenariat in action.partenariats.all():
            entree = structures.setdefault(
                partenariat.acteur_id, {"acteur": partenariat.acteur, "porte": 0, "partenaire": 0}
            )
            entree["partenaire"] += 1
    return sorted(structures.values(), key=lambda e: e["acteur"].nom.casefold())


def _statistiques(feuille) -> dict:
    """The département's context figures for the year before the period (what the plan
    was written on) and the period's own years, one row per figure."""
    annees = list(range(feuille.annee_debut - 1, feuille.annee_fin + 1))
    chiffres = StatistiqueContexte.objects.filter(
        departement=feuille.departement_id, annee__in=annees
    ).order_by("indicateur", "annee")
    lignes: dict[str, dict] = {}
    presentes = set()
    for chiffre in chiffres:
        ligne = lignes.setdefault(
            chiffre.indicateur,
            {"libelle": chiffre.get_indicateur_display(), "valeurs": {}, "sources": []},
        )
        ligne["valeurs"][chiffre.annee] = chiffre.valeur
        if chiffre.source not in ligne["sources"]:
            ligne["sources"].append(chiffre.source)
        presentes.add(chiffre.annee)
    colonnes = sorted(presentes)
    ordre = [code for code, _ in StatistiqueContexte.Indicateur.choices]
    return {
        "annees": colonnes,
        "lignes": [
            {**ligne, "valeurs": [ligne["valeurs"].get(a) for a in colonnes]}
            for code, ligne in sorted(lignes.items(), key=lambda kv: ordre.index(kv[0]))
        ],
    }


def contexte_feuille(feuille) -> dict:
    """What the template shows of FEUILLE. A fixed number of queries: the feuille, its
    axes, its actions and what they carry (one query per relation), the context figures."""
    feuille = type(feuille).objects.select_related("departement", "signee_par").get(pk=feuille.pk)
    departement = feuille.departement
    actions = _actions(feuille)
    sommes = list(par(_listees(feuille), "action__axe", "source", "annee"))
    par_axe = defaultdict(list)
    for action in actions:
        action.dates = _dates(action)
        for indicateur in action.indicateurs.all():
            indicateur.derniere = indicateur.recentes[0] if indicateur.recentes else None
        par_axe[action.axe_id].append(action)
    axes = list(feuille.axes.order_by("ordre"))
    for axe in axes:
        axe.fiches = par_axe.get(axe.pk, [])
        for rang, action in enumerate(axe.fiches, start=1):
            action.numero = f"{axe.ordre}.{rang}"
        axe.financements = _ligne_budget(
            f"Axe {axe.ordre}", [s for s in sommes if s["action__axe"] == axe.pk]
        )
    # The date the document bears: its signature's, or the day it is asked for.
    jour = date_longue(feuille.signee_le if feuille.est_signee else timezone.now())
    return {
        "feuille": feuille,
        "departement": departement,
        "emetteur": departement.titre_prefet,
        "lignes_bloc_marque": departement.lignes_bloc_marque,
        "titre_officiel": TITRE_OFFICIEL,
        "date_document": jour,
        "lieu_date": f"{departement.chef_lieu}, le {jour}",
        "fait_a": f"Fait à {departement.chef_lieu}, le {jour}",
        "signataire": _signataire_ou_rien(feuille),
        "axes": axes,
        "nombre_actions": len(actions),
        "statistiques": _statistiques(feuille),
        "budget": _budget(sommes),
        "partenaires": _partenaires(actions),
    }


def contexte_signee(feuille) -> dict:
    if not feuille.est_signee:
        raise ValidationError("Seule une feuille de route signée a une version signée.")
    return contexte_feuille(feuille)


# --- The kinds --------------------------------------------------------------------------


def _signataire_ou_rien(feuille) -> Signataire | None:
    if not feuille.est_signee:
        return None
    personne = feuille.signee_par
    return Signataire(
        nom=personne.get_full_name() or personne.email,
        qualite=feuille.signee_qualite or feuille.departement.titre_prefet,
        lieu=feuille.departement.chef_lieu,
        date=feuille.signee_le,
    )


def signataire(feuille) -> Signataire:
    trouve = _signataire_ou_rien(feuille)
    if trouve is None:
        raise ValidationError("Cette feuille de route n'est pas signée.")
    return trouve


def visible(user, feuille) -> bool:
    """Whoever may read the feuille (actions.access) reads its documents."""
    return access.feuilles_visible_to(user).filter(pk=feuille.pk).exists() and access.can_feuille(
        user, "voir", feuille
    )


def titre(feuille) -> str:
    departement, version = feuille.departement.nom, feuille.version
    return f"Feuille de route {feuille.periode} — {departement}, version {version}"


def _nom(feuille) -> str:
    return (
        f"feuille-de-route-{feuille.departement.code}-{feuille.annee_debut}-"
        f"{feuille.annee_fin}-v{feuille.version}"
    )


def description_publique(feuille) -> str:
    """ "Feuille de route 2026–2028 de la Seine-Maritime, version 2, signée le 3 mars 2027" """
    return (
        f"Feuille de route {feuille.periode} {feuille.departement.du_nom}, "
        f"version {feuille.version}, signée le {date_longue(feuille.signee_le)}"
    )


def declarer() -> None:
    """Register both kinds (from ActionsConfig.ready)."""
    enregistrer(
        TypeDocument(
            code=FEUILLE_DE_ROUTE,
            libelle="Feuille de route",
            modele="actions.FeuilleDeRoute",
            gabarit=GABARIT,
            contexte=contexte_feuille,
            visible=visible,
            nom_fichier=lambda f: f"{_nom(f)}.pdf",
            titre=titre,
            variante=VARIANTE_ACCESSIBLE,
        )
    )
    enregistrer(
        TypeDocument(
            code=FEUILLE_SIGNEE,
            libelle="Feuille de route signée",
            modele="actions.FeuilleDeRoute",
            gabarit=GABARIT,
            contexte=contexte_signee,
            visible=visible,
            nom_fichier=lambda f: f"{_nom(f)}-signee.pdf",
            titre=titre,
            variante=VARIANTE_ARCHIVABLE,
            signataire=signataire,
            description_publique=description_publique,
        )
    )
