"""Every page of the application and who reaches it: the list the accessibility check walks.

One line per page: a name (the report's file name), the URL (a path, or a function of the
test data `Monde` for pages about one object), the roles that open it, and what to do once
there when the state worth checking needs a click (a form sent empty shows its errors).
A new app adds its pages here; `test_accessibilite.py` visits them all, role by role.
"""

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.utils import timezone
from playwright.sync_api import Page, expect

PILOTAGE, CABINET, LECTEUR = "pilotage", "cabinet", "lecteur"
ADMIN_STRUCTURE, CONTRIBUTEUR, ANONYME = "admin_structure", "contributeur", "anonyme"
TECHNIQUE = "equipe_technique"  # staff: the technical team, attached to no département
LECTEUR_FRANCE = "lecteur_france"  # a national reader, looking at all of France at once
COMMUNICATION = "communication"  # the prefecture's press office
EQUIPE = frozenset({PILOTAGE, CABINET, LECTEUR})
PARTENAIRES = frozenset({ADMIN_STRUCTURE, CONTRIBUTEUR})
CONNECTES = EQUIPE | PARTENAIRES
ROLES = (
    PILOTAGE, CABINET, LECTEUR, LECTEUR_FRANCE, ADMIN_STRUCTURE, CONTRIBUTEUR, COMMUNICATION,
    TECHNIQUE, ANONYME,
)  # fmt: skip


@dataclass(frozen=True)
class PageAVerifier:
    nom: str
    url: str | Callable  # a path, or Monde -> path
    roles: Collection[str]
    puis: Callable[[Page, object], None] | None = None  # (page, monde): reach the state to check
    statut: int = 200

    def __post_init__(self):
        object.__setattr__(self, "roles", frozenset(self.roles))

    def chemin(self, monde) -> str:
        return self.url(monde) if callable(self.url) else self.url


# --- What to do on a page before checking it --------------------------------------------


def envoyer(bouton: str, *, vider: str = "") -> Callable:
    """Send the page's form with the button named BOUTON, after emptying field VIDER."""

    def action(page: Page, monde) -> None:
        if vider:
            page.get_by_label(vider, exact=True).fill("")
        with page.expect_navigation():
            page.get_by_role("button", name=bouton, exact=True).click()
        erreurs = page.locator("main :is([aria-invalid=true], .fr-alert--error)")
        expect(erreurs.first).to_be_attached()

    return action


def ajouter_un_point_sans_titre(page: Page, monde) -> None:
    """Open the séance's « Ajouter un point » and send it empty: the page comes back with
    that section open and the error beside the field."""
    page.get_by_text("Ajouter un point", exact=True).click()
    envoyer("Ajouter le point")(page, monde)


def signer_sans_qualite(page: Page, monde) -> None:
    """Empty the prefilled qualité (its label carries a hint) and sign: the error shows."""
    page.locator("#id_qualite").fill("")
    envoyer("Signer la feuille de route")(page, monde)


def interrompre_le_document(page: Page, monde) -> None:
    """As if the worker producing the document had died past its time limit: the page says
    so and offers to relaunch it."""
    from integration.models import DocumentRequest

    il_y_a_un_jour = timezone.now() - timedelta(days=1)
    DocumentRequest.objects.filter(pk=monde.comites["document"].pk).update(
        status=DocumentRequest.Status.RUNNING, started_at=il_y_a_un_jour
    )
    page.reload()
    expect(page.get_by_role("button", name="Relancer la génération")).to_be_visible()


def choisir_puis_envoyer(choix: str, bouton: str) -> Callable:
    def action(page: Page, monde) -> None:
        page.get_by_label(choix).press("Space")
        envoyer(bouton)(page, monde)

    return action


