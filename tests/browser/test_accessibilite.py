"""axe-core on every page each role reaches (the list is `pages.PAGES`): no serious violation.

One test per role builds the same small world (an association with its administrator and
contributor, a pending proposal, an archived and a rejected actor, open invitations),
signs in through the session cookie and walks its pages. Every page is checked before
the test fails, so one run lists every problem at once.
"""

import json
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from acteurs.models import Membre
from acteurs.services import hash_jeton
from tests.acteurs.factories import (
    ActeurFactory,
    DepartementFactory,
    HabilitationFactory,
    InvitationFactory,
    MembreFactory,
    TerritoireFactory,
    UserFactory,
)
from tests.browser.accessibility import AXE_DIR, assert_no_serious_violations, check_page
from tests.browser.conftest import se_connecter
from tests.browser.pages import ANONYME, PAGES, ROLES, pages_de

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JETON = "jeton-d-invitation-de-test"
JETON_CABINET = "jeton-d-invitation-du-cabinet"


@dataclass
class Monde:
    """The objects the pages are about, and one user per role."""

    association: object
    proposition: object
    archive: object
    rejete: object
    utilisateurs: dict
    lien_invitation: str
    lien_invitation_cabinet: str
    lien_nouveau_mot_de_passe: str
    fichiers: dict = field(default_factory=dict)
    plan: dict = field(default_factory=dict)  # the plan d'actions' objects


@pytest.fixture
def monde(transactional_db, tmp_path):
    departement = DepartementFactory()
    # More communes than the suggestions list shows at once: it scrolls.
    communes = [
        TerritoireFactory(code=f"76{400 + i}", nom=f"Mont-Saint-{nom}", codes_postaux="76130")
        for i, nom in enumerate(["Aignan", *"BCDEFGHIJKL"])
    ]
    departement.territoires.add(*communes)
    mont = communes[0]
    utilisateurs = {
        role: HabilitationFactory(departement=departement, role=role).user
        for role in ("pilotage", "cabinet", "lecteur")
    }
    association = ActeurFactory(
        departement=departement, nom="Association Accueil Rouen", sigle="AAR", commune=mont
    )
    utilisateurs["admin_structure"] = MembreFactory(
        acteur=association, role=Membre.Role.ADMINISTRATEUR
    ).user
    utilisateurs["contributeur"] = MembreFactory(
        acteur=association, role=Membre.Role.CONTRIBUTEUR
    ).user
    utilisateurs["equipe_technique"] = UserFactory(is_staff=True)
    utilisateurs["lecteur_france"] = HabilitationFactory(
        departement=None, perimetre="france", role="lecteur"
    ).user
    DepartementFactory(hautes_alpes=True)  # so that "toute la France" spans several
    MembreFactory(acteur=association, desactive=True)
    InvitationFactory(acteur=association, email="benevole@example.fr")
    InvitationFactory(acteur=association, jeton_hash=hash_jeton(JETON))
    InvitationFactory(
        acteur=association,
        email=utilisateurs["cabinet"].email,
        jeton_hash=hash_jeton(JETON_CABINET),
    )
    oubli = UserFactory()
    uid = urlsafe_base64_encode(force_bytes(oubli.pk))
    fichier = tmp_path / "acteurs.csv"
    fichier.write_text(
        "nom;type;siret\nAssociation Alpha;Association;\n;Association;\n"
        "Association Gamma;Club;12345678901234\n",
        encoding="utf-8",
    )
    return Monde(
        association=association,
        proposition=ActeurFactory(
            departement=departement,
            en_attente=True,
            propose_par=utilisateurs["contributeur"],
            nom="Cours de français du Plateau",
        ),
        archive=ActeurFactory(departement=departement, archive=True, nom="Ancienne épicerie"),
        rejete=ActeurFactory(departement=departement, rejete=True, nom="Doublon refusé"),
        utilisateurs=utilisateurs,
        lien_invitation=f"/acteurs/invitation/{JETON}/",
        lien_invitation_cabinet=f"/acteurs/invitation/{JETON_CABINET}/",
        lien_nouveau_mot_de_passe=(
            f"/mot-de-passe/nouveau/{uid}/{default_token_generator.make_token(oubli)}/"
        ),
        fichiers={"import_avec_erreurs": fichier, **_fichiers_du_plan(tmp_path)},
        plan=_plan(departement, association, utilisateurs["pilotage"]),
    )


