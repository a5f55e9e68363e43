"""The home page tells each role what waits for it, links only where the user may go,
and costs the same number of queries however much waits."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions import access
from actions.models import Action, FeuilleDeRoute
from comites import services
from comites.models import Seance
from tests.acteurs.factories import UserFactory
from tests.actions.factories import ActionFactory, AxeFactory, FeuilleDeRouteFactory
from tests.comites.factories import (
    ConvocationFactory,
    InstanceFactory,
    PersonneFactory,
    SeanceFactory,
)

S = Action.Statut
F = FeuilleDeRoute.Statut


@pytest.fixture
def monde(seine_maritime, association, partenaire):
    """A feuille in consultation and one at the visa; the association's fiche returned to
    complete and its draft; another structure's draft; séances at every step."""
    consultation = FeuilleDeRouteFactory(
        departement=seine_maritime, titre="Feuille de route 2026", consultation=True
    )
    FeuilleDeRouteFactory(
        departement=seine_maritime, titre="Feuille de route 2025", statut=F.VISA, version=2
    )
    axe = AxeFactory(feuille=consultation, ordre=1, libelle="Langue")
    ActionFactory(axe=axe, porteur=association, titre="Ateliers de français", statut=S.A_COMPLETER)
    ActionFactory(axe=axe, porteur=association, titre="Permanence juridique")
    ActionFactory(axe=axe, titre="Brouillon d'une autre structure")
    instance = InstanceFactory(departement=seine_maritime, nom="COPIL intégration")
    moi = PersonneFactory(departement=seine_maritime, user=partenaire)
    ConvocationFactory(seance=SeanceFactory(instance=instance), personne=moi)
    il_y_a_un_mois = timezone.now() - timedelta(days=30)
    SeanceFactory(instance=InstanceFactory(departement=seine_maritime, nom="Groupe santé"))
    SeanceFactory(
        instance=InstanceFactory(departement=seine_maritime, nom="Groupe emploi"),
        debut=il_y_a_un_mois,
        statut=Seance.Statut.TENUE,
    )
    SeanceFactory(
        instance=InstanceFactory(departement=seine_maritime, nom="Groupe logement"),
        debut=il_y_a_un_mois,
        statut=Seance.Statut.CLOSE,
        close_le=il_y_a_un_mois,
        close_par=UserFactory(),
    )
    return consultation


def _page(client, user):
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def _sections(page):
    return re.findall(r'<h3 class="fr-h6">([^<]+)</h3>', page)


def test_a_partner_sees_what_waits_for_their_structure(client, partenaire, monde):
    page = _page(client, partenaire)
    assert _sections(page) == [
        "Actions à compléter",
        "Brouillons à soumettre",
        "Consultation en cours",
        "Convocations sans réponse",
    ]
    assert "Ateliers de français" in page and "Permanence juridique" in page
    assert "Brouillon d&#x27;une autre structure" not in page
    assert "COPIL intégration" in page
    # Two feuilles are open to proposals: the link names each one.
    assert "Proposer une fiche-action :" in page
    for feuille in FeuilleDeRoute.objects.all():
        assert f'href="/plan-d-actions/actions/nouvelle/?feuille={feuille.pk}"' in page


def test_pilotage_sees_the_seances_to_convene_close_and_write_up(client, pilotage, monde):
    page = _page(client, pilotage)
    assert _sections(page) == [
        "Séances à convoquer",
        "Séances à clore",
        "Comptes rendus en retard",
    ]
    assert "Groupe santé" in page and "Groupe emploi" in page and "Groupe logement" in page
    assert "Proposer une fiche-action" in page


def test_the_cabinet_sees_the_feuilles_awaiting_its_visa_and_nothing_to_propose(
    client, cabinet, monde
):
    page = _page(client, cabinet)
    assert _sections(page) == ["Feuilles de route à viser et signer"]
    assert "Feuille de route 2025" in page
    assert "Proposer une fiche-action" not in page