def deposer(fichier: str, bouton: str, *, attendu: str) -> Callable:
    """Upload MONDE.fichiers[FICHIER] with the page's file field, send it, wait for ATTENDU."""

    def action(page: Page, monde) -> None:
        page.locator("input[type=file]").set_input_files(Path(monde.fichiers[fichier]))
        with page.expect_navigation():
            page.get_by_role("button", name=bouton).click()
        expect(page.locator(attendu).first).to_be_visible()

    return action


def suggerer_commune(texte: str) -> Callable:
    """Type in the commune field until its suggestions show (the live list is checked too)."""

    def action(page: Page, monde) -> None:
        champ = page.get_by_label("Commune", exact=True)
        champ.press_sequentially(texte)
        expect(page.locator("#id_commune-suggestions [role=option]").first).to_be_visible()

    return action


def acteur(cle: str, suffixe: str = "") -> Callable:
    return lambda monde: f"/acteurs/{getattr(monde, cle).pk}/{suffixe}"


def comite(cle: str, suffixe: str = "") -> Callable:
    """An instance's or a séance's page, from the comités' part of the world."""

    def chemin(monde) -> str:
        objet = monde.comites[cle]
        return f"{objet.get_absolute_url()}{suffixe}"

    return chemin


def chercher_commune(texte: str) -> Callable:
    """Search the fiche's communes with « Chercher »: the form comes back with them."""

    def action(page: Page, monde) -> None:
        page.get_by_label("Chercher une commune").fill(texte)
        with page.expect_navigation():
            page.get_by_role("button", name="Chercher", exact=True).click()
        expect(page.locator("#communes-territoires input").first).to_be_attached()

    return action


def fiche(cle: str, suffixe: str = "") -> Callable:
    return lambda monde: f"/plan-d-actions/actions/{monde.plan[cle].pk}/{suffixe}"


def nouvelle_fiche(monde) -> str:
    return f"/plan-d-actions/actions/nouvelle/?feuille={monde.plan['feuille'].pk}"


def feuille(suffixe: str = "") -> Callable:
    return lambda monde: f"/plan-d-actions/feuilles/{monde.feuille.pk}/{suffixe}"


def feuille_au_visa(suffixe: str = "") -> Callable:
    """A page of the feuille waiting for the cabinet's signature (MONDE.plan["feuille_visa"])."""
    return lambda monde: f"/plan-d-actions/feuilles/{monde.plan['feuille_visa'].pk}/{suffixe}"


def plan(cle: str, suffixe: str = "") -> Callable:
    """A page about MONDE.plan[CLE] (an action, an axe, a contract) of the plan d'actions."""
    dossiers = {"action": "actions", "axe": "axes", "contrat": "contrats"}
    return lambda monde: f"/plan-d-actions/{dossiers[cle]}/{monde.plan[cle].pk}/{suffixe}"


# --- The pages ---------------------------------------------------------------------------