def _plan(departement, association, pilotage) -> dict:
    """An adopted action with what its follow-up shows, context figures and a contract."""
    from actions.models import Avenant, BilanAnnuel, Mesure
    from tests.actions.factories import (
        ActionFactory,
        ContratFactory,
        FinancementFactory,
        IndicateurFactory,
        JalonFactory,
        StatistiqueContexteFactory,
    )

    action = ActionFactory(
        axe__feuille__departement=departement, porteur=association, en_cours=True
    )
    indicateur = IndicateurFactory(action=action)
    Mesure.objects.create(indicateur=indicateur, annee=2026, valeur=10, saisie_par=pilotage)
    FinancementFactory(action=action, montant_accorde=10000)
    JalonFactory(action=action)
    BilanAnnuel.objects.create(
        action=action, annee=2026, realisations="Ateliers", redige_par=pilotage
    )
    for annee, valeur in [(2023, 280), (2024, 301), (2025, 312)]:
        StatistiqueContexteFactory(departement=departement, annee=annee, valeur=valeur)
    contrat = ContratFactory(departement=departement, montant_etat=100000)
    contrat.actions.add(action)
    Avenant.objects.create(contrat=contrat, numero=1, signe_le="2026-05-01", objet="Extension")
    return {"action": action, "axe": action.axe, "contrat": contrat, "indicateur": indicateur}


def _fichiers_du_plan(tmp_path) -> dict:
    grille = tmp_path / "indicateurs.csv"
    grille.write_text("N° indicateur;Année;Nouvelle valeur\n999999;2026;3\n", encoding="utf-8")
    return {"grille_avec_erreurs": grille}


def test_every_role_has_pages_to_check():
    """A role whose pages all vanished from the list would pass without checking anything."""
    for role in ROLES:
        assert len(pages_de(role)) >= 3, role
    assert len({page.nom for page in PAGES}) == len(PAGES), "deux pages portent le même nom"


@pytest.mark.parametrize("role", ROLES)
def test_pages_have_no_serious_accessibility_violation(live_server, browser, monde, role):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    try:
        if role != ANONYME:
            se_connecter(context, live_server, monde.utilisateurs[role])
        page = context.new_page()
        page.set_default_timeout(15_000)
        problemes = []
        for a_verifier in pages_de(role):
            chemin = a_verifier.chemin(monde)
            response = page.goto(live_server.url + chemin)
            # Neither an error nor a redirect (to the login page, say) where a page was due.
            assert response.status == a_verifier.statut, (a_verifier.nom, page.url)
            if not chemin.startswith("/connexion/"):
                assert not page.url.startswith(live_server.url + "/connexion/"), a_verifier.nom
            if a_verifier.puis:
                a_verifier.puis(page, monde)
            if probleme := check_page(page, f"{role}-{a_verifier.nom}"):
                problemes.append(probleme)
    finally:
        context.close()
    assert not problemes, "Violations d'accessibilité graves :\n\n" + "\n\n".join(problemes)


def test_the_check_names_each_serious_violation_and_saves_its_report(page):
    """The check itself can fail: an image without text and an empty button are critical."""
    page.set_content(
        '<!DOCTYPE html><html lang="fr"><head><title>Essai</title></head><body><main>'
        '<h1>Essai</h1><img src="data:," id="sans-texte"><button id="vide"></button>'
        "</main></body></html>"
    )
    with pytest.raises(AssertionError) as echec:
        assert_no_serious_violations(page, "essai-violations")
    message = str(echec.value)
    assert "image-alt (critical)" in message
    assert "#sans-texte" in message
    assert "button-name (critical)" in message
    assert "#vide" in message
    rapport = json.loads((AXE_DIR / "essai-violations.json").read_text(encoding="utf-8"))
    assert {v["id"] for v in rapport["violations"]} >= {"image-alt", "button-name"}
