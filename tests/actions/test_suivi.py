"""The follow-up of an adopted action and the yearly bilans, through the real pages."""

import html
from decimal import Decimal

import pytest
from django.urls import reverse

from actions.models import Action, BilanAnnuel, Mesure, Transition
from integration.journal import Evenement
from tests.acteurs.factories import ActeurFactory, HabilitationFactory, MembreFactory
from tests.actions.factories import (
    ActionFactory,
    AxeFactory,
    FeuilleDeRouteFactory,
    FinancementFactory,
    IndicateurFactory,
    JalonFactory,
    signer,
)

pytestmark = pytest.mark.django_db
S = Action.Statut


@pytest.fixture
def feuille(seine_maritime):
    return FeuilleDeRouteFactory(departement=seine_maritime)


@pytest.fixture
def action(feuille, association):
    return ActionFactory(axe=AxeFactory(feuille=feuille), porteur=association, validee=True)


def texte(response) -> str:
    return html.unescape(response.content.decode())


def suivi(action):
    return reverse("actions:suivi", args=[action.pk])


def poster(client, action, **data):
    return client.post(suivi(action), data)


# --- Who reaches the page ---------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, action):
    response = client.get(suivi(action))
    assert response.status_code == 302
    assert response["Location"].startswith("/connexion/")


@pytest.mark.parametrize("role", ["cabinet", "lecteur"])
def test_readers_of_the_departement_may_not_follow(client, action, role, request):
    client.force_login(request.getfixturevalue(role))
    assert client.get(suivi(action)).status_code == 403


def test_another_departements_pilotage_does_not_see_the_action(client, action, hautes_alpes):
    client.force_login(HabilitationFactory(departement=hautes_alpes, role="pilotage").user)
    assert client.get(suivi(action)).status_code == 404


def test_member_of_another_structure_reads_but_may_not_follow(client, action, seine_maritime):
    autre = MembreFactory(acteur=ActeurFactory(departement=seine_maritime), role="contributeur")
    client.force_login(autre.user)
    assert client.get(suivi(action)).status_code == 403


def test_a_draft_is_not_followed_yet(client, feuille, association, partenaire):
    brouillon = ActionFactory(axe=AxeFactory(feuille=feuille), porteur=association)
    client.force_login(partenaire)
    assert client.get(suivi(brouillon)).status_code == 403


def test_a_refused_action_of_a_signed_feuille_is_not_followed(client, association, pilotage):
    feuille = FeuilleDeRouteFactory(departement=association.departement)
    refusee = ActionFactory(axe=AxeFactory(feuille=feuille), porteur=association, refusee=True)
    signer(feuille)
    client.force_login(pilotage)
    assert client.get(suivi(refusee)).status_code == 403


@pytest.mark.parametrize("role", ["pilotage", "partenaire", "admin_structure"])
def test_pilotage_and_the_porteurs_members_follow(client, action, role, request):
    client.force_login(request.getfixturevalue(role))
    response = client.get(suivi(action))
    assert response.status_code == 200
    assert 'value="avancement"' in texte(response)


# --- Status -----------------------------------------------------------------------------


def test_running_then_done_records_each_step(client, action, partenaire):
    client.force_login(partenaire)
    assert poster(client, action, formulaire="statut", vers="en_cours").status_code == 302
    assert poster(client, action, formulaire="statut", vers="terminee").status_code == 302
    action.refresh_from_db()
    assert action.statut == S.TERMINEE
    etapes = list(Transition.objects.filter(action=action).values_list("de", "vers", "par"))
    assert etapes == [
        (S.VALIDEE, S.EN_COURS, partenaire.pk),
        (S.EN_COURS, S.TERMINEE, partenaire.pk),
    ]
    assert Evenement.objects.filter(nature="action.transition", objet_id=action.pk).count() == 2


