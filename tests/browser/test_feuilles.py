"""A feuille de route's first steps in Chromium: pilotage creates it, edits its axes and
opens the consultation; a partner comments an axe; pilotage answers."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from actions.models import CommentaireConsultation, FeuilleDeRoute
from actions.views import feuilles as vues_des_feuilles
from tests.acteurs.factories import (
    ActeurFactory,
    DepartementFactory,
    HabilitationFactory,
    MembreFactory,
)
from tests.actions.factories import FeuilleDeRouteFactory
from tests.browser.conftest import se_connecter
from tests.browser.parcours import LARGEURS, accueil

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def personnes(transactional_db):
    departement = DepartementFactory()
    association = ActeurFactory(departement=departement, nom="Association Accueil Rouen")
    return {
        "pilotage": HabilitationFactory(departement=departement, role="pilotage").user,
        "partenaire": MembreFactory(acteur=association, role="contributeur").user,
    }


def _page(browser, live_server, user):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    se_connecter(context, live_server, user)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def test_creer_une_feuille_la_soumettre_a_consultation_et_repondre(live_server, browser, personnes):
    pilotage = _page(browser, live_server, personnes["pilotage"])
    pilotage.goto(live_server.url + "/plan-d-actions/")
    pilotage.get_by_role("link", name="Nouvelle feuille de route").click()
    pilotage.get_by_label("Titre").fill("Feuille de route départementale 2026–2028")
    pilotage.get_by_label("Première année").fill("2026")
    pilotage.get_by_label("Dernière année").fill("2028")
    pilotage.get_by_role("button", name="Créer la feuille de route").click()
    expect(pilotage.locator("main h1")).to_have_text("Feuille de route départementale 2026–2028")
    feuille = FeuilleDeRoute.objects.get()

    # Axes: add one, move it up, then come back.
    pilotage.get_by_role("link", name="Modifier les axes").click()
    pilotage.get_by_label("Libellé").last.fill("Accès au numérique")
    pilotage.get_by_role("button", name="Ajouter l'axe").click()
    expect(pilotage.locator(".fr-alert--success")).to_contain_text("L'axe est ajouté.")
    pilotage.get_by_role("button", name="Monter l'axe Accès au numérique").click()
    expect(pilotage.locator(".fr-alert--success")).to_contain_text("L'axe est déplacé.")
    assert list(feuille.axes.values_list("libelle", flat=True))[-2] == "Accès au numérique"
    pilotage.get_by_role("link", name="Retour à la feuille de route").click()
    pilotage.get_by_role("button", name="Ouvrir la consultation des partenaires").click()
    expect(pilotage.locator("main")).to_contain_text("Consultation des partenaires en cours")

    # The partner comments the first axe, on behalf of their association.
    partenaire = _page(browser, live_server, personnes["partenaire"])
    partenaire.goto(live_server.url + feuille.get_absolute_url())
    partenaire.get_by_text("Commenter l'axe « Apprentissage de la langue française »").click()
    partenaire.get_by_label("Votre commentaire").first.fill("Prévoir des cours le soir.")
    partenaire.get_by_role("button", name="Envoyer le commentaire").first.click()
    expect(partenaire.locator(".fr-alert--success")).to_contain_text("commentaire est transmis")
    expect(partenaire.locator(".commentaires")).to_contain_text("Prévoir des cours le soir.")
    assert mail.outbox[-1].to == [personnes["pilotage"].email]

    # Pilotage answers from the consultation page.
    pilotage.get_by_role("link", name="Tous les commentaires de la consultation").click()
    pilotage.get_by_role("link", name="Sans réponse").click()
    pilotage.get_by_role("link", name="Répondre").click()
    pilotage.get_by_label("Réponse").fill("Ajouté à l'axe, avec la mairie.")
    pilotage.get_by_text("Commentaire pris en compte").click()
    pilotage.get_by_role("button", name="Enregistrer la réponse").click()
    expect(pilotage.locator(".fr-alert--success")).to_contain_text("réponse est enregistrée")
    pilotage.get_by_role("link", name="Sans réponse").click()
    expect(pilotage.locator("main")).to_contain_text("Tous les commentaires ont reçu une réponse.")
    commentaire = CommentaireConsultation.objects.get()
    assert commentaire.pris_en_compte and commentaire.reponse.startswith("Ajouté")
    assert mail.outbox[-1].to == [personnes["partenaire"].email]

    partenaire.reload()
    # Shown as the compte rendu is, with the typographic apostrophe.
    expect(partenaire.locator(".commentaires")).to_contain_text("Ajouté à l’axe, avec la mairie.")


@pytest.mark.parametrize("largeur", LARGEURS)
def test_un_lecteur_national_parcourt_les_feuilles_par_pages(
    live_server, browser, largeur, monkeypatch
):
    """From the home page, the plan's feuilles of France by pages (two here, fifty in
    production), then one feuille's page."""
    monkeypatch.setattr(vues_des_feuilles, "PAR_PAGE", 2)
    for departement in (DepartementFactory(code="01", nom="Ain"), DepartementFactory()):
        for annee in (2023, 2026):
            FeuilleDeRouteFactory(
                departement=departement,
                annee_debut=annee,
                annee_fin=annee + 2,
                titre=f"Feuille {departement.nom} {annee}",
            )
    lecteur = HabilitationFactory(departement=None, perimetre="france", role="lecteur").user
    visiteur = accueil(browser, live_server, lecteur, largeur)
    page = visiteur.page

    visiteur.menu("Plan d'actions")
    feuilles = page.locator("main table").get_by_role("link")
    expect(feuilles).to_have_text(["Feuille Ain 2026", "Feuille Ain 2023"])
    page.get_by_role("link", name="Page suivante").click()
    expect(feuilles).to_have_text(["Feuille Seine-Maritime 2026", "Feuille Seine-Maritime 2023"])
    visiteur.lien("Feuille Seine-Maritime 2023", exact=True)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Feuille Seine-Maritime 2023")
    page.context.close()
