"""The plan's data rules that the database itself keeps, and who reads which action."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from acteurs.access_core import VerbeInconnu
from actions import access
from actions.models import Action, FeuilleDeRoute, Transition
from tests.acteurs.factories import HabilitationFactory, MembreFactory, UserFactory
from tests.actions.factories import (
    ActionFactory,
    AxeFactory,
    FeuilleDeRouteFactory,
    FinancementFactory,
    PartenariatFactory,
)


def _refuse(**champs):
    with pytest.raises(IntegrityError), transaction.atomic():
        FinancementFactory(**champs)


def test_un_financement_ne_verse_pas_plus_qu_il_n_accorde_ni_n_accorde_plus_qu_on_demande(db):
    _refuse(montant_demande=Decimal("100"), montant_accorde=Decimal("150"))
    _refuse(montant_demande=Decimal("100"), montant_accorde=Decimal("80"), montant_verse=90)
    _refuse(montant_demande=Decimal("100"), montant_verse=Decimal("10"))  # nothing granted
    FinancementFactory(montant_demande=100, montant_accorde=80, montant_verse=80)


def test_un_retour_ou_un_refus_sans_motif_est_refuse_par_la_base(db):
    action = ActionFactory(soumise=True)
    user = UserFactory()
    for vers in ("a_completer", "refusee", "abandonnee"):
        with pytest.raises(IntegrityError), transaction.atomic():
            Transition.objects.create(action=action, de="soumise", vers=vers, par=user)
    Transition.objects.create(action=action, de="soumise", vers="validee", par=user)


def test_une_action_en_attente_dit_depuis_quand(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionFactory(statut=Action.Statut.SOUMISE, soumise_le=None)


def test_une_signature_dit_qui_et_quand(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        FeuilleDeRouteFactory(statut=FeuilleDeRoute.Statut.SIGNEE)


@pytest.fixture
def plan(seine_maritime):
    axe = AxeFactory(feuille=FeuilleDeRouteFactory(departement=seine_maritime))
    brouillon = ActionFactory(axe=axe, titre="Brouillon de A")
    soumise = ActionFactory(axe=axe, porteur=brouillon.porteur, soumise=True)
    validee = ActionFactory(axe=axe, validee=True)
    partenaire_de_soumise = PartenariatFactory(action=soumise).acteur
    return {"brouillon": brouillon, "soumise": soumise, "validee": validee,
            "partenaire": partenaire_de_soumise}  # fmt: skip


def _visibles(user):
    return {a.titre for a in access.actions_visible_to(user)}


def test_qui_lit_quelles_actions(plan, seine_maritime):
    b, s, v = plan["brouillon"], plan["soumise"], plan["validee"]
    pilotage = HabilitationFactory(departement=seine_maritime, role="pilotage").user
    lecteur = HabilitationFactory(departement=seine_maritime, role="lecteur").user
    porteur = MembreFactory(acteur=b.porteur, role="contributeur").user
    associe = MembreFactory(acteur=plan["partenaire"], role="lecteur").user
    autre = MembreFactory(acteur=v.porteur, role="contributeur").user
    assert _visibles(pilotage) == {b.titre, s.titre, v.titre}
    assert _visibles(lecteur) == {s.titre, v.titre}
    assert _visibles(porteur) == {b.titre, s.titre, v.titre}
    assert _visibles(associe) == {s.titre, v.titre}
    assert _visibles(autre) == {v.titre}  # never another partner's draft or submission
    b.feuille.statut = FeuilleDeRoute.Statut.CONSULTATION
    b.feuille.save()
    assert _visibles(autre) == {s.titre, v.titre}  # a consultation shows what is submitted
    assert _visibles(UserFactory()) == set()
    for user in (pilotage, lecteur, porteur, associe, autre):
        for action in (b, s, v):
            assert access.can(user, "voir", action) is (action.titre in _visibles(user))


def test_un_verbe_inconnu_leve(plan, seine_maritime):
    pilotage = HabilitationFactory(departement=seine_maritime, role="pilotage").user
    with pytest.raises(VerbeInconnu):
        access.can(pilotage, "supprimer", plan["brouillon"])
