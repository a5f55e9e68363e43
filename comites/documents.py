"""The comités' documents: the communiqué de presse, the compte rendu and the feuille
d'émargement of a séance, as PDFs of the document pipeline (integration.documents).

Each kind says what its template shows and who may read it; the rule is the séance's own
(`comites.access`), so a document never shows more than the page it comes from. What a
template shows is the same for every reader: the HTML is rendered once per version.
"""

import re
import unicodedata

from django.utils import timezone

from comites import access
from comites.communique import date_longue, site_affiche
from comites.models import Communique, Convocation, Instance, Seance, Siege
from integration.documents.registre import TypeDocument, enregistrer
from integration.text import date_courte

COMMUNIQUE = "comites.communique"
AVIS_MEDIAS = "comites.avis_medias"  # a version of the avis aux médias, in the same layout
COMPTE_RENDU = "comites.compte_rendu"
EMARGEMENT = "comites.emargement"
# The same sheet, its lines grouped by structure: the user chooses on the séance's page.
EMARGEMENT_STRUCTURE = "comites.emargement_structure"
TRIS_EMARGEMENT = {"nom": EMARGEMENT, "structure": EMARGEMENT_STRUCTURE}

Presence = Convocation.Presence


def _entete(departement) -> dict:
    """What every document's bloc-marque and running header need."""
    return {
        "departement": departement,
        "lignes_bloc_marque": departement.lignes_bloc_marque,
        "emetteur": departement.titre_prefet,
    }


def ligne_de_lieu(departement, jour) -> str:
    """ "Rouen, le 9 octobre 2020": the chef-lieu and the day, as the State dates its acts."""
    return f"{departement.chef_lieu}, le {date_longue(jour)}"


def _jour(seance: Seance) -> str:
    return date_longue(timezone.localtime(seance.debut))


# --- Communiqué de presse -----------------------------------------------------------------


def paragraphes(texte: str) -> list[str]:
    """The text's paragraphs, cut at its blank lines; a line break inside one stays."""
    blocs = re.split(r"\n[ \t]*\n", texte.replace("\r\n", "\n"))
    return [bloc.strip() for bloc in blocs if bloc.strip()]


def contacts_presse(departement) -> dict:
    """The foot of a press release: the service (in bold), phone, e-mail, the address."""
    return {
        "service": [ligne.strip() for ligne in departement.contact_presse_service.splitlines()
                    if ligne.strip()],
        "telephone": departement.contact_presse_telephone,
        "courriel": departement.contact_presse_courriel,
        "adresse": [ligne.strip() for ligne in departement.adresse.splitlines() if ligne.strip()],
        "site_web": site_affiche(departement.site_web) if departement.site_web else "",
    }  # fmt: skip


def lieu_date_communique(communique: Communique) -> str:
    """The date line as validated; a version saved before it existed: the day it was saved."""
    if communique.lieu_date:
        return communique.lieu_date
    departement = communique.seance.instance.departement
    return ligne_de_lieu(departement, timezone.localtime(communique.cree_le))


def corps_communique(communique: Communique) -> list[str]:
    """The text's paragraphs, the figures after the first (the opening says who met)."""
    corps = paragraphes(communique.texte)
    chef_lieu = communique.seance.instance.departement.chef_lieu
    # An older draft opens with its own place and date line: printed once, above, not twice.
    if corps and re.fullmatch(rf"{re.escape(chef_lieu)}, le [^\n]{{1,40}}", corps[0]):
        corps = corps[1:]
    if communique.chiffres.strip():
        corps.insert(min(1, len(corps)), communique.chiffres.strip())
    return corps


def contexte_communique(communique: Communique) -> dict:
    """The version as the press receives it: its own date line, text and figures."""
    departement = communique.seance.instance.departement
    return {
        **_entete(departement),
        "communique": communique,
        "genre": communique.get_genre_display(),
        "lieu_date": lieu_date_communique(communique),
        "paragraphes": corps_communique(communique),
        "citation": paragraphes(communique.citation),
        # An avis aux médias: how the press attends, under its own label.
        "acces_presse": paragraphes(communique.acces_presse),
        "contacts": contacts_presse(departement),
    }


