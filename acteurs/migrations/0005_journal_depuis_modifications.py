"""Copy the actors' former history (Modification) into the journal, kinds mapped.

Self-contained on purpose: the kinds are written out here as they were on the day, and the
objects' labels are rebuilt from the columns (historical models have no __str__).
Running it again, after going back, copies nothing twice.
"""

import re

from django.db import migrations

ACTIONS = {
    "Création": "acteur.creation",
    "Proposition": "acteur.proposition",
    "Modification": "acteur.modification",
    "Archivage": "acteur.archivage",
    "Restauration": "acteur.restauration",
    "Validation": "acteur.validation",
    "Rejet": "acteur.rejet",
}
# (pattern of the former free-text action, kind, what the event is about)
MOTIFS = [
    (re.compile(r"Ajout du membre .*"), "membre.ajout", "membre"),
    (re.compile(r"Réactivation du membre .*"), "membre.reactivation", "membre"),
    (re.compile(r"Rôle de .*"), "membre.role", "membre"),
    (re.compile(r"Désactivation du membre .*"), "membre.desactivation", "membre"),
    (re.compile(r"Invitation de (?P<email>\S+) révoquée"), "invitation.revocation", "invitation"),
    (re.compile(r"Invitation de (?P<email>\S+)"), "invitation.envoi", "invitation"),
]
ROLES_MEMBRE = {
    "administrateur": "Administrateur de la structure",
    "contributeur": "Contributeur",
    "lecteur": "Lecteur",
}
LOT = 1000


def _personne(user) -> str:
    nom = f"{user.first_name} {user.last_name}".strip()
    return nom or user.email


def _acteur(acteur) -> str:
    return f"{acteur.nom} ({acteur.sigle})" if acteur.sigle else acteur.nom


def _membre(membre) -> str:
    role = ROLES_MEMBRE.get(membre.role, membre.role)
    return f"{_personne(membre.user)} – {_acteur(membre.acteur)} ({role})"


def _classer(modif) -> tuple[str, str, re.Match | None]:
    if modif.action in ACTIONS:
        return ACTIONS[modif.action], "acteur", None
    for motif, nature, sujet in MOTIFS:
        trouve = motif.fullmatch(modif.action)
        if trouve:
            return nature, sujet, trouve
    return "acteur.historique", "acteur", None


def _objet(apps, modif, sujet, trouve, types):
    """(content type, id, label) of what MODIF was about."""
    acteur = modif.acteur
    if sujet == "membre" and modif.membre_id:
        return types["membre"], modif.membre_id, _membre(modif.membre)
    if sujet == "invitation":
        email = trouve.group("email")
        Invitation = apps.get_model("acteurs", "Invitation")
        invitation = (
            Invitation.objects.filter(acteur=acteur, email__iexact=email, cree_le__lte=modif.le)
            .order_by("-cree_le")
            .first()
        )
        if invitation:
            return types["invitation"], invitation.pk, f"Invitation de {invitation.email}"
    return types["acteur"], acteur.pk, _acteur(acteur)


def _evenement(apps, modif, types, Evenement):
    nature, sujet, trouve = _classer(modif)
    objet_type, objet_id, libelle = _objet(apps, modif, sujet, trouve, types)
    changements, detail = modif.changements or {}, ""
    if nature == "acteur.rejet":  # the reason is the event's detail now
        detail = changements.pop("motif_rejet", {}).get("apres", "")
    elif nature == "acteur.historique" or (sujet != "acteur" and objet_type == types["acteur"]):
        detail = modif.action  # nothing else would say what happened
    return Evenement(
        le=modif.le,
        par_id=modif.par_id,
        nature=nature,
        objet_type=objet_type,
        objet_id=objet_id,
        objet_libelle=libelle[:255],
        racine_type=types["acteur"],
        racine_id=modif.acteur_id,
        changements=changements,
        detail=detail,
    )


def _types(apps) -> dict:
    ContentType = apps.get_model("contenttypes", "ContentType")
    return {
        nom: ContentType.objects.get_or_create(app_label="acteurs", model=nom)[0]
        for nom in ("acteur", "membre", "invitation")
    }


def copier_vers_journal(apps, schema_editor):
    Modification = apps.get_model("acteurs", "Modification")
    Evenement = apps.get_model("integration", "Evenement")
    types = _types(apps)
    deja = set(
        Evenement.objects.filter(racine_type=types["acteur"]).values_list(
            "racine_id", "le", "nature"
        )
    )
    lot = []
    modifs = Modification.objects.select_related("acteur", "membre__user", "membre__acteur")
    for modif in modifs.order_by("le", "pk").iterator(chunk_size=LOT):
        evenement = _evenement(apps, modif, types, Evenement)
        if (evenement.racine_id, evenement.le, evenement.nature) in deja:
            continue
        lot.append(evenement)
        if len(lot) >= LOT:
            Evenement.objects.bulk_create(lot)
            lot = []
    Evenement.objects.bulk_create(lot)


ACTIONS_INVERSES = {nature: action for action, nature in ACTIONS.items()}
PHRASES = {
    "membre.ajout": "Ajout du membre {}",
    "membre.reactivation": "Réactivation du membre {}",
    "membre.role": "Rôle de {}",
    "membre.desactivation": "Désactivation du membre {}",
}


def _action(evenement) -> str:
    if evenement.detail and evenement.nature != "acteur.rejet":
        return evenement.detail  # the former wording, kept when no object matched it
    if evenement.nature in ACTIONS_INVERSES:
        return ACTIONS_INVERSES[evenement.nature]
    if evenement.nature in PHRASES:
        return PHRASES[evenement.nature].format(evenement.objet_libelle.split(" – ")[0])
    if evenement.nature == "invitation.revocation":
        return f"{evenement.objet_libelle} révoquée"
    if evenement.nature == "invitation.envoi":
        return evenement.objet_libelle
    return evenement.nature


def copier_depuis_journal(apps, schema_editor):
    """Going back: the former table gets the actors' history again (the journal keeps it)."""
    Modification = apps.get_model("acteurs", "Modification")
    Evenement = apps.get_model("integration", "Evenement")
    types = _types(apps)
    lot = []
    for evenement in Evenement.objects.filter(racine_type=types["acteur"]).order_by("le", "pk"):
        changements = dict(evenement.changements)
        if evenement.nature == "acteur.rejet" and evenement.detail:
            changements["motif_rejet"] = {"libelle": "motif", "avant": "", "apres": evenement.detail}
        membre = evenement.objet_id if evenement.objet_type_id == types["membre"].pk else None
        lot.append(
            Modification(
                acteur_id=evenement.racine_id,
                membre_id=membre,
                action=_action(evenement)[:100],
                changements=changements,
                par_id=evenement.par_id,
                le=evenement.le,
            )
        )
    Modification.objects.bulk_create(lot, batch_size=LOT)


class Migration(migrations.Migration):
    dependencies = [
        ("acteurs", "0004_invitation_envoi"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("integration", "0002_journal"),
    ]

    operations = [
        migrations.RunPython(copier_vers_journal, copier_depuis_journal),
    ]
