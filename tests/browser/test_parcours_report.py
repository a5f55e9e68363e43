"""Signing decides the pending, walked in Chromium from the home page by clicks alone:
pilotage asks the visa and sees the actions not adopted yet; the cabinet signs and sees
them again; the pending actions are found in version 2; the partner whose action was
returned opens it from her home page and modifies it. At 1280 and 390 px, and once with
the keyboard alone."""

import re

import pytest
from playwright.sync_api import expect

from actions.models import Action, FeuilleDeRoute
from tests.acteurs.factories import (
    ActeurFactory,
    DepartementFactory,
    HabilitationFactory,
    MembreFactory,
)
from tests.actions.factories import ActionFactory, AxeFactory, FeuilleDeRouteFactory
from tests.browser.accessibility import assert_no_serious_violations
from tests.browser.parcours import LARGEURS, accueil

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

S = Action.Statut
RENVOYEE = "Permanence emploi des femmes"
SOUMISE = "Cours de français du soir"


@pytest.fixture
def plan(transactional_db):
    """As the demo: a feuille in consultation with an adopted action, one submitted and
    one returned to its porteur, an association's contributor, pilotage and cabinet."""
    departement = DepartementFactory()
    feuille = FeuilleDeRouteFactory(
        departement=departement, titre="Feuille de route 2026–2028", statut="consultation"
    )
    langue = AxeFactory(feuille=feuille, ordre=1, libelle="Apprentissage de la langue française")
    emploi = AxeFactory(feuille=feuille, ordre=2, libelle="Emploi et formation")
    association = ActeurFactory(departement=departement, nom="Association Accueil Rouen")
    partenaire = MembreFactory(acteur=association, role="contributeur").user
    ActionFactory(axe=langue, porteur=association, validee=True, titre="Ateliers adoptés")
    ActionFactory(axe=langue, porteur=association, soumise=True, titre=SOUMISE)
    ActionFactory(axe=emploi, porteur=association, cree_par=partenaire, titre=RENVOYEE,
                  statut=S.A_COMPLETER, soumise_le="2026-01-05T10:00Z")  # fmt: skip
    roles = {
        role: HabilitationFactory(departement=departement, role=role).user
        for role in ("pilotage", "cabinet")
    }
    return {"feuille": feuille, "partenaire": partenaire, **roles}


def _en_attente(page):
    bloc = page.locator("#actions-en-attente")
    expect(bloc).to_contain_text(
        "Ces 2 actions ne seront pas signées : elles continueront dans la version 2"
    )
    expect(bloc.get_by_role("link", name=SOUMISE)).to_be_visible()
    expect(bloc.get_by_role("link", name=RENVOYEE)).to_be_visible()
    expect(bloc).not_to_contain_text("Ateliers adoptés")


@pytest.mark.parametrize(
    "largeur, clavier", [*[(largeur, False) for largeur in LARGEURS], (1280, True)],
    ids=[*map(str, LARGEURS), "clavier"],
)  # fmt: skip
def test_signer_avec_des_actions_en_attente(
    live_server, browser, plan, settings, tmp_path, largeur, clavier
):
    settings.MEDIA_ROOT = tmp_path / "media"

    def _accueil(user):
        return accueil(browser, live_server, user, largeur, clavier=clavier, delai_ms=30_000)

    # Pilotage asks the visa from the feuille's page, which lists what will carry on.
    visiteur = _accueil(plan["pilotage"])
    page = visiteur.page
    visiteur.menu("Plan d'actions")
    visiteur.lien("Feuille de route 2026–2028")
    _en_attente(page)
    if largeur == 1280 and not clavier:
        assert_no_serious_violations(page, "report-feuille-avant-visa")
    visiteur.bouton("Demander le visa du cabinet")
    expect(page.get_by_text("Soumise au visa du cabinet").first).to_be_visible()
    page.context.close()

    # The cabinet finds it on its home page, reads the list again, and signs.
    visiteur = _accueil(plan["cabinet"])
    page = visiteur.page
    visiteur.lien(re.compile("Feuille de route 2026–2028"))
    _en_attente(page)
    visiteur.lien("Signer la feuille de route")
    _en_attente(page)
    expect(page.get_by_text("scellé par la signature électronique")).to_be_visible()
    if largeur == 1280 and not clavier:
        assert_no_serious_violations(page, "report-page-de-signature")
    visiteur.bouton("Signer la feuille de route")
    expect(
        page.get_by_text(
            "Les 2 actions en attente continuent dans la version 2 ; "
            "leurs porteurs en sont avertis par courriel."
        )
    ).to_be_visible()
    page.context.close()

    # Pilotage finds the pending actions in version 2, from the signed one's page.
    visiteur = _accueil(plan["pilotage"])
    page = visiteur.page
    visiteur.menu("Plan d'actions")
    # Newest first: version 1 is the last link of that name.
    visiteur.suivre(page.get_by_role("link", name="Feuille de route 2026–2028").last)
    expect(page.get_by_text("Signée", exact=True).first).to_be_visible()
    visiteur.lien("Version 2")
    expect(page.get_by_text(re.compile(r"— version 2$"))).to_be_visible()
    # Under their axes (the list above says they are still pending, for version 3).
    expect(page.get_by_role("link", name=SOUMISE).last).to_be_visible()
    expect(page.get_by_role("link", name=RENVOYEE).last).to_be_visible()
    page.context.close()

    # The partner opens her returned action from her home page and modifies it.
    visiteur = _accueil(plan["partenaire"])
    page = visiteur.page
    visiteur.lien(RENVOYEE)
    visiteur.lien("Modifier la fiche")
    titre = "Permanence emploi, horaires élargis"
    visiteur.saisir(page.get_by_label("Intitulé de l'action"), titre)
    visiteur.bouton("Enregistrer la fiche")
    expect(page.locator("main h1")).to_have_text(titre)
    page.context.close()

    feuille = plan["feuille"]
    feuille.refresh_from_db()
    assert feuille.est_signee
    action = Action.objects.get(titre="Permanence emploi, horaires élargis")
    assert action.feuille == FeuilleDeRoute.objects.get(precedente=feuille)
    assert action.statut == S.A_COMPLETER
