"""The plan's demo: both départements, every status, coherent money, run twice unchanged."""

import io

import pytest
from django.core.management import call_command
from django.db.models import F, Q
from django.urls import reverse

from actions.models import (
    Action,
    CommentaireConsultation,
    Contrat,
    FeuilleDeRoute,
    Financement,
    Indicateur,
    Jalon,
    Mesure,
    StatistiqueContexte,
    Transition,
)

MODELES = (
    FeuilleDeRoute, Action, Financement, Indicateur, Mesure, Jalon, Transition,
    CommentaireConsultation, Contrat, StatistiqueContexte,
)  # fmt: skip


def _compter():
    return [m.objects.count() for m in MODELES]


def test_demo_idempotente(demo):
    avant = _compter()
    call_command("load_demo", stdout=io.StringIO())
    assert _compter() == avant


@pytest.mark.parametrize("code", ["76", "05"])
def test_chaque_departement_a_sa_feuille_et_des_actions_de_tous_statuts(demo, code):
    feuille = FeuilleDeRoute.objects.get(departement__code=code)
    assert (feuille.annee_debut, feuille.annee_fin) == (2026, 2028)
    assert feuille.axes.count() == 9
    actions = feuille.actions.all()
    assert 25 <= actions.count() <= 35
    assert set(actions.values_list("statut", flat=True)) == set(Action.Statut.values)
    assert not actions.filter(territoires=None).exists()
    assert not actions.filter(financements=None).exists()
    assert actions.filter(partenaires__isnull=False).exists()
    assert actions.filter(publics__isnull=False).exists()
    assert Mesure.objects.filter(indicateur__action__feuille=feuille).exists()
    assert Jalon.objects.filter(action__feuille=feuille).exists()


def test_montants_coherents(demo):
    assert not Financement.objects.filter(
        Q(montant_accorde__gt=F("montant_demande")) | Q(montant_verse__gt=F("montant_accorde"))
    ).exists()
    assert Financement.objects.filter(montant_verse__gt=0).exists()


def test_consultation_contrat_et_chiffres_de_contexte(demo):
    feuille_76 = FeuilleDeRoute.objects.get(departement__code="76")
    assert feuille_76.statut == FeuilleDeRoute.Statut.CONSULTATION
    assert feuille_76.commentaires.count() >= 2
    contrat = Contrat.objects.get(departement__code="76")
    assert contrat.signataire.nom == "Métropole Rouen Normandie"
    chiffres = dict(
        StatistiqueContexte.objects.filter(departement__code="05", annee=2018).values_list(
            "indicateur", "valeur"
        )
    )
    assert chiffres == {"premiers_titres": 312, "dont_bpi": 21, "renouvellements": 543}
    assert StatistiqueContexte.objects.values("annee").distinct().count() >= 3


def test_le_partenaire_de_demo_a_des_brouillons_et_une_action_a_completer(demo):
    miennes = Action.objects.filter(cree_par__email="partenaire@demo.gouv.fr")
    assert miennes.filter(statut="brouillon").count() >= 2
    retour = miennes.get(statut="a_completer")
    assert retour.transitions.filter(vers="a_completer").exclude(commentaire="").exists()


def test_les_pages_du_plan_s_ouvrent_sur_la_demo(client, demo):
    from acteurs.models import User

    for email in ("pilotage@demo.gouv.fr", "partenaire@demo.gouv.fr", "lecteur@demo.gouv.fr"):
        client.force_login(User.objects.get(email=email))
        for nom in ("actions:liste", "actions:tableau_de_bord"):
            assert client.get(reverse(nom)).status_code == 200
