"""The séance page: its query count for pilotage and for a convened partner, its side
forms re-rendered in place when refused, the confirmation pages before closing and
cancelling, and the warnings about a date on a weekend or in the past."""

import html
import re
from collections import Counter
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import FeuilleDeRoute
from comites import services
from comites.models import Seance
from tests.acteurs.factories import ActeurFactory, HabilitationFactory, UserFactory
from tests.actions.factories import ActionFactory, FeuilleDeRouteFactory
from tests.comites.factories import (
    ConvocationFactory,
    DecisionFactory,
    PersonneFactory,
    SeanceFactory,
    SiegeFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def seance(copil, pilotage):
    return SeanceFactory(instance=copil, statut=Seance.Statut.CONVOQUEE, organisateur=pilotage)


@pytest.fixture
def partenaire(seance):
    user = UserFactory()
    personne = PersonneFactory(departement=seance.instance.departement, user=user)
    ConvocationFactory(seance=seance, personne=personne)
    return user


def _remplir(seance, n):
    feuille = FeuilleDeRouteFactory(departement=seance.instance.departement)
    for _ in range(n):
        SiegeFactory(instance=seance.instance)
        acteur = ActeurFactory(departement=seance.instance.departement)
        ConvocationFactory(seance=seance, acteur=acteur)
        DecisionFactory(seance=seance).actions.add(ActionFactory(axe__feuille=feuille))
        point = services.ajouter_point(seance, titre=f"Point {seance.points.count() + 1}")
        point.actions.add(ActionFactory(axe__feuille=feuille))


# --- Queries ----------------------------------------------------------------------------

# Every permission check of the page used to look the user's convocation up again (24
# queries); it is now read once per séance object.
REQUETES = {"pilotage": 14, "partenaire": 8}


@pytest.mark.parametrize("qui", sorted(REQUETES))
def test_the_seance_page_costs_a_fixed_number_of_queries(
    client, seance, pilotage, partenaire, qui, django_assert_num_queries
):
    _remplir(seance, 6)
    client.force_login(pilotage if qui == "pilotage" else partenaire)
    client.get(seance.get_absolute_url())  # the session and the profile, once
    with django_assert_num_queries(REQUETES[qui]):
        page = client.get(seance.get_absolute_url())
    assert page.status_code == 200
    assert ("Ajouter un point" in page.content.decode()) == (qui == "pilotage")
    assert ("Ma réponse" in page.content.decode()) == (qui == "partenaire")


def test_the_seance_page_costs_the_same_with_three_times_the_actions(
    client, seance, pilotage, django_assert_num_queries
):
    """The decision's and the point's actions are offered from one query each, whatever
    the number of actions of the département."""
    _remplir(seance, 3)
    client.force_login(pilotage)
    client.get(seance.get_absolute_url())  # the session and the profile, once
    with django_assert_num_queries(REQUETES["pilotage"]):
        client.get(seance.get_absolute_url())
    feuille = FeuilleDeRoute.objects.get(departement=seance.instance.departement)
    for _ in range(12):
        ActionFactory(axe__feuille=feuille)
    with django_assert_num_queries(REQUETES["pilotage"]):
        page = client.get(seance.get_absolute_url()).content.decode()
    # The 6 actions of the points and decisions and the 12 more, in both lists.
    assert page.count('<option value="') >= 2 * 18


def test_no_two_elements_of_the_seance_page_share_an_id(client, seance, pilotage):
    client.force_login(pilotage)
    page = client.get(seance.get_absolute_url()).content.decode()
    ids = Counter(re.findall(r'\sid="([^"]+)"', page))
    assert [i for i, n in ids.items() if n > 1] == []
    # The two lists of actions, the agenda point's and the decision's, each its label.
    for prefixe in ("point", "decision"):
        assert f'<label class="fr-label" for="id_{prefixe}-actions">' in page


# --- Side forms refused: the page again, the form as typed --------------------------------

REFUS = {
    # name: (url name, what is typed, a value that must come back, the error shown)
    "point": ("point_ajouter", {"point-description": "Sans titre"}, "Sans titre", "obligatoire"),
    "invite": (
        "invite_ajouter",
        {"invite-nom": "Inès Moreau", "invite-courriel": "pas-une-adresse"},
        'value="Inès Moreau"',
        "adresse de courriel valide",
    ),
    "horaires": (
        "seance_modifier",
        {
            "horaires-debut": "2027-03-02T09:30",
            "horaires-fin": "2027-03-02T09:00",
            "horaires-lieu": "Salle Nord",
        },  # fmt: skip
        'value="Salle Nord"',
        "La fin de la séance doit suivre son début.",
    ),
    "decision": (
        "decision_ajouter",
        {"decision-texte": "Lancer un groupe santé", "decision-responsable": ""},
        "Lancer un groupe santé",
        "obligatoire",
    ),
}


@pytest.mark.parametrize("nom", sorted(REFUS))
def test_a_refused_side_form_comes_back_open_with_its_input(client, seance, pilotage, nom):
    if nom == "decision":  # decisions are written once the séance is held
        Seance.objects.filter(pk=seance.pk).update(statut=Seance.Statut.TENUE)
    url_name, donnees, garde, erreur = REFUS[nom]
    client.force_login(pilotage)
    avant = (seance.points.count(), seance.convocations.count(), seance.decisions.count())
    response = client.post(reverse(f"comites:{url_name}", args=[seance.pk]), donnees)
    assert response.status_code == 400
    page = response.content.decode()
    ancre = f"section-{nom}"
    assert re.search(rf'<details [^>]*id="{ancre}" open>', page)
    assert garde in page and erreur in page
    # The other sections stay closed, and one field has the focus: the first one in error.
    assert len(re.findall(r"<details [^>]* open>", page)) == 1
    assert len(re.findall(r"\sautofocus", page)) == 1
    seance.refresh_from_db()
    after = (seance.points.count(), seance.convocations.count(), seance.decisions.count())
    assert after == avant and seance.sequence == 0


def test_a_refusal_of_the_service_also_comes_back_in_the_form(client, seance, pilotage):
    deja = ConvocationFactory(seance=seance)
    client.force_login(pilotage)
    url = reverse("comites:invite_ajouter", args=[seance.pk])
    donnees = {"invite-nom": deja.personne.nom, "invite-courriel": deja.personne.courriel}
    response = client.post(url, donnees)
    assert response.status_code == 400
    page = response.content.decode()
    assert "est déjà convoqué à cette séance" in page
    assert re.search(r'<details [^>]*id="section-invite" open>', page)
    assert seance.convocations.count() == 1


def test_a_side_form_accepted_goes_back_to_its_section(client, seance, pilotage):
    client.force_login(pilotage)
    url = reverse("comites:point_ajouter", args=[seance.pk])
    response = client.post(url, {"point-titre": "Bilan de l'année"})
    assert response.status_code == 302
    assert response.url == seance.get_absolute_url() + "#section-point"
    assert seance.points.get().titre == "Bilan de l'année"


def test_a_partner_answer_refused_comes_back_with_its_input(client, seance, partenaire):
    client.force_login(partenaire)
    url = reverse("comites:repondre", args=[seance.pk])
    response = client.post(
        url, {"reponse-reponse": "represente", "reponse-represente_par_structure": "CCAS"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Indiquez qui vous représentera" in page and 'value="CCAS"' in page
    assert re.search(r'name="reponse-represente_par_nom"[^>]* autofocus', page)
    assert seance.convocations.get(personne__user=partenaire).reponse == "attente"


# --- Confirmation before closing and cancelling ----------------------------------------


@pytest.fixture
def tenue(copil, pilotage):
    seance = SeanceFactory(
        instance=copil, passee=True, statut=Seance.Statut.TENUE, organisateur=pilotage
    )
    ConvocationFactory.create_batch(2, seance=seance, presence="present")
    return seance


def test_closing_asks_for_confirmation_first(client, tenue, pilotage):
    client.force_login(pilotage)
    detail = client.get(tenue.get_absolute_url()).content.decode()
    url = reverse("comites:cloturer", args=[tenue.pk])
    assert f'<a class="fr-btn" href="{url}">Clore la séance</a>' in detail
    page = client.get(url)
    assert page.status_code == 200
    texte = page.content.decode()
    assert "2 présences enregistrées" in texte and "ne pourra pas être rouverte" in texte
    assert "Confirmer" in texte and f'href="{tenue.get_absolute_url()}">Retour</a>' in texte
    tenue.refresh_from_db()
    assert tenue.statut == Seance.Statut.TENUE  # the GET changed nothing
    client.post(url)
    tenue.refresh_from_db()
    assert tenue.statut == Seance.Statut.CLOSE
    # Sent again (a second tab): the séance is closed, the page says so, nothing breaks.
    assert client.post(url).status_code == 403
    assert client.get(url).status_code == 403


def test_the_service_refuses_a_second_closing_in_french(tenue, pilotage):
    services.cloturer(tenue, by=pilotage)
    with pytest.raises(Exception, match="déjà close"):
        services.cloturer(tenue, by=pilotage)


def test_cancelling_asks_for_confirmation_and_says_who_is_told(client, seance, pilotage):
    ConvocationFactory.create_batch(3, seance=seance, envoyee_le=timezone.now())
    client.force_login(pilotage)
    url = reverse("comites:seance_annuler", args=[seance.pk])
    page = html.unescape(client.get(url).content.decode())
    assert "Les 3 personnes convoquées recevront un courriel d'annulation" in page
    seance.refresh_from_db()
    assert seance.statut == Seance.Statut.CONVOQUEE
    client.post(url)
    seance.refresh_from_db()
    assert seance.statut == Seance.Statut.ANNULEE and seance.sequence == 1
    with pytest.raises(Exception, match="déjà annulée"):
        services.annuler(seance, by=pilotage, base_url="http://testserver/")


def test_the_confirmation_pages_are_only_for_the_organiser(client, seance, tenue, partenaire):
    lecteur = HabilitationFactory(departement=seance.instance.departement, role="lecteur").user
    annuler = reverse("comites:seance_annuler", args=[seance.pk])
    clore = reverse("comites:cloturer", args=[tenue.pk])
    assert client.get(annuler).url.startswith(reverse("login"))
    client.force_login(lecteur)
    assert client.get(annuler).status_code == 403 and client.get(clore).status_code == 403
    client.force_login(partenaire)  # convened to one, a stranger to the other
    assert client.get(annuler).status_code == 403 and client.get(clore).status_code == 404


# --- Warnings about the date ------------------------------------------------------------


def _local(*args):
    return timezone.make_aware(datetime(*args))


def test_warnings_about_a_weekend_or_past_date():
    samedi = _local(2099, 1, 3, 10, 0)  # a Saturday
    (avertissement,) = services.avertissements_date(samedi)
    assert "samedi" in avertissement
    passee = timezone.localtime() - timedelta(days=7)
    assert any("déjà passée" in a for a in services.avertissements_date(passee))
    assert services.avertissements_date(_local(2099, 1, 5, 10, 0)) == []  # a Monday


def test_planning_on_a_sunday_is_allowed_with_a_warning(client, copil, pilotage):
    client.force_login(pilotage)
    url = reverse("comites:seance_creer", args=[copil.pk])
    response = client.post(
        url,
        {"debut": "2099-01-04T09:30", "fin": "2099-01-04T12:00", "lieu": "Rouen"},
        follow=True,
    )
    assert copil.seances.count() == 1
    textes = [str(m) for m in response.context["messages"]]
    assert any("la séance tombe un dimanche" in t for t in textes)


def test_moving_to_a_past_date_is_allowed_with_a_warning(client, seance, pilotage):
    client.force_login(pilotage)
    hier = timezone.localtime() - timedelta(days=1)
    response = client.post(
        reverse("comites:seance_modifier", args=[seance.pk]),
        {
            "horaires-debut": hier.strftime("%Y-%m-%dT%H:%M"),
            "horaires-fin": (hier + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "horaires-lieu": "Rouen",
        },
        follow=True,
    )
    seance.refresh_from_db()
    assert seance.lieu == "Rouen"
    # Nobody convened yet: no word of invitations sent.
    assert "La séance est enregistrée." in [str(m) for m in response.context["messages"]]
    niveaux = {m.level_tag for m in response.context["messages"]}
    textes = " ".join(str(m) for m in response.context["messages"])
    assert "warning" in niveaux and "une date déjà passée" in textes


def test_le_meme_point_renvoye_n_est_ajoute_qu_une_fois(seance):
    """Sent again (a double click, back then « Ajouter » once more): one point, and said so;
    the same title with another description is another point."""
    from django.core.exceptions import ValidationError

    services.ajouter_point(seance, titre="Bilan", description="Les chiffres de l'année.")
    with pytest.raises(ValidationError, match="Ce point figure déjà à l'ordre du jour."):
        services.ajouter_point(seance, titre="Bilan", description="Les chiffres de l'année.")
    services.ajouter_point(seance, titre="Bilan", description="Les actions en retard.")
    assert list(seance.points.values_list("ordre", flat=True)) == [1, 2]
