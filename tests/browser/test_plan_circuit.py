"""A fiche-action's way through review in Chromium: a partner writes it (with two funding
lines and two indicators) and submits it, pilotage returns it with a comment, the partner
completes and resubmits it, pilotage validates it; the page's log tells the whole story."""

import pytest
from playwright.sync_api import expect

from actions.models import Action
from tests.acteurs.factories import (
    ActeurFactory,
    DepartementFactory,
    HabilitationFactory,
    MembreFactory,
)
from tests.actions.factories import AxeFactory, FeuilleDeRouteFactory
from tests.browser.conftest import se_connecter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def plan(transactional_db):
    departement = DepartementFactory()
    feuille = FeuilleDeRouteFactory(departement=departement)
    AxeFactory(feuille=feuille, ordre=1, libelle="Apprentissage de la langue française")
    association = ActeurFactory(departement=departement, nom="Association Accueil Rouen")
    ActeurFactory(departement=departement, nom="Centre social du Plateau")
    return {
        "feuille": feuille,
        "partenaire": MembreFactory(acteur=association, role="contributeur").user,
        "pilotage": HabilitationFactory(departement=departement, role="pilotage").user,
    }


def ouvrir(browser, live_server, user):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    se_connecter(context, live_server, user)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def bouton(page, nom):
    with page.expect_navigation():
        page.get_by_role("button", name=nom, exact=True).click()


def test_soumettre_renvoyer_completer_valider(live_server, browser, plan):
    partenaire = ouvrir(browser, live_server, plan["partenaire"])
    partenaire.goto(
        f"{live_server.url}/plan-d-actions/actions/nouvelle/?feuille={plan['feuille'].pk}"
    )
    partenaire.get_by_label("Axe").select_option(label="1. Apprentissage de la langue française")
    partenaire.get_by_label("Intitulé de l'action").fill("Ateliers sociolinguistiques")
    bouton(partenaire, "Ajouter des lignes")  # what was typed stays, the tables grow
    expect(partenaire.get_by_label("Intitulé de l'action")).to_have_value(
        "Ateliers sociolinguistiques"
    )
    expect(partenaire.locator("#id_financements-4-source")).to_be_attached()
    partenaire.get_by_label("Description").fill("Deux ateliers par semaine.")
    partenaire.get_by_label("Porteur").select_option(label="Association Accueil Rouen")
    for i, (source, montant) in enumerate([("BOP 104 action 12", "12 500"), ("FAMI", "3000,50")]):
        partenaire.locator(f"#id_financements-{i}-source").select_option(label=source)
        partenaire.locator(f"#id_financements-{i}-annee").fill("2026")
        partenaire.locator(f"#id_financements-{i}-montant_demande").fill(montant)
    for i, libelle in enumerate(["Participants", "Heures d'atelier"]):
        partenaire.locator(f"#id_indicateurs-{i}-libelle").fill(libelle)
        partenaire.locator(f"#id_indicateurs-{i}-unite").fill("personnes")
        partenaire.locator(f"#id_indicateurs-{i}-cible").fill("40")
    bouton(partenaire, "Enregistrer la fiche")
    expect(partenaire.locator("main h1")).to_have_text("Ateliers sociolinguistiques")
    expect(partenaire.locator("#financements tfoot")).to_contain_text("15\u00a0500,50\u00a0€")
    expect(partenaire.locator("#indicateurs tbody tr")).to_have_count(2)
    bouton(partenaire, "Soumettre au service pilote")
    expect(partenaire.locator("#statut-action")).to_have_text("Soumise")

    pilotage = ouvrir(browser, live_server, plan["pilotage"])
    pilotage.goto(live_server.url + "/plan-d-actions/instruction/")
    pilotage.get_by_role("link", name="Ateliers sociolinguistiques").click()
    bouton(pilotage, "Renvoyer pour compléments")  # without a comment: refused
    expect(pilotage.locator(".fr-alert--error, .fr-notice, [role=alert]").first).to_contain_text(
        "Indiquez ce qui manque"
    )
    pilotage.get_by_label("Commentaire").fill("Précisez le calendrier des ateliers.")
    bouton(pilotage, "Renvoyer pour compléments")
    expect(pilotage.locator("#statut-action")).to_have_text("À compléter")

    partenaire.reload()
    partenaire.get_by_role("link", name="Modifier la fiche").click()
    partenaire.get_by_label("Début").fill("2026-02-02")
    partenaire.get_by_label("Fin").fill("2026-06-30")
    bouton(partenaire, "Enregistrer la fiche")
    bouton(partenaire, "Soumettre au service pilote")
    expect(partenaire.locator("#statut-action")).to_have_text("Soumise")

    pilotage.reload()
    pilotage.get_by_label("Commentaire").fill("Action retenue.")
    bouton(pilotage, "Valider l'action")
    expect(pilotage.locator("#statut-action")).to_have_text("Validée")
    lignes = pilotage.locator("#transitions tbody tr")
    expect(lignes).to_have_count(4)
    expect(lignes.nth(0)).to_contain_text("Brouillon → Soumise")
    expect(lignes.nth(1)).to_contain_text("Soumise → À compléter")
    expect(lignes.nth(1)).to_contain_text("Précisez le calendrier des ateliers.")
    expect(lignes.nth(2)).to_contain_text("À compléter → Soumise")
    expect(lignes.nth(3)).to_contain_text("Soumise → Validée")
    expect(lignes.nth(3)).to_contain_text("Action retenue.")
    action = Action.objects.get()
    assert action.statut == "validee" and action.financements.count() == 2
    assert str(action.date_debut) == "2026-02-02"