ACTEURS = "/acteurs/?q=accueil&type=association&statut=valide&archives=on&tri=-modifie_le"
ACTIONS_FILTREES = "/plan-d-actions/actions/?q=ateliers&statut=en_cours&annee=2026&tri=-demande"
PAGES: list[PageAVerifier] = [
    # Public pages, and the way in.
    PageAVerifier("connexion", "/connexion/", {ANONYME}),
    PageAVerifier("connexion-erreurs", "/connexion/", {ANONYME}, envoyer("Se connecter")),
    PageAVerifier("mot-de-passe-oublie", "/mot-de-passe/oublie/", {ANONYME}),
    PageAVerifier(
        "mot-de-passe-oublie-erreurs",
        "/mot-de-passe/oublie/",
        {ANONYME},
        envoyer("Recevoir le lien"),
    ),
    PageAVerifier("mot-de-passe-envoye", "/mot-de-passe/oublie/envoye/", {ANONYME}),
    PageAVerifier("mot-de-passe-nouveau", lambda m: m.lien_nouveau_mot_de_passe, {ANONYME}),
    PageAVerifier("mot-de-passe-lien-invalide", "/mot-de-passe/nouveau/MQ/x-y/", {ANONYME}),
    PageAVerifier("mot-de-passe-fait", "/mot-de-passe/nouveau/fait/", {ANONYME}),
    PageAVerifier("invitation-nouveau-compte", lambda m: m.lien_invitation, {ANONYME}),
    PageAVerifier(
        "invitation-nouveau-compte-erreurs",
        lambda m: m.lien_invitation,
        {ANONYME},
        envoyer("Créer mon compte et rejoindre"),
    ),
    PageAVerifier("invitation-invalide", "/acteurs/invitation/inconnue/", {ANONYME}, statut=404),
    PageAVerifier("invitation-compte-existant", lambda m: m.lien_invitation_cabinet, {CABINET}),
    PageAVerifier("accessibilite", "/accessibilite/", {ANONYME, PILOTAGE}),
    PageAVerifier("mentions-legales", "/mentions-legales/", {ANONYME}),
    PageAVerifier("donnees-personnelles", "/donnees-personnelles/", {ANONYME}),
    PageAVerifier("plan-du-site", "/plan-du-site/", {ANONYME, CONTRIBUTEUR}),
    PageAVerifier("verifier", "/verifier/", {ANONYME, PILOTAGE}),
    PageAVerifier("verifier-erreurs", "/verifier/", {ANONYME}, envoyer("Vérifier le document")),
    # Home and account.
    PageAVerifier("tableau-de-bord", "/", {*CONNECTES, COMMUNICATION, TECHNIQUE, LECTEUR_FRANCE}),
    PageAVerifier("compte", "/compte/", {*CONNECTES, COMMUNICATION, TECHNIQUE, LECTEUR_FRANCE}),
    PageAVerifier("mot-de-passe-modifier", "/mot-de-passe/modifier/", {PILOTAGE, CONTRIBUTEUR}),
    PageAVerifier(
        "mot-de-passe-modifier-erreurs",
        "/mot-de-passe/modifier/",
        {PILOTAGE},
        envoyer("Modifier le mot de passe"),
    ),
    PageAVerifier("guide-de-style", "/guide-de-style/", {TECHNIQUE}),
    PageAVerifier("sans-departement", "/acteurs/", {TECHNIQUE}, statut=403),
    # The actors' registry.
    PageAVerifier("acteurs", "/acteurs/", {*CONNECTES, COMMUNICATION, LECTEUR_FRANCE}),
    PageAVerifier("acteurs-filtres", ACTEURS, {*CONNECTES, LECTEUR_FRANCE}),
    PageAVerifier(
        "acteur-valide", acteur("association"), {*CONNECTES, COMMUNICATION, LECTEUR_FRANCE}
    ),
    PageAVerifier("choisir-un-departement", "/acteurs/nouveau/", {LECTEUR_FRANCE}, statut=403),
    PageAVerifier("acteur-en-attente", acteur("proposition"), {PILOTAGE, CONTRIBUTEUR}),
    PageAVerifier("acteur-archive", acteur("archive"), EQUIPE),
    PageAVerifier("acteur-rejete", acteur("rejete"), {PILOTAGE}),
    PageAVerifier("acteur-nouveau", "/acteurs/nouveau/", {PILOTAGE, *PARTENAIRES}),
    PageAVerifier(
        "acteur-nouveau-commune",
        "/acteurs/nouveau/",
        {PILOTAGE},
        suggerer_commune("mont"),
    ),
    PageAVerifier(
        "acteur-nouveau-erreurs",
        "/acteurs/nouveau/",
        {PILOTAGE},
        envoyer("Créer l'acteur"),
    ),
    PageAVerifier(
        "acteur-proposer-erreurs",
        "/acteurs/nouveau/",
        {CONTRIBUTEUR},
        envoyer("Envoyer la proposition"),
    ),
    PageAVerifier(
        "acteur-modifier", acteur("association", "modifier/"), {PILOTAGE, ADMIN_STRUCTURE}
    ),
    PageAVerifier(
        "acteur-modifier-erreurs",
        acteur("association", "modifier/"),
        {ADMIN_STRUCTURE},
        envoyer("Enregistrer", vider="Nom *"),
    ),
    PageAVerifier("acteur-archiver", acteur("association", "archiver/"), {PILOTAGE}),
    PageAVerifier("acteur-moderer", acteur("proposition", "moderer/"), {PILOTAGE}),
    PageAVerifier(
        "acteur-moderer-erreurs",
        acteur("proposition", "moderer/"),
        {PILOTAGE},
        choisir_puis_envoyer("Rejeter la proposition", "Enregistrer la décision"),
    ),
    PageAVerifier("membres", acteur("association", "membres/"), CONNECTES),
    PageAVerifier("invitations", "/acteurs/invitations/", {PILOTAGE, ADMIN_STRUCTURE}),
    PageAVerifier(
        "invitation-nouvelle", "/acteurs/invitations/nouvelle/", {PILOTAGE, ADMIN_STRUCTURE}
    ),
    PageAVerifier(
        "invitation-nouvelle-erreurs",
        "/acteurs/invitations/nouvelle/",
        {PILOTAGE},
        envoyer("Envoyer l'invitation"),
    ),
    PageAVerifier("import", "/acteurs/import/", {PILOTAGE}),
    PageAVerifier("import-erreurs", "/acteurs/import/", {PILOTAGE}, envoyer("Vérifier le fichier")),
    PageAVerifier(
        "import-apercu-erreurs",
        "/acteurs/import/",
        {PILOTAGE},
        deposer("import_avec_erreurs", "Vérifier le fichier", attendu="tr.ligne-en-erreur"),
    ),
    # The plan's follow-up, context figures and contracts.
    PageAVerifier("suivi-action", plan("action", "suivi/"), {PILOTAGE, *PARTENAIRES}),
    PageAVerifier(
        "suivi-action-erreurs",
        plan("action", "suivi/"),
        {PILOTAGE},
        envoyer("Enregistrer l'avancement", vider="Avancement (en %) *"),
    ),
    PageAVerifier("bilan-action", plan("action", "bilan/2026/"), {CONTRIBUTEUR}),
    PageAVerifier(
        "bilan-action-erreurs",
        plan("action", "bilan/2026/"),
        {CONTRIBUTEUR},
        envoyer("Enregistrer le bilan", vider="Réalisations *"),
    ),
    PageAVerifier("bilan-axe", plan("axe", "bilan/2026/"), {PILOTAGE, LECTEUR, CONTRIBUTEUR}),
    PageAVerifier("indicateurs", "/plan-d-actions/indicateurs/import/", {PILOTAGE, CONTRIBUTEUR}),
    PageAVerifier(
        "indicateurs-apercu-erreurs",
        "/plan-d-actions/indicateurs/import/",
        {CONTRIBUTEUR},
        deposer("grille_avec_erreurs", "Vérifier le fichier", attendu="tr.ligne-en-erreur"),
    ),
    PageAVerifier("statistiques", "/plan-d-actions/statistiques/", {*CONNECTES, LECTEUR_FRANCE}),
    PageAVerifier("statistiques-saisir", "/plan-d-actions/statistiques/saisir/", {PILOTAGE}),
    PageAVerifier(
        "statistiques-saisir-erreurs",
        "/plan-d-actions/statistiques/saisir/",
        {PILOTAGE},
        envoyer("Enregistrer les statistiques"),
    ),
    PageAVerifier(
        "contrats", "/plan-d-actions/contrats/", {*EQUIPE, COMMUNICATION, LECTEUR_FRANCE}
    ),
    PageAVerifier("contrat", plan("contrat"), EQUIPE),
    PageAVerifier("contrat-nouveau", "/plan-d-actions/contrats/nouveau/", {PILOTAGE}),
    PageAVerifier(
        "contrat-nouveau-erreurs",
        "/plan-d-actions/contrats/nouveau/",
        {PILOTAGE},
        envoyer("Créer le contrat"),
    ),
    PageAVerifier("contrat-modifier", plan("contrat", "modifier/"), {PILOTAGE}),
    PageAVerifier("avenant-nouveau", plan("contrat", "avenant/"), {PILOTAGE}),
    # Comités.
    PageAVerifier("comites", "/comites/", {*CONNECTES, COMMUNICATION, LECTEUR_FRANCE}),
    # Across France, a département chosen: its instances listed under its name.
    PageAVerifier(
        "comites-d-un-departement",
        lambda m: f"/comites/?quand=passees&departement={m.association.departement_id}",
        {LECTEUR_FRANCE},
    ),
    PageAVerifier("comites-passees", "/comites/?quand=passees", {*EQUIPE, COMMUNICATION}),
    PageAVerifier(
        "comites-instance", comite("instance"), {*EQUIPE, COMMUNICATION, ADMIN_STRUCTURE}
    ),
    PageAVerifier("comites-instance-nouvelle", "/comites/instances/nouvelle/", {PILOTAGE}),
    PageAVerifier(
        "acteurs-contacts-presse", "/acteurs/contacts-presse/", {PILOTAGE, COMMUNICATION}
    ),
    PageAVerifier(
        "comites-personne",
        lambda m: (
            f"/comites/instances/{m.comites['instance'].pk}/sieges/"
            f"{m.comites['siege'].pk}/personne/"
        ),
        {PILOTAGE},
    ),
    PageAVerifier(
        "comites-instance-nouvelle-erreurs",
        "/comites/instances/nouvelle/",
        {PILOTAGE},
        envoyer("Enregistrer"),
    ),
    PageAVerifier("comites-seance-nouvelle", comite("instance", "seances/nouvelle/"), {PILOTAGE}),
    PageAVerifier("comites-seance-passee", comite("instance", "seances/passee/"), {PILOTAGE}),
    PageAVerifier("comites-seance-a-venir", comite("a_venir"), {*EQUIPE, CONTRIBUTEUR}),
    PageAVerifier("comites-seance-tenue", comite("passee"), {*EQUIPE, COMMUNICATION}),
    PageAVerifier(
        "comites-seance-point-erreurs", comite("a_venir"), {PILOTAGE}, ajouter_un_point_sans_titre
    ),
    PageAVerifier("comites-seance-annuler", comite("a_venir", "annuler/"), {PILOTAGE}),
    PageAVerifier("comites-seance-clore", comite("passee", "cloturer/"), {PILOTAGE}),
    PageAVerifier("comites-reponses", comite("a_venir", "reponses/"), {PILOTAGE}),
    PageAVerifier(
        "comites-communique", comite("passee", "communique/"), {PILOTAGE, CABINET, COMMUNICATION}
    ),
    PageAVerifier(
        "comites-avis-medias", comite("a_venir", "avis-aux-medias/"), {PILOTAGE, CABINET}
    ),
    PageAVerifier(
        "comites-communique-document",
        lambda m: f"/documents/{m.comites['document'].pk}/",
        {PILOTAGE, CABINET, COMMUNICATION},
    ),
    PageAVerifier(
        "document-interrompu",
        lambda m: f"/documents/{m.comites['document'].pk}/",
        {CABINET},
        interrompre_le_document,
    ),
    PageAVerifier("comites-agenda", "/comites/agenda/", CONNECTES),
    PageAVerifier(
        "comites-convocation-lien", "/comites/convocation/jeton-de-convocation-de-test/", {ANONYME}
    ),
    PageAVerifier(
        "comites-convocation-invalide", "/comites/convocation/inconnu/", {ANONYME}, statut=404
    ),
    # Fiches-actions and their review.
    PageAVerifier("action-brouillon", fiche("brouillon"), {PILOTAGE, *PARTENAIRES}),
    PageAVerifier("action-soumise", fiche("soumise"), {PILOTAGE, *PARTENAIRES}),
    PageAVerifier("action-refuser", fiche("soumise", "refuser/"), {PILOTAGE}),
    PageAVerifier(
        "action-refuser-erreurs", fiche("soumise", "refuser/"), {PILOTAGE}, envoyer("Confirmer")
    ),
    PageAVerifier("action-validee", fiche("validee"), {*CONNECTES, LECTEUR_FRANCE}),
    PageAVerifier("action-nouvelle", nouvelle_fiche, {PILOTAGE, *PARTENAIRES}),
    PageAVerifier(
        "action-nouvelle-erreurs",
        nouvelle_fiche,
        {CONTRIBUTEUR},
        envoyer("Enregistrer la fiche"),
    ),
    PageAVerifier(
        "action-nouvelle-communes", nouvelle_fiche, {CONTRIBUTEUR}, chercher_commune("mont")
    ),
    PageAVerifier("action-modifier", fiche("brouillon", "modifier/"), {CONTRIBUTEUR}),
    PageAVerifier("actions-a-instruire", "/plan-d-actions/instruction/", {PILOTAGE}),
    # Plan d'actions: feuilles de route, axes, consultation.
    PageAVerifier(
        "plan-d-actions", "/plan-d-actions/", {*CONNECTES, COMMUNICATION, LECTEUR_FRANCE}
    ),
    PageAVerifier("feuille-nouvelle", "/plan-d-actions/feuilles/nouvelle/", {PILOTAGE}),
    PageAVerifier(
        "feuille-nouvelle-erreurs",
        "/plan-d-actions/feuilles/nouvelle/",
        {PILOTAGE},
        envoyer("Créer la feuille de route", vider="Titre *"),
    ),
    PageAVerifier("feuille", feuille(), {*CONNECTES, COMMUNICATION, LECTEUR_FRANCE}),
    PageAVerifier(  # in consultation, the link under an action opens its comment form
        "feuille-commenter-une-action",
        lambda m: f"{feuille()(m)}?commenter={m.feuille.actions.get().pk}",
        PARTENAIRES,
    ),
    PageAVerifier("feuille-modifier", feuille("modifier/"), {PILOTAGE}),
    PageAVerifier("feuille-au-visa", feuille_au_visa(), {PILOTAGE, CABINET}),
    PageAVerifier("feuille-signer", feuille_au_visa("signer/"), {CABINET}),
    PageAVerifier(
        "feuille-signer-erreurs",
        feuille_au_visa("signer/"),
        {CABINET},
        signer_sans_qualite,
    ),
    PageAVerifier("feuille-axes", feuille("axes/"), {PILOTAGE}),
    PageAVerifier("consultation", feuille("consultation/"), CONNECTES),
    PageAVerifier(
        "consultation-repondre",
        lambda m: f"/plan-d-actions/commentaires/{m.commentaire.pk}/repondre/",
        {PILOTAGE},
    ),
    # Plan d'actions: list, exports, dashboard.
    PageAVerifier("actions", "/plan-d-actions/actions/", {*CONNECTES, LECTEUR_FRANCE}),
    PageAVerifier("actions-filtres", ACTIONS_FILTREES, {PILOTAGE, ADMIN_STRUCTURE, LECTEUR_FRANCE}),
    PageAVerifier(
        "plan-tableau-de-bord", "/plan-d-actions/tableau-de-bord/", {*CONNECTES, LECTEUR_FRANCE}
    ),
    # Errors.
    PageAVerifier("erreur-403", "/acteurs/import/", {CABINET}, statut=403),
    PageAVerifier("erreur-404", "/acteurs/999999/", {LECTEUR}, statut=404),
    # A link to a form's address (a POST-only view opened by GET).
    PageAVerifier("erreur-405", "/deconnexion/", {LECTEUR}, statut=405),
]


def pages_de(role: str) -> list[PageAVerifier]:
    return [page for page in PAGES if role in page.roles]