def titre_communique(communique: Communique) -> str:
    return communique.titre


def nom_communique(communique: Communique) -> str:
    nom = "avis-aux-medias" if communique.est_avis else "communique"
    return f"{nom}-{communique.seance_id}-v{communique.version}.pdf"


# --- Compte rendu -------------------------------------------------------------------------


def presences(seance: Seance) -> dict[str, list[Convocation]]:
    """The attendance by kind, from the émargement; before it is recorded, from the answers.

    Keys: presents, representes, excuses, absents, and `source` says which was used."""
    convocations = list(
        seance.convocations.select_related("personne", "acteur").order_by("personne__nom", "pk")
    )
    emargee = any(c.presence for c in convocations)
    groupes = {"presents": [], "representes": [], "excuses": [], "absents": []}
    for c in convocations:
        if emargee:
            etat, par = c.presence, c.presence_represente_par
        else:
            etat, par = c.reponse, c.represente_par_nom
        c.represente_par = par
        if etat == Presence.PRESENT:
            groupes["presents"].append(c)
        elif etat == Presence.REPRESENTE:
            groupes["representes"].append(c)
        elif etat == Presence.EXCUSE:
            groupes["excuses"].append(c)
        elif etat == Presence.ABSENT:
            groupes["absents"].append(c)
    return {**groupes, "source": "emargement" if emargee else "reponses"}


def contexte_compte_rendu(seance: Seance) -> dict:
    departement = seance.instance.departement
    return {
        **_entete(departement),
        "seance": seance,
        "instance": seance.instance,
        "jour": _jour(seance),
        "debut": timezone.localtime(seance.debut),
        "fin": timezone.localtime(seance.fin),
        # As typed with the minutes; before the line existed, the séance's day (never the
        # day it was written up).
        "lieu_date": seance.compte_rendu_lieu_date
        or ligne_de_lieu(departement, timezone.localtime(seance.debut)),
        "presences": presences(seance),
        "points": list(seance.points.all()),
        "groupes": list(
            Instance.objects.filter(
                parent_id=seance.instance_id, type=Instance.Type.GROUPE_TRAVAIL
            ).order_by("pk")
        ),
        "decisions": list(seance.decisions.order_by("echeance", "pk")),
    }


def titre_seance(libelle: str):
    def titre(seance: Seance) -> str:
        return f"{libelle} : {seance.instance.nom}, séance du {_jour(seance)}"

    return titre


# --- Feuille d'émargement -----------------------------------------------------------------


LIGNES_LIBRES = 5  # blank rows for those who come without being invited


def sans_accents(texte: str) -> str:
    """ "elise" for "Élise": French order puts accented letters with their base letter."""
    decompose = unicodedata.normalize("NFKD", texte)
    return "".join(c for c in decompose if not unicodedata.combining(c)).casefold()


def cle_nom(nom: str) -> tuple[str, str]:
    """Sort by surname, then first name, accent-aware. The surname is the words written in
    capitals (« Claire MARTIN »), else the last word (« Claire Martin »)."""
    mots = nom.split()
    capitales = [m for m in mots if len(m) > 1 and m.isupper()]
    if capitales:
        prenoms = [m for m in mots if m not in capitales]
    else:
        capitales, prenoms = mots[-1:], mots[:-1]
    return sans_accents(" ".join(capitales)), sans_accents(" ".join(prenoms))


def apres_la_seance(seance: Seance) -> bool:
    return seance.statut in (Seance.Statut.TENUE, Seance.Statut.CLOSE)


def cle_structure(ligne: dict) -> tuple:
    """By structure (accent-aware, those without one last), then by surname within it."""
    return (not ligne["structure"], sans_accents(ligne["structure"]), *cle_nom(ligne["nom"]))


