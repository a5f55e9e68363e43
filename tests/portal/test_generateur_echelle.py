"""`manage.py generate_scale_data`: départements as busy as real ones, deterministic, with
every derived field set and the database's verrous met as the real flow meets them.

At small scale (two départements, fewer actors and actions), built once for the module."""

from collections import Counter
from types import SimpleNamespace

import pytest
from django.core.management import CommandError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from acteurs.models import Acteur, Departement, Habilitation, Territoire, User, cle_de_recherche
from acteurs.regions import region_du_departement
from actions.models import Action, FeuilleDeRoute
from comites.models import Convocation, Instance, Seance
from portal import echelle
from tests.donnees_partagees import une_fois_par_module
from tests.portal.echelle import generer_petit


def creer_monde():
    return SimpleNamespace(sortie=generer_petit(seed=1))


_donnees_du_module, monde = une_fois_par_module(creer_monde)


def test_it_says_what_it_made_and_how_long_it_took(monde):
    assert "2 département(s) générés." in monde.sortie
    assert "acteurs.Acteur                              40" in monde.sortie
    assert "actions.Action                              30" in monde.sortie
    assert "Durée :" in monde.sortie and "territoires" in monde.sortie
    assert echelle.MOT_DE_PASSE in monde.sortie


def test_each_departement_holds_the_volumes_asked(monde):
    for departement in Departement.objects.all():
        assert departement.acteurs.count() == 20
        actions = Action.objects.filter(feuille__departement=departement)
        assert actions.count() == 15
        assert set(actions.values_list("statut", flat=True)) == set(Action.Statut.values)
        assert departement.feuilles_de_route.filter(statut="signee").count() == 1
        assert Instance.objects.filter(departement=departement).count() == 6
        seances = Seance.objects.filter(instance__departement=departement)
        assert seances.count() == 12
        assert {"close", "convoquee", "annulee"} <= set(seances.values_list("statut", flat=True))
        convocations = Convocation.objects.filter(seance__instance__departement=departement)
        assert 5 <= convocations.count() / seances.count() <= 8
    par_role = Counter(Habilitation.objects.values_list("role", "perimetre"))
    assert par_role == {
        ("pilotage", "departement"): 2,
        ("cabinet", "departement"): 2,
        ("lecteur", "france"): 1,
        ("lecteur", "region"): 1,
    }


def test_derived_fields_are_set_as_save_would(monde):
    for departement in Departement.objects.all():
        assert departement.region == region_du_departement(departement.code) != ""
        assert Territoire.objects.filter(departements=departement, type="commune").count() > 100
    for acteur in Acteur.objects.all():
        assert acteur.recherche == cle_de_recherche(acteur.nom, acteur.sigle)
    # An action runs on territories of its own département.
    action = Action.objects.filter(territoires__isnull=False).first()
    assert action.territoires.filter(departements=action.feuille.departement_id).exists()


def test_a_signed_feuille_refuses_a_raw_update(monde):
    feuille = FeuilleDeRoute.objects.filter(statut="signee").first()
    with (
        pytest.raises(IntegrityError, match="signée"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE actions_feuillederoute SET titre = 'Autre' WHERE id = %s", [feuille.pk]
        )


def test_a_closed_seance_refuses_a_change_of_attendance(monde):
    convocation = Convocation.objects.filter(seance__statut="close").first()
    with (
        pytest.raises(IntegrityError),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE comites_convocation SET presence = 'absent' WHERE id = %s", [convocation.pk]
        )


def _pages():
    feuille = FeuilleDeRoute.objects.filter(departement__code="01", statut="signee").first()
    action = Action.objects.filter(feuille=feuille).first()
    seance = Seance.objects.filter(instance__departement__code="01", statut="close").first()
    return [
        reverse("tableau_de_bord"),
        reverse("acteurs:liste"),
        reverse("acteurs:detail", args=[action.porteur_id]),
        reverse("actions:liste"),
        reverse("actions:tableau_de_bord"),
        reverse("actions:index"),
        reverse("actions:feuille", args=[feuille.pk]),
        reverse("actions:detail", args=[action.pk]),
        reverse("comites:index"),
        reverse("comites:instance", args=[seance.instance_id]),
        reverse("comites:seance", args=[seance.pk]),
    ]


@pytest.mark.parametrize(
    "compte", [f"pilotage.01@{echelle.DOMAINE}", f"lecteur.national@{echelle.DOMAINE}"]
)
def test_the_pages_render_for_generated_accounts(monde, client, compte):
    user = User.objects.get(email=compte)
    assert user.check_password(echelle.MOT_DE_PASSE)  # the documented one
    client.force_login(user)
    for page in _pages():
        assert client.get(page).status_code == 200, page


def test_it_refuses_a_database_holding_other_data_unless_forced(monde):
    User.objects.create_user("agent@prefecture.gouv.fr")

    with pytest.raises(CommandError, match="ne viennent pas de ce générateur.*--force"):
        generer_petit(departements=3)
    assert not Departement.objects.filter(code="03").exists()

    sortie = generer_petit(departements=3, force=True)
    assert "2 département(s) déjà présent(s), laissé(s) tel(s) quel(s) : 01, 02." in sortie
    assert "1 département(s) générés." in sortie
    assert Acteur.objects.filter(departement__code="03").count() == 20
