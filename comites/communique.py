"""The press-release draft of a séance, in the form and tone of the prefectures' own.

Only a draft: the cabinet edits it before export, and each save is a new version.
"""

from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format

from acteurs.models import Acteur
from actions.models import StatistiqueContexte
from comites.models import Convocation, Instance
from integration.text import date_longue, de  # noqa: F401  (re-exported)

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


def ligne_de_lieu(seance, jour=None) -> str:
    jour = jour or timezone.localdate()
    return f"{seance.instance.departement.chef_lieu}, le {date_longue(jour)}"


def _familles(seance) -> list[str]:
    presentes = seance.convocations.exclude(presence=Convocation.Presence.ABSENT).exclude(
        presence=Convocation.Presence.EXCUSE
    )
    types = set(presentes.exclude(acteur=None).values_list("acteur__type", flat=True))
    return [libelle for code, libelle in FAMILLES.items() if code in types]


def _chiffres(departement) -> str:
    derniere = StatistiqueContexte.objects.filter(departement=departement).aggregate(
        a=Max("annee")
    )["a"]
    if derniere is None:
        return ""
    stats = dict(
        StatistiqueContexte.objects.filter(departement=departement, annee=derniere).values_list(
            "indicateur", "valeur"
        )
    )
    I = StatistiqueContexte.Indicateur  # noqa: E741, N806 - a short alias for the choices
    phrases = []
    if I.PREMIERS_TITRES in stats:
        phrase = (
            f"En {derniere}, {_nombre(stats[I.PREMIERS_TITRES])} premiers titres de séjour ont "
            f"été délivrés à des primo-arrivants dans le département"
        )
        if I.DONT_BPI in stats:
            phrase += (
                f", dont {_nombre(stats[I.DONT_BPI])} à des réfugiés et bénéficiaires de la "
                "protection subsidiaire"
            )
        phrases.append(phrase + ".")
    if I.RENOUVELLEMENTS in stats:
        phrases.append(f"{_nombre(stats[I.RENOUVELLEMENTS])} titres de séjour ont été renouvelés.")
    if I.CIR_SIGNES in stats:
        phrases.append(
            f"{_nombre(stats[I.CIR_SIGNES])} contrats d'intégration républicaine ont été signés."
        )
    return " ".join(phrases)


def _nombre(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


def brouillon(seance) -> tuple[str, str]:
    """A title and a text pre-filled from SEANCE, to be edited."""
    instance = seance.instance
    jour = timezone.localtime(seance.debut)
    nom_instance = instance.get_type_display().lower()
    if instance.theme:
        nom_instance += f" « {instance.theme} »"
    paragraphes = [ligne_de_lieu(seance), INTRODUCTION]
    reunion = (
        f"la préfecture a réuni le {date_format(jour, 'l')} {date_longue(jour)} le {nom_instance}"
    )
    if seance.preside_par:
        reunion = f"Sous la présidence {de(seance.preside_par.nom)}, " + reunion
    else:
        reunion = reunion[0].upper() + reunion[1:]
    if familles := _familles(seance):
        reunion += (
            " de la stratégie départementale d'intégration, qui rassemble les structures qui, "
            f"au quotidien, s'impliquent pour faciliter l'intégration des primo-arrivants : "
            f"{enumerer(familles)}"
        )
    paragraphes.append(reunion + ".")
    if points := [en_cours_de_phrase(p.titre) for p in seance.points.all()]:
        paragraphes.append(
            "Les échanges ont porté sur les axes de travail suivants : " + " ; ".join(points) + "."
        )
    if chiffres := _chiffres(instance.departement_id):
        paragraphes.append(chiffres)
    if decisions := [en_cours_de_phrase(d.texte) for d in seance.decisions.all()]:
        paragraphes.append(
            "À l'issue de la réunion, il a notamment été décidé : " + " ; ".join(decisions) + "."
        )
    groupes = Instance.objects.filter(parent=instance, type=Instance.Type.GROUPE_TRAVAIL)
    if themes := [en_cours_de_phrase(g.theme) for g in groupes.order_by("pk")]:
        paragraphes.append(
            "Des groupes de travail thématiques sont lancés : " + " ; ".join(themes) + ". "
            "Leurs travaux alimenteront la feuille de route départementale."
        )
    titre = f"La préfecture réunit le {nom_instance} de la stratégie d'intégration"
    return titre, "\n\n".join(paragraphes)


def contacts(departement) -> list[str]:
    """The press contacts and the service address printed at the foot."""
    lignes = [l for l in departement.contact_presse_service.splitlines() if l.strip()]  # noqa: E741
    if departement.contact_presse_telephone:
        lignes.append(f"Tél : {departement.contact_presse_telephone}")
    if departement.contact_presse_courriel:
        lignes.append(f"Mél : {departement.contact_presse_courriel}")
    lignes += [l for l in departement.adresse.splitlines() if l.strip()]  # noqa: E741
    return lignes
