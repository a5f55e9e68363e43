"""The press-release draft of a séance, in the form and tone of the prefectures' own.

Only a draft: the cabinet edits it before export, and each save is a new version.
"""

from datetime import timedelta

from django.utils import timezone

from acteurs.models import Acteur
from actions.models import StatistiqueContexte
from comites.models import Convocation, Instance
from integration.text import date_longue, de, heure  # noqa: F401  (re-exported)

FAMILLES = {  # how a press release names each kind of structure, in this order
    Acteur.Type.COLLECTIVITE: "collectivités locales",
    Acteur.Type.EPCI: "intercommunalités",
    Acteur.Type.SERVICE_ETAT: "services de l'État",
    Acteur.Type.OPERATEUR_ETAT: "opérateurs de l'État",
    Acteur.Type.ASSOCIATION: "partenaires associatifs",
    Acteur.Type.ENTREPRISE: "entreprises",
}

INTRODUCTION = (
    "Le gouvernement entend mener une politique volontariste pour accompagner les réfugiés "
    "et les étrangers en situation régulière primo-arrivants. Ces personnes ont vocation à "
    "s'insérer dans notre société et à y apporter leur contribution, notamment par le "
    "travail. Il est donc essentiel de faciliter leur intégration linguistique, sociale et "
    "culturelle."
)


def enumerer(elements: list[str]) -> str:
    """ "a, b et c" """
    if len(elements) <= 1:
        return "".join(elements)
    return ", ".join(elements[:-1]) + " et " + elements[-1]


def en_cours_de_phrase(texte: str) -> str:
    """A title quoted within a sentence starts lower-case, unless it opens with an acronym."""
    texte = texte.strip().rstrip(".")
    if len(texte) > 1 and texte[0].isupper() and texte[1].islower():
        return texte[0].lower() + texte[1:]
    return texte


def ligne_de_lieu(seance) -> str:
    """The proposed date line: the chef-lieu and the séance's day, for a release issued
    after the meeting; the officer edits it with the text."""
    jour = timezone.localtime(seance.debut)
    return f"{seance.instance.departement.chef_lieu}, le {date_longue(jour)}"


def _familles(seance) -> list[str]:
    presentes = seance.convocations.exclude(presence=Convocation.Presence.ABSENT).exclude(
        presence=Convocation.Presence.EXCUSE
    )
    types = set(presentes.exclude(acteur=None).values_list("acteur__type", flat=True))
    return [libelle for code, libelle in FAMILLES.items() if code in types]


def annees_chiffres(departement_id) -> list[int]:
    """The years the département has context figures for, latest first."""
    return list(
        StatistiqueContexte.objects.filter(departement_id=departement_id)
        .order_by("-annee")
        .values_list("annee", flat=True)
        .distinct()
    )


def annee_proposee(seance, annees: list[int]) -> int | None:
    """The séance's year, or the latest before it: a past meeting never quotes figures
    of years it could not know."""
    annee = timezone.localtime(seance.debut).year
    return next((a for a in annees if a <= annee), None)


def chiffres(departement_id, annee: int | None) -> str:
    """The figures' paragraph for ANNEE, which it names; empty without figures."""
    if annee is None:
        return ""
    stats = dict(
        StatistiqueContexte.objects.filter(departement_id=departement_id, annee=annee).values_list(
            "indicateur", "valeur"
        )
    )
    I = StatistiqueContexte.Indicateur  # noqa: E741, N806 - a short alias for the choices
    phrases = []
    if I.PREMIERS_TITRES in stats:
        phrase = (
            f"En {annee}, {_nombre(stats[I.PREMIERS_TITRES])} premiers titres de séjour ont "
            f"été délivrés à des primo-arrivants dans le département"
        )
        if I.DONT_BPI in stats:
            phrase += (
                f", dont {_nombre(stats[I.DONT_BPI])} à des réfugiés et bénéficiaires de la "
                "protection subsidiaire"
            )
        phrases.append(phrase + ".")
    autres = []
    if I.RENOUVELLEMENTS in stats:
        autres.append(f"{_nombre(stats[I.RENOUVELLEMENTS])} titres de séjour ont été renouvelés")
    if I.CIR_SIGNES in stats:
        autres.append(
            f"{_nombre(stats[I.CIR_SIGNES])} contrats d'intégration républicaine ont été signés"
        )
    if autres:
        # Said with their year, so that no sentence of the paragraph reads as undated.
        debut = "La même année, " if phrases else f"En {annee}, "
        phrases.append(debut + " et ".join(autres) + ".")
    return " ".join(phrases)


