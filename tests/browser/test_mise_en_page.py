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


# A page's header, its text and one button: beside the button the text was squeezed on a
# phone (the comités' lead paragraph into half the width, the dashboard's title into three
# lines); the button now goes under it, and stays beside it, on the right, on a desktop.
EN_TETES = {
    "comites": ("/comites/", "main p.fr-text--lead", "Mon agenda"),
    "tableau-de-bord": ("/plan-d-actions/tableau-de-bord/", "main h1", "Liste des actions"),
}


@pytest.mark.parametrize("nom", EN_TETES)
def test_a_header_s_text_takes_the_phone_s_width(live_server, page, departement, nom):
    from tests.acteurs.factories import HabilitationFactory

    chemin, texte, bouton = EN_TETES[nom]
    HabilitationFactory(departement=departement, role="lecteur", user__email="lecteur@exemple.fr")
    page.set_viewport_size({"width": 390, "height": 844})
    se_connecter(page, live_server, "lecteur@exemple.fr")
    page.goto(live_server.url + chemin)

    def boites():
        return (
            page.locator(texte).bounding_box(),
            page.get_by_role("link", name=bouton).bounding_box(),
        )

    boite, lien = boites()
    assert boite["width"] > 300
    assert lien["y"] >= boite["y"] + boite["height"]
    page.set_viewport_size({"width": 1280, "height": 900})
    boite, lien = boites()
    assert lien["x"] >= boite["x"] + boite["width"]
    assert lien["x"] + lien["width"] > 1280 - 80


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


def test_a_list_s_filters_are_spaced_after_a_box_too(live_server, page, agent_pilotage):
    """The DSFR spaces its input and select groups, not a lone box: on the actors' and the
    actions' filters, the label after « Inclure les acteurs archivés » sat against it."""
    se_connecter(page, live_server, EMAIL_PILOTAGE)
    for chemin in ("/acteurs/", "/plan-d-actions/actions/"):
        page.goto(live_server.url + chemin)
        groupes = page.locator("form.filtres [id^=div_id_]")
        boites = [groupes.nth(i).bounding_box() for i in range(groupes.count())]
        assert page.locator("form.filtres .fr-checkbox-group").count() >= 1, chemin
        for haut, bas in zip(boites, boites[1:], strict=False):
            assert bas["y"] - (haut["y"] + haut["height"]) >= 16, (chemin, haut, bas)