def lignes_emargement(seance: Seance, tri: str = "nom") -> list[dict]:
    """One line per invitee, by name (TRI « structure »: by structure, then name): the
    convened, and while the séance is still to come, the members of the current
    composition not convened yet. Two queries."""
    jour = timezone.localdate(seance.debut)
    sieges = {}
    for siege in (
        Siege.objects.filter(instance_id=seance.instance_id, debut__lte=jour)
        .exclude(fin__lt=jour)
        .select_related("personne", "acteur")
        .order_by("personne__nom", "pk")
    ):
        sieges.setdefault(siege.personne_id, siege)
    lignes = []
    for c in seance.convocations.select_related("personne", "acteur").order_by(
        "personne__nom", "pk"
    ):
        siege = sieges.pop(c.personne_id, None)
        acteur = c.acteur or (siege.acteur if siege else None)
        if c.presence == Presence.REPRESENTE:
            presence = f"Représenté(e) par {c.presence_represente_par}"
        else:
            presence = c.get_presence_display()
        lignes.append({
            "nom": c.personne.nom,
            "fonction": c.personne.fonction,
            "structure": acteur.nom if acteur else "",
            "qualite": siege.get_role_display() if siege else ("Invité(e)" if c.invite else ""),
            "presence": presence,
        })  # fmt: skip
    if seance.repondable:
        for siege in sieges.values():
            lignes.append({
                "nom": siege.personne.nom,
                "fonction": siege.personne.fonction,
                "structure": siege.acteur.nom,
                "qualite": siege.get_role_display(),
                "presence": "",
            })  # fmt: skip
    # The same order whatever the database's collation: by surname, accent-aware.
    if tri == "structure":
        return sorted(lignes, key=cle_structure)
    return sorted(lignes, key=lambda ligne: (*cle_nom(ligne["nom"]), ligne["structure"]))


def contexte_emargement(seance: Seance, tri: str = "nom") -> dict:
    departement = seance.instance.departement
    return {
        "tri": tri,
        **_entete(departement),
        "seance": seance,
        "instance": seance.instance,
        "jour": _jour(seance),
        "debut": timezone.localtime(seance.debut),
        "fin": timezone.localtime(seance.fin),
        "apres": apres_la_seance(seance),
        "lignes": lignes_emargement(seance, tri),
        "lignes_libres": range(LIGNES_LIBRES),
        "jour_court": date_courte(seance.debut),
    }


def enregistrer_types() -> None:
    """Called from the app's ready(): the comités' kinds join the pipeline's register."""
    # The release after the séance and the avis before it: one layout, two kinds.
    for code, libelle in ((COMMUNIQUE, "Communiqué de presse"), (AVIS_MEDIAS, "Avis aux médias")):
        enregistrer(TypeDocument(
            code=code,
            libelle=libelle,
            modele="comites.Communique",
            gabarit="comites/documents/communique.html",
            contexte=contexte_communique,
            visible=access.communique_visible,
            nom_fichier=nom_communique,
            titre=titre_communique,
        ))  # fmt: skip
    enregistrer(TypeDocument(
        code=COMPTE_RENDU,
        libelle="Compte rendu",
        modele="comites.Seance",
        gabarit="comites/documents/compte_rendu.html",
        contexte=contexte_compte_rendu,
        visible=access.compte_rendu_visible,
        nom_fichier=lambda seance: f"compte-rendu-{seance.pk}.pdf",
        titre=titre_seance("Compte rendu"),
    ))  # fmt: skip
    enregistrer(TypeDocument(
        code=EMARGEMENT,
        libelle="Feuille d'émargement",
        modele="comites.Seance",
        gabarit="comites/documents/emargement.html",
        contexte=contexte_emargement,
        visible=access.emargement_visible,
        nom_fichier=lambda seance: f"emargement-{seance.pk}.pdf",
        titre=titre_seance("Feuille d'émargement"),
    ))  # fmt: skip
    enregistrer(TypeDocument(
        code=EMARGEMENT_STRUCTURE,
        libelle="Feuille d'émargement par structure",
        modele="comites.Seance",
        gabarit="comites/documents/emargement.html",
        contexte=lambda seance: contexte_emargement(seance, "structure"),
        visible=access.emargement_visible,
        nom_fichier=lambda seance: f"emargement-{seance.pk}-par-structure.pdf",
        titre=titre_seance("Feuille d'émargement"),
    ))  # fmt: skip
