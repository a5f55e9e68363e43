"""What a new user stumbled on: labels hidden by the design system, misplaced headings."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_acteurs import EMAIL_PILOTAGE, agent_pilotage, departement, se_connecter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["agent_pilotage", "departement"]  # fixtures shared with the actors' journeys


def _texte_entier(locator) -> bool:
    """True when the element shows all its text (nothing clipped by overflow)."""
    return locator.evaluate("e => e.scrollWidth <= e.clientWidth + 1")


def test_import_button_shows_its_label(live_server, page, agent_pilotage):
    se_connecter(page, live_server, EMAIL_PILOTAGE)
    page.goto(live_server.url + "/acteurs/import/")
    bouton = page.get_by_role("button", name="Vérifier le fichier")
    expect(bouton).to_be_visible()
    assert _texte_entier(bouton)
    assert bouton.bounding_box()["width"] > 120  # more than the bare icon


def test_account_card_title_comes_before_its_content(live_server, page, agent_pilotage):
    se_connecter(page, live_server, EMAIL_PILOTAGE)
    page.goto(live_server.url + "/compte/")
    titre = page.get_by_role("heading", name="Identité").bounding_box()
    nom = page.get_by_text("Adresse électronique", exact=True).bounding_box()
    bouton = page.get_by_role("link", name="Modifier mon mot de passe").bounding_box()
    assert titre["y"] < nom["y"] < bouton["y"]


def test_import_errors_are_readable_on_a_phone(live_server, page, agent_pilotage, tmp_path):
    fichier = tmp_path / "acteurs.csv"
    fichier.write_text(
        "nom;type;siret\nAssociation des personnes accueillies du plateau;Mauvais type;123\n",
        encoding="utf-8",
    )
    page.set_viewport_size({"width": 390, "height": 844})
    se_connecter(page, live_server, EMAIL_PILOTAGE)
    page.goto(live_server.url + "/acteurs/import/")
    page.get_by_label("Fichier des acteurs").set_input_files(fichier)
    page.get_by_role("button", name="Vérifier le fichier").click()
    erreurs = page.locator("#ligne-2 td.etat li")
    expect(erreurs.first).to_contain_text("Mauvais type")
    for i in range(erreurs.count()):
        boite = erreurs.nth(i).bounding_box()
        assert boite["x"] >= 0 and boite["x"] + boite["width"] <= 390, erreurs.nth(i).inner_text()


def test_networks_list_narrows_as_one_types(live_server, page, agent_pilotage):
    from acteurs.models import Reseau

    for slug, libelle in [("essai-zephyr", "Réseau Zéphyr d'essai"), ("essai-alize", "Alizé")]:
        Reseau.objects.get_or_create(slug=slug, defaults={"libelle": libelle})
    se_connecter(page, live_server, EMAIL_PILOTAGE)
    page.goto(live_server.url + "/acteurs/nouveau/")
    reseaux = page.locator("fieldset#id_reseaux .fr-fieldset__element")
    total = reseaux.count()
    page.locator("fieldset#id_reseaux label", has_text="Alizé").click()

    expect(page.locator(".filtre-liste")).to_have_count(1)
    filtre = page.get_by_label("Filtrer les réseaux")
    filtre.fill("ZEPHYR")  # neither case nor accents count
    visibles = page.locator("fieldset#id_reseaux .fr-fieldset__element:visible")
    expect(visibles).to_have_count(2)  # the match, and the ticked box that stays
    expect(visibles.filter(has_text="Zéphyr")).to_have_count(1)
    expect(page.get_by_role("status").filter(has_text="affichés")).to_have_text(
        f"2 sur {total} affichés"
    )
    filtre.press("Enter")  # does not submit the form
    expect(page.locator("main h1")).to_have_text("Nouvel acteur")
    filtre.press("Tab")  # the keyboard goes on to the visible boxes
    expect(page.locator(":focus")).to_be_visible()
    filtre.fill("")
    expect(page.locator("fieldset#id_reseaux .fr-fieldset__element:visible")).to_have_count(total)


def test_the_comites_lead_takes_the_phone_s_width(live_server, page, departement):
    """A reader has one button there, « Mon agenda »: beside it, the page's lead paragraph
    was squeezed into half of a phone's width; the buttons now go under it."""
    from tests.acteurs.factories import HabilitationFactory

    HabilitationFactory(departement=departement, role="lecteur", user__email="lecteur@exemple.fr")
    page.set_viewport_size({"width": 390, "height": 844})
    se_connecter(page, live_server, "lecteur@exemple.fr")
    page.goto(live_server.url + "/comites/")
    chapo = page.locator("main p.fr-text--lead").bounding_box()
    agenda = page.get_by_role("link", name="Mon agenda").bounding_box()
    assert chapo["width"] > 300
    assert agenda["y"] >= chapo["y"] + chapo["height"]
    # On a desktop the button stays beside the lead, on the right.
    page.set_viewport_size({"width": 1280, "height": 900})
    chapo = page.locator("main p.fr-text--lead").bounding_box()
    agenda = page.get_by_role("link", name="Mon agenda").bounding_box()
    assert agenda["x"] >= chapo["x"] + chapo["width"]
    assert agenda["x"] + agenda["width"] > 1280 - 80


def test_the_dashboard_title_takes_the_phone_s_width(live_server, page, departement):
    """Beside « Liste des actions », the dashboard's title took three lines on a phone."""
    from tests.acteurs.factories import HabilitationFactory

    HabilitationFactory(departement=departement, role="lecteur", user__email="lecteur@exemple.fr")
    page.set_viewport_size({"width": 390, "height": 844})
    se_connecter(page, live_server, "lecteur@exemple.fr")
    page.goto(live_server.url + "/plan-d-actions/tableau-de-bord/")
    titre = page.locator("main h1").bounding_box()
    liste = page.get_by_role("link", name="Liste des actions").bounding_box()
    assert titre["width"] > 300
    assert liste["y"] >= titre["y"] + titre["height"]
    page.set_viewport_size({"width": 1280, "height": 900})
    titre = page.locator("main h1").bounding_box()
    liste = page.get_by_role("link", name="Liste des actions").bounding_box()
    assert liste["x"] >= titre["x"] + titre["width"]
    assert liste["x"] + liste["width"] > 1280 - 80


def test_a_composition_with_long_names_fits_a_desktop(live_server, page, agent_pilotage):
    """The DSFR keeps a table's cells on one line: long structure names pushed the column
    « Terminer le mandat », with its buttons, beyond the table's scrolling edge at 1280 px.
    The names now wrap and the buttons stay in sight."""
    from tests.acteurs.factories import ActeurFactory
    from tests.comites.factories import InstanceFactory, SiegeFactory

    departement = agent_pilotage.habilitations.get().departement
    copil = InstanceFactory(departement=departement, nom="COPIL")
    longue = "Agence régionale de santé Provence-Alpes-Côte d'Azur – Délégation des Hautes-Alpes"
    for nom in (longue, "Mission locale"):
        SiegeFactory(instance=copil, acteur=ActeurFactory(departement=departement, nom=nom))
    se_connecter(page, live_server, EMAIL_PILOTAGE)
    page.goto(f"{live_server.url}/comites/instances/{copil.pk}/")
    region = page.get_by_role("region", name="Mandats en cours")
    assert region.evaluate("e => e.scrollWidth <= e.clientWidth")
    bord = region.bounding_box()
    for bouton in page.get_by_role("button", name="Terminer").all():
        boite = bouton.bounding_box()
        assert boite["x"] + boite["width"] <= bord["x"] + bord["width"]
