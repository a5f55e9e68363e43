"""A fiche-action's way from proposal to validation, each role starting at its home page
and going on by clicks only, on a desktop and on a phone: a partner association proposes
a complete fiche and submits it; pilotage returns it « à compléter » (a comment is
required); the partner fixes and resubmits it; pilotage validates it. The fiche's log
tells the whole story."""

import pytest
from playwright.sync_api import expect

from actions.models import Action, FeuilleDeRoute, PublicCible
from tests.acteurs.factories import (
    ActeurFactory,
    DepartementFactory,
    HabilitationFactory,
    MembreFactory,
    TerritoireFactory,
)
from tests.actions.factories import AxeFactory, FeuilleDeRouteFactory
from tests.browser.parcours import LARGEURS, accueil

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db):
    """As the demo: a feuille in consultation, an association whose contributor proposes."""
    departement = DepartementFactory()
    departement.territoires.add(TerritoireFactory(code="76540", nom="Rouen"))
    feuille = FeuilleDeRouteFactory(
        departement=departement,
        titre="Feuille de route 2026–2028",
        statut=FeuilleDeRoute.Statut.CONSULTATION,
    )
    AxeFactory(feuille=feuille, ordre=1, libelle="Apprentissage de la langue française")
    AxeFactory(feuille=feuille, ordre=2, libelle="Emploi et formation")
    association = ActeurFactory(departement=departement, nom="Association Accueil Rouen")
    ActeurFactory(departement=departement, nom="Centre social du Plateau")
    # The reference list a data migration fills (flushed between transactional tests).
    PublicCible.objects.get_or_create(
        code="primo-arrivants", defaults={"libelle": "Primo-arrivants"}
    )
    return {
        "partenaire": MembreFactory(acteur=association, role="contributeur").user,
        "pilotage": HabilitationFactory(departement=departement, role="pilotage").user,
    }


def cocher(page, libelle):
    """A DSFR checkbox is drawn by its label, which takes the click as a user's would."""
    page.locator("label.fr-label", has_text=libelle).click()
    expect(page.get_by_label(libelle)).to_be_checked()


def _commentaire(visiteur, texte):
    visiteur.page.get_by_label("Commentaire").fill(texte)