def _nombre(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


NOMBRES = {2: "Deux", 3: "Trois", 4: "Quatre", 5: "Cinq", 6: "Six", 7: "Sept", 8: "Huit"}


def nom_de_l_instance(instance) -> str:
    """ "comité de pilotage de la stratégie départementale d'intégration des étrangers", or
    with its theme; never the word « intégration » twice."""
    nom = instance.get_type_display().lower()
    if instance.theme:
        return f"{nom} « {instance.theme} »"
    return f"{nom} de la stratégie départementale d'intégration des étrangers"


def _premiere(seance) -> bool:
    """No earlier séance of the instance was held: this one is its first."""
    return (
        not seance.instance.seances.filter(debut__lt=seance.debut)
        .exclude(statut__in=[seance.Statut.ANNULEE])
        .exists()
    )


def _groupes(seance) -> list[str]:
    groupes = Instance.objects.filter(parent=seance.instance, type=Instance.Type.GROUPE_TRAVAIL)
    return [en_cours_de_phrase(g.theme) for g in groupes.order_by("pk")]


def titre_propose(seance, premiere: bool, groupes: list[str]) -> str:
    """A title from what is new: a first meeting, working groups launched."""
    instance = seance.instance
    nom = instance.get_type_display().lower()
    sujet = f"un premier {nom}" if premiere else f"le {nom}"
    if len(groupes) > 1:
        nombre = NOMBRES.get(len(groupes), str(len(groupes))).lower()
        return f"Intégration des étrangers : {sujet} lance {nombre} groupes de travail"
    if groupes:
        return f"Intégration des étrangers : {sujet} lance un groupe de travail « {groupes[0]} »"
    jour = date_longue(timezone.localtime(seance.debut))
    if premiere:
        return f"Intégration des étrangers : premier {nom} {instance.departement.du_nom}"
    return f"Intégration des étrangers : le {nom} {instance.departement.du_nom} réuni le {jour}"


def ouverture(seance, premiere: bool) -> str:
    """Who met, when, where, under whom, and who they are."""
    jour = timezone.localtime(seance.debut)
    quand = f"le {date_longue(jour, jour_de_la_semaine=True)}"
    ou = (
        f" ({seance.lieu})" if seance.lieu else (" en visioconférence" if seance.lien_visio else "")
    )
    phrase = f"Le {nom_de_l_instance(seance.instance)} s'est réuni"
    phrase += " pour la première fois" if premiere else ""
    phrase += f" {quand}{ou}"
    if seance.preside_par:
        phrase += f", sous la présidence {de(seance.preside_par.nom_et_fonction)}"
    phrase += "."
    if familles := _familles(seance):
        phrase += (
            " Il rassemble les structures qui accompagnent au quotidien les primo-arrivants et "
            f"les réfugiés : {enumerer(familles)}."
        )
    return phrase


def _liste(elements: list[str]) -> str:
    """Items one per line, « - » first, as the text field lists them; the last one ends
    the sentence."""
    return "\n".join(
        f"- {e}{'.' if i == len(elements) - 1 else ' ;'}" for i, e in enumerate(elements)
    )


def _infinitif(texte: str) -> bool:
    premier = texte.split(maxsplit=1)[0].lower() if texte.split() else ""
    return premier.endswith(("er", "ir", "re", "oir"))


def _de(texte: str) -> str:
    """ "de réunir", "d'organiser": a decision said after « il a été décidé »."""
    return de(texte) if _infinitif(texte) else texte


def decisions(seance) -> str:
    textes = [en_cours_de_phrase(d.texte) for d in seance.decisions.order_by("echeance", "pk")]
    if not textes:
        return ""
    if len(textes) == 1:
        lien = " " if _infinitif(textes[0]) else " que : "
        return f"À l'issue de la réunion, il a été décidé{lien}{_de(textes[0])}."
    return "À l'issue de la réunion, il a été décidé :\n" + _liste([_de(t) for t in textes])


def prochaine_reunion(seance) -> str:
    """The next meeting of the instance, when one is planned."""
    suivante = (
        seance.instance.seances.filter(debut__gt=seance.debut)
        .exclude(statut=seance.Statut.ANNULEE)
        .order_by("debut")
        .first()
    )
    if suivante is None:
        return ""
    jour = date_longue(timezone.localtime(suivante.debut))
    nom = seance.instance.get_type_display().lower()
    return f"La prochaine réunion du {nom} est prévue le {jour}."


def brouillon(seance, annee: int | None) -> dict:
    """A version's fields pre-filled from SEANCE, the figures of ANNEE, to be edited: the
    news first (who met, when, where), the ordre du jour, the decisions, the groups
    launched, the calendar; the government's generic paragraph last, to keep or drop."""
    premiere = _premiere(seance)
    groupes = _groupes(seance)
    deja = {g.casefold() for g in groupes}
    # A group launched is said once, with the groups, not again as a point.
    points = [en_cours_de_phrase(p.titre) for p in seance.points.all()]
    points = [p for p in points if p.casefold() not in deja]
    paragraphes = [ouverture(seance, premiere)]
    # Point titles are headings, without an article: listed after a colon.
    if len(points) == 1:
        paragraphes.append(f"À l'ordre du jour : {points[0]}.")
    elif points:
        paragraphes.append("À l'ordre du jour :\n" + _liste(points))
    if texte := decisions(seance):
        paragraphes.append(texte)
    if len(groupes) == 1:
        paragraphes.append(
            f"Un groupe de travail « {groupes[0]} » est lancé. Ses travaux alimenteront la "
            "feuille de route départementale."
        )
    elif groupes:
        paragraphes.append(
            f"{NOMBRES.get(len(groupes), len(groupes))} groupes de travail thématiques sont "
            "lancés :\n" + _liste(groupes) + "\nLeurs travaux alimenteront la feuille de route "
            "départementale."
        )
    if texte := prochaine_reunion(seance):
        paragraphes.append(texte)
    paragraphes.append(INTRODUCTION)
    return {
        "titre": titre_propose(seance, premiere, groupes),
        "lieu_date": ligne_de_lieu(seance),
        "texte": "\n\n".join(paragraphes),
        "chiffres": chiffres(seance.instance.departement_id, annee),
    }


# --- Avis aux médias: a coming séance announced to the press ------------------------------

# The press is welcomed this long before the séance starts.
ACCUEIL_PRESSE = timedelta(minutes=15)


def _ou(seance) -> str:
    if seance.lieu and seance.lien_visio:
        return f"{seance.lieu} et en visioconférence"
    return seance.lieu or ("en visioconférence" if seance.lien_visio else "")


def brouillon_avis(seance) -> dict:
    """An avis aux médias pre-filled from a coming SEANCE, to be edited: who presides, what
    meets, when and where, the ordre du jour; then the practical lines (date, place,
    presidency) and how the press attends. Dated the day it is prepared."""
    debut = timezone.localtime(seance.debut)
    quand = f"le {date_longue(debut, jour_de_la_semaine=True)} à {heure(debut)}"
    instance = nom_de_l_instance(seance.instance)
    president = seance.preside_par
    if president is not None:
        # « Claire Martin, préfète…, présidera »: the function between commas, if any.
        sujet = f"{president.nom_et_fonction}," if president.fonction else president.nom
        ouverture_avis = f"{sujet} présidera le {instance} {quand}"
    else:
        ouverture_avis = f"Le {instance} se réunira {quand}"
    ou = _ou(seance)
    ouverture_avis += (f" ({ou})" if ou else "") + "."
    paragraphes = [ouverture_avis]
    points = [en_cours_de_phrase(p.titre) for p in seance.points.all()]
    if len(points) == 1:
        paragraphes.append(f"À l'ordre du jour : {points[0]}.")
    elif points:
        paragraphes.append("À l'ordre du jour :\n" + _liste(points))
    pratique = [f"Date : {date_longue(debut, jour_de_la_semaine=True)} à {heure(debut)}"]
    if ou:
        pratique.append(f"Lieu : {ou}")
    if president is not None:
        pratique.append(f"Présidence : {president.nom_et_fonction}")
    paragraphes.append("\n".join(pratique))
    departement = seance.instance.departement
    joindre = [
        f"Tél : {departement.contact_presse_telephone}" if departement.contact_presse_telephone
        else "",
        f"Mél : {departement.contact_presse_courriel}" if departement.contact_presse_courriel
        else "",
    ]  # fmt: skip
    joindre = ", ".join(j for j in joindre if j)
    acces = (
        "Accréditation préalable obligatoire auprès du service de la communication de la "
        "préfecture" + (f" ({joindre})" if joindre else "") + ", au plus tard la veille."
    )
    arrivee = heure(debut - ACCUEIL_PRESSE)
    acces += f"\nAccueil de la presse à partir de {arrivee}" + (
        f", {seance.lieu}." if seance.lieu else "."
    )
    return {
        "titre": (
            f"Intégration des étrangers : le {seance.instance.get_type_display().lower()} "
            f"{departement.du_nom} se réunit le {date_longue(debut, jour_de_la_semaine=True)}"
        ),
        "lieu_date": f"{departement.chef_lieu}, le {date_longue(timezone.localdate())}",
        "texte": "\n\n".join(paragraphes),
        "acces_presse": acces,
    }


def contacts(departement) -> list[str]:
    """The press contacts and the service address printed at the foot."""
    lignes = [l for l in departement.contact_presse_service.splitlines() if l.strip()]  # noqa: E741
    if departement.contact_presse_telephone:
        lignes.append(f"Tél : {departement.contact_presse_telephone}")
    if departement.contact_presse_courriel:
        lignes.append(f"Mél : {departement.contact_presse_courriel}")
    lignes += [l for l in departement.adresse.splitlines() if l.strip()]  # noqa: E741
    if departement.site_web:
        lignes.append(site_affiche(departement.site_web))
    return lignes


def site_affiche(url: str) -> str:
    """ "www.hautes-alpes.gouv.fr": a website as a release prints it, without its scheme."""
    return url.split("://", 1)[-1].rstrip("/")