def test_the_press_office_sees_the_releases_to_prepare_then_to_export(
    client, communication, pilotage, monde
):
    page = _page(client, communication)
    assert _sections(page) == ["Communiqués de presse à préparer"]
    emploi = Seance.objects.get(instance__nom="Groupe emploi")
    logement = Seance.objects.get(instance__nom="Groupe logement")
    for seance in (emploi, logement):  # held or closed: each opens its release
        assert f'href="/comites/seances/{seance.pk}/communique/"' in page
    assert "Groupe santé" not in page  # planned: nothing to announce yet
    assert "Proposer une fiche-action" not in page
    # A version saved: that séance waits for its export, the other still for a release.
    v = services.enregistrer_communique(
        logement, titre="Le groupe logement s'est réuni", texte="Il a décidé.", by=pilotage
    )
    page = _page(client, communication)
    assert _sections(page) == [
        "Communiqués de presse à préparer",
        "Communiqués de presse à exporter",
    ]
    a_preparer, a_exporter = page.split("Communiqués de presse à exporter")
    assert "Groupe emploi" in a_preparer and "Groupe logement" not in a_preparer
    assert "Groupe logement" in a_exporter and "version 1" in a_exporter
    # Exported as a PDF: nothing waits any more for that séance.
    client.post(reverse("comites:communique_pdf", args=[logement.pk, v.version]))
    page = _page(client, communication)
    assert _sections(page) == ["Communiqués de presse à préparer"]
    assert "Groupe logement" not in page


def test_pilotage_and_the_cabinet_are_not_given_the_press_office_s_lists(
    client, pilotage, cabinet, monde
):
    for user in (pilotage, cabinet):
        assert "Communiqués de presse" not in _page(client, user)


def test_a_reader_is_offered_nothing_to_do(client, lecteur, monde):
    page = _page(client, lecteur)
    assert "Ce qui vous attend" not in page


@pytest.mark.parametrize("role", ["partenaire", "pilotage", "cabinet", "communication", "lecteur"])
def test_no_link_of_the_home_page_or_the_plan_dashboard_leads_to_a_refusal(
    client, request, role, monde
):
    user = request.getfixturevalue(role)
    page = _page(client, user)
    # Every link is written from the site's root: a prefix missing from a row's link
    # would leave a relative one, which opens another page.
    relatifs = re.findall(r'href="(?![/#]|https://|mailto:)([^"]*)"', page)
    assert relatifs == []
    liens = set(re.findall(r'href="(/[^"#]*)"', page))
    liens |= set(
        re.findall(
            r'href="(/[^"#]*)"', client.get("/plan-d-actions/tableau-de-bord/").content.decode()
        )
    )
    liens = {lien.replace("&amp;", "&") for lien in liens if not lien.startswith("/static/")}
    refus = {lien: client.get(lien).status_code for lien in sorted(liens)}
    assert {lien: code for lien, code in refus.items() if code >= 400} == {}


def test_the_home_page_costs_the_same_queries_however_much_waits(
    client, partenaire, pilotage, communication, monde, association
):
    def requetes(user):
        client.force_login(user)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/").status_code == 200
        return len(ctx.captured_queries)

    avant = {user: requetes(user) for user in (partenaire, pilotage, communication)}
    axe = monde.axes.first()
    instance = InstanceFactory(departement=monde.departement)
    moi = partenaire.personnes_comites.get()
    for n in range(5):
        ActionFactory(axe=axe, porteur=association, statut=S.A_COMPLETER)
        ActionFactory(axe=axe, porteur=association)
        FeuilleDeRouteFactory(
            departement=monde.departement,
            consultation=True,
            annee_debut=2030 + n,
            annee_fin=2032 + n,
        )
        ConvocationFactory(seance=SeanceFactory(instance=instance), personne=moi)
        tenues = [
            SeanceFactory(instance=instance, passee=True, statut=Seance.Statut.TENUE)
            for _ in range(2)
        ]
        services.enregistrer_communique(tenues[0], titre="Titre", texte="Texte", by=pilotage)
    assert {user: requetes(user) for user in (partenaire, pilotage, communication)} == avant


@pytest.mark.parametrize("role", ["partenaire", "pilotage", "cabinet", "communication", "lecteur"])
def test_the_feuilles_waiting_are_those_the_rules_let_one_comment_or_sign(request, role, monde):
    """The home page reads the feuilles only where the user is a partner or the cabinet
    (actions.access.feuilles_en_attente): it finds what the rules, asked of every feuille
    of the département, give."""
    user = request.getfixturevalue(role)
    departements = [monde.departement_id]
    selon_les_regles = {
        cle: [
            feuille.pk
            for feuille in FeuilleDeRoute.objects.filter(statut=statut).order_by("pk")
            if access.can_feuille(user, verbe, feuille)
        ]
        for cle, statut, verbe in (
            ("consultation", F.CONSULTATION, "commenter"),
            ("visa", F.VISA, "signer"),
        )
    }
    trouvees = access.feuilles_en_attente(user, departements)
    assert {cle: sorted(f.pk for f in liste) for cle, liste in trouvees.items()} == selon_les_regles
    attendues = {"partenaire": "consultation", "cabinet": "visa"}.get(role)
    assert [cle for cle, liste in trouvees.items() if liste] == ([attendues] if attendues else [])