def test_abandon_needs_a_reason(client, action, pilotage):
    client.force_login(pilotage)
    response = poster(client, action, formulaire="statut", vers="abandonnee", commentaire=" ")
    assert response.status_code == 200
    assert "Indiquez le motif de l'abandon" in texte(response)
    action.refresh_from_db()
    assert action.statut == S.VALIDEE
    assert not Transition.objects.exists()

    poster(client, action, formulaire="statut", vers="abandonnee", commentaire="Plus de local.")
    action.refresh_from_db()
    assert action.statut == S.ABANDONNEE
    assert Transition.objects.get().commentaire == "Plus de local."


def test_a_move_outside_the_table_is_refused(client, action, pilotage):
    client.force_login(pilotage)
    response = poster(client, action, formulaire="statut", vers="terminee")
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in texte(response)
    action.refresh_from_db()
    assert action.statut == S.VALIDEE


def test_follow_up_goes_on_after_the_feuille_is_signed(client, association, partenaire):
    feuille = FeuilleDeRouteFactory(departement=association.departement)
    action = ActionFactory(axe=AxeFactory(feuille=feuille), porteur=association, validee=True)
    indicateur = IndicateurFactory(action=action)
    signer(feuille)
    client.force_login(partenaire)
    poster(client, action, formulaire="statut", vers="en_cours")
    poster(client, action, formulaire="mesures", **{f"mesure_{indicateur.pk}_2026": "7"})
    action.refresh_from_db()
    assert action.statut == S.EN_COURS
    assert Mesure.objects.get(indicateur=indicateur, annee=2026).valeur == 7


# --- Progress, milestones, values, amounts ----------------------------------------------


@pytest.mark.parametrize("valeur", ["150", "-1", "beaucoup"])
def test_progress_is_a_percentage(client, action, partenaire, valeur):
    client.force_login(partenaire)
    response = poster(client, action, formulaire="avancement", avancement=valeur)
    assert response.status_code == 200
    assert 'aria-invalid="true"' in texte(response)
    action.refresh_from_db()
    assert action.avancement == 0


def test_progress_is_recorded_and_journalled(client, action, partenaire):
    client.force_login(partenaire)
    poster(client, action, formulaire="avancement", avancement="40")
    action.refresh_from_db()
    assert action.avancement == 40
    entree = Evenement.objects.get(nature="suivi.avancement")
    assert entree.changements["avancement"]["apres"] == "40 %"


def test_a_milestone_reached(client, action, partenaire):
    jalon = JalonFactory(action=action)
    client.force_login(partenaire)
    poster(client, action, formulaire="jalons", **{f"jalon_{jalon.pk}": "2026-03-04"})
    jalon.refresh_from_db()
    assert str(jalon.atteint_le) == "2026-03-04"


def test_indicator_values_say_who_entered_them(client, action, partenaire):
    indicateur = IndicateurFactory(action=action)
    client.force_login(partenaire)
    poster(client, action, formulaire="mesures", **{f"mesure_{indicateur.pk}_2027": "12,5"})
    mesure = Mesure.objects.get()
    assert (mesure.annee, mesure.valeur, mesure.saisie_par) == (2027, Decimal("12.5"), partenaire)


def test_a_negative_value_changes_nothing(client, action, partenaire):
    indicateur = IndicateurFactory(action=action)
    client.force_login(partenaire)
    response = poster(
        client, action, formulaire="mesures", **{f"mesure_{indicateur.pk}_2026": "-3"}
    )
    assert response.status_code == 200
    assert not Mesure.objects.exists()


def test_pilotage_records_what_was_paid_up_to_what_was_granted(client, action, pilotage):
    financement = FinancementFactory(action=action, montant_accorde=Decimal("10000"))
    client.force_login(pilotage)
    trop = poster(client, action, formulaire="versements", **{f"verse_{financement.pk}": "10001"})
    assert "dépasse le montant accordé" in texte(trop)
    financement.refresh_from_db()
    assert financement.montant_verse is None

    poster(client, action, formulaire="versements", **{f"verse_{financement.pk}": "8 000,50"})
    financement.refresh_from_db()
    assert financement.montant_verse == Decimal("8000.50")


def test_the_porteur_does_not_record_payments(client, action, partenaire):
    financement = FinancementFactory(action=action, montant_accorde=Decimal("10000"))
    client.force_login(partenaire)
    response = poster(client, action, formulaire="versements", **{f"verse_{financement.pk}": "1"})
    assert response.status_code == 403
    financement.refresh_from_db()
    assert financement.montant_verse is None


