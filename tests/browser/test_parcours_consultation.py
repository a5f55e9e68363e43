"""A partner comments an action of a feuille in consultation, from their home page by clicks
only, on a desktop and on a phone: the feuille lists its actions with a link each, the
link brings that action's comment form open with its text focused, and the comment sent
shows with the others."""

import pytest
from playwright.sync_api import expect

from actions.models import CommentaireConsultation, FeuilleDeRoute
from tests.acteurs.factories import (
    ActeurFactory,
    DepartementFactory,
    HabilitationFactory,
    MembreFactory,
)
from tests.actions.factories import ActionFactory, AxeFactory, FeuilleDeRouteFactory
from tests.browser.accessibility import defile_de_cote
from tests.browser.parcours import LARGEURS, accueil

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def consultation(transactional_db):
    departement = DepartementFactory()
    HabilitationFactory(departement=departement, role="pilotage")  # who is told of comments
    feuille = FeuilleDeRouteFactory(
        departement=departement,
        titre="Feuille de route 2026–2028",
        statut=FeuilleDeRoute.Statut.CONSULTATION,
    )
    axe = AxeFactory(feuille=feuille, ordre=1, libelle="Apprentissage de la langue française")
    association = ActeurFactory(departement=departement, nom="Association Accueil Rouen")
    for titre in ("Ateliers de conversation", "Cours du soir", "Permanences juridiques"):
        ActionFactory(axe=axe, porteur=association, soumise=True, titre=titre)
    return MembreFactory(acteur=association, role="contributeur").user


@pytest.mark.parametrize("largeur", LARGEURS)
def test_un_partenaire_commente_une_action_depuis_son_accueil(
    live_server, browser, consultation, largeur
):
    partenaire = accueil(browser, live_server, consultation, largeur)
    page = partenaire.page
    partenaire.lien("Feuille de route 2026–2028")
    expect(page.locator("main h1")).to_have_text("Feuille de route 2026–2028")
    # One form for the axe; each action has a link to its own.
    expect(page.locator("main textarea")).to_have_count(1)

    partenaire.lien("Commenter l'action « Cours du soir »")
    formulaire = page.locator("details[open]")
    expect(formulaire).to_have_count(1)
    expect(formulaire.locator("summary")).to_have_text("Commenter l'action « Cours du soir »")
    expect(formulaire.get_by_label("Votre commentaire")).to_be_focused()
    page.keyboard.type("Des horaires après 18 h, pour qui travaille.")
    assert not defile_de_cote(page, "commentaire d'une action")
    partenaire.suivre(formulaire.get_by_role("button", name="Envoyer le commentaire"))

    expect(page.locator(".fr-alert--success")).to_contain_text("commentaire est transmis")
    expect(page.locator("main")).to_contain_text("Des horaires après 18 h, pour qui travaille.")
    commentaire = CommentaireConsultation.objects.get()
    assert commentaire.action.titre == "Cours du soir"
    assert commentaire.au_nom_de.nom == "Association Accueil Rouen"