@pytest.mark.parametrize("largeur", LARGEURS)
def test_proposer_soumettre_renvoyer_completer_valider(live_server, browser, demo, largeur):
    partenaire = accueil(browser, live_server, demo["partenaire"], largeur)
    page = partenaire.page
    partenaire.lien("Proposer une fiche-action")
    expect(page.locator("main h1")).to_contain_text("fiche-action")
    page.get_by_label("Axe").select_option(label="1. Apprentissage de la langue française")
    page.get_by_label("Intitulé de l'action").fill("Ateliers sociolinguistiques")
    partenaire.bouton("Ajouter des lignes")  # what was typed stays, the tables grow
    expect(page.get_by_label("Intitulé de l'action")).to_have_value("Ateliers sociolinguistiques")
    expect(page.locator("#id_financements-4-source")).to_be_attached()
    page.get_by_label("Description").fill("Deux ateliers par semaine, au centre social.")
    page.get_by_label("Objectifs").fill("Atteindre le niveau A1 en six mois.")
    page.get_by_label("Porteur").select_option(label="Association Accueil Rouen")
    cocher(page, "Primo-arrivants")
    # The communes are found by a search (htmx), not drawn all at once.
    page.get_by_label("Chercher une commune").fill("rou")
    cocher(page, "Rouen (76540)")
    page.get_by_label("Début").fill("2026-02-02")
    page.get_by_label("Fin").fill("2026-06-30")
    # The partners too: a search offers them in the rows, not every structure in each.
    page.get_by_label("Chercher un partenaire").fill("plateau")
    partenaire_0 = page.locator("#id_partenaires-0-acteur")
    expect(partenaire_0.locator("option", has_text="Centre social du Plateau")).to_be_attached()
    expect(page.locator("#partenaires-statut")).to_contain_text("Une structure correspond")
    partenaire_0.select_option(label="Centre social du Plateau")
    page.locator("#id_partenaires-0-role").fill("Met ses salles à disposition")
    for i, (source, montant) in enumerate([("BOP 104 action 12", "12 500"), ("FAMI", "3000,50")]):
        page.locator(f"#id_financements-{i}-source").select_option(label=source)
        page.locator(f"#id_financements-{i}-annee").fill("2026")
        page.locator(f"#id_financements-{i}-montant_demande").fill(montant)
    page.locator("#id_indicateurs-0-libelle").fill("Participants")
    page.locator("#id_indicateurs-0-unite").fill("personnes")
    page.locator("#id_indicateurs-0-cible").fill("40")
    page.locator("#id_jalons-0-libelle").fill("Premier atelier")
    page.locator("#id_jalons-0-date_prevue").fill("2026-02-02")
    partenaire.bouton("Enregistrer la fiche")

    expect(page.locator("main h1")).to_have_text("Ateliers sociolinguistiques")
    expect(page.locator("#statut-action")).to_have_text("Brouillon")
    expect(page.locator("#financements tfoot")).to_contain_text("15\u00a0500,50\u00a0€")
    action = Action.objects.get()
    assert action.porteur.nom == "Association Accueil Rouen"
    assert [p.acteur.nom for p in action.partenariats.all()] == ["Centre social du Plateau"]
    assert sorted(f.montant_demande for f in action.financements.all()) == [3000.50, 12500]
    assert action.indicateurs.count() == 1 and action.jalons.count() == 1
    assert list(action.publics.values_list("libelle", flat=True)) == ["Primo-arrivants"]
    assert list(action.territoires.values_list("nom", flat=True)) == ["Rouen"]
    partenaire.bouton("Soumettre au service pilote")
    expect(page.locator("#statut-action")).to_have_text("Soumise")

    # Pilotage finds it waiting on its home page and returns it; a comment is required.
    pilotage = accueil(browser, live_server, demo["pilotage"], largeur)
    pilotage.lien("1 action à instruire")
    pilotage.lien("Ateliers sociolinguistiques")
    pilotage.bouton("Renvoyer pour compléments")
    expect(
        pilotage.page.locator(".fr-alert--error, .fr-notice, [role=alert]").first
    ).to_contain_text("Indiquez ce qui manque")
    _commentaire(pilotage, "Précisez les horaires des ateliers.")
    pilotage.bouton("Renvoyer pour compléments")
    expect(pilotage.page.locator("#statut-action")).to_have_text("À compléter")

    # Back home by the header's link, the returned fiche waits there to be completed.
    with page.expect_navigation():
        page.locator("header a[href='/']").first.click()
    partenaire.lien("Ateliers sociolinguistiques")
    partenaire.lien("Modifier la fiche")
    page.get_by_label("Description").fill("Deux ateliers par semaine, le mardi et le jeudi soir.")
    partenaire.bouton("Enregistrer la fiche")
    partenaire.bouton("Soumettre au service pilote")
    expect(page.locator("#statut-action")).to_have_text("Soumise")

    with pilotage.page.expect_navigation():
        pilotage.page.locator("header a[href='/']").first.click()
    pilotage.lien("1 action à instruire")
    pilotage.lien("Ateliers sociolinguistiques")
    _commentaire(pilotage, "Action retenue.")
    pilotage.bouton("Valider l'action")
    expect(pilotage.page.locator("#statut-action")).to_have_text("Validée")
    lignes = pilotage.page.locator("#transitions tbody tr")
    expect(lignes).to_have_count(4)
    expect(lignes.nth(0)).to_contain_text("Brouillon → Soumise")
    expect(lignes.nth(1)).to_contain_text("Soumise → À compléter")
    expect(lignes.nth(1)).to_contain_text("Précisez les horaires des ateliers.")
    expect(lignes.nth(2)).to_contain_text("À compléter → Soumise")
    expect(lignes.nth(3)).to_contain_text("Soumise → Validée")
    action.refresh_from_db()
    assert action.statut == Action.Statut.VALIDEE
    assert action.description.endswith("le mardi et le jeudi soir.")
    page.context.close()
    pilotage.page.context.close()