# --- Bilans -----------------------------------------------------------------------------


def test_an_actions_yearly_bilan(client, action, partenaire):
    client.force_login(partenaire)
    url = reverse("actions:bilan_action", args=[action.pk, 2026])
    vide = client.post(url, {"realisations": ""})
    assert "Décrivez les réalisations de l'année." in texte(vide)
    client.post(url, {"realisations": "Trente personnes", "difficultes": "Locaux"})
    bilan = BilanAnnuel.objects.get()
    assert (bilan.action, bilan.annee, bilan.redige_par) == (action, 2026, partenaire)


def test_no_bilan_outside_the_period(client, action, partenaire):
    client.force_login(partenaire)
    assert client.get(reverse("actions:bilan_action", args=[action.pk, 2030])).status_code == 404


def test_the_axes_bilan_shows_its_actions_bilans_and_progress(client, action, pilotage, lecteur):
    indicateur = IndicateurFactory(action=action, cible=Decimal("40"))
    Mesure.objects.create(indicateur=indicateur, annee=2026, valeur=10, saisie_par=pilotage)
    BilanAnnuel.objects.create(
        action=action, annee=2026, realisations="Ateliers", redige_par=pilotage
    )
    url = reverse("actions:bilan_axe", args=[action.axe.pk, 2026])
    client.force_login(pilotage)
    client.post(url, {"realisations": "Un axe bien lancé"})
    assert BilanAnnuel.objects.get(axe=action.axe).realisations == "Un axe bien lancé"

    client.force_login(lecteur)
    page = client.get(url).content.decode()
    assert "Un axe bien lancé" in page
    assert "Ateliers" in page
    assert "25 %" in page  # 10 of a target of 40
    assert client.post(url, {"realisations": "Autre"}).status_code == 403


def test_the_axes_bilan_hides_other_structures_drafts(client, action, partenaire, seine_maritime):
    autre = ActeurFactory(departement=seine_maritime)
    ActionFactory(axe=action.axe, porteur=autre, titre="Brouillon d'un autre")
    client.force_login(partenaire)
    page = client.get(reverse("actions:bilan_axe", args=[action.axe.pk, 2026])).content.decode()
    assert action.titre in page
    assert "Brouillon d'un autre" not in page


def test_the_axes_bilan_of_another_departement_does_not_exist(client, action, hautes_alpes):
    client.force_login(HabilitationFactory(departement=hautes_alpes, role="pilotage").user)
    url = reverse("actions:bilan_axe", args=[action.axe.pk, 2026])
    assert client.get(url).status_code == 404


def test_one_screens_values_are_written_all_or_none(action, partenaire):
    from django.core.exceptions import ValidationError

    from actions.services.suivi import saisir_mesures

    indicateur = IndicateurFactory(action=action)
    with pytest.raises(ValidationError, match="hors de la période"):
        saisir_mesures(
            [(indicateur, 2026, Decimal("3")), (indicateur, 2040, Decimal("4"))], by=partenaire
        )
    assert not Mesure.objects.exists()


def test_nothing_is_paid_where_nothing_was_granted(client, action, pilotage):
    financement = FinancementFactory(action=action)
    client.force_login(pilotage)
    response = poster(client, action, formulaire="versements", **{f"verse_{financement.pk}": "5"})
    assert "Rien n'a été accordé : rien ne peut être versé." in texte(response)
    financement.refresh_from_db()
    assert financement.montant_verse is None


def test_the_same_move_sent_again_after_the_first_says_it_is_done(client, action, pilotage):
    client.force_login(pilotage)
    premier = poster(client, action, formulaire="statut", vers="en_cours", commentaire="")
    assert premier.status_code == 302
    repetition = client.post(
        suivi(action), {"formulaire": "statut", "vers": "en_cours", "commentaire": ""}, follow=True
    )
    assert "Cette action est déjà en cours." in texte(repetition)
    assert action.transitions.count() == 1
