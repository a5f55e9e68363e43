"""The plan's figures kept in the cache per département (actions.agregats): the same as
computed live, and never stale after a change a user made, whatever made it."""

from decimal import Decimal

import pytest
from django.urls import reverse

from acteurs.models import Departement, User
from actions import agregats, montants
from actions import tableau as calculs
from actions.filters import base
from actions.models import Action, Financement, Indicateur, JetonDesChiffres
from actions.services import circuit, suivi
from portal import echelle
from tests.acteurs.factories import HabilitationFactory
from tests.portal.echelle import generer_petit

S = Action.Statut
NATIONAL = f"lecteur.national@{echelle.DOMAINE}"
PILOTAGE = f"pilotage.01@{echelle.DOMAINE}"


class Perimetre:
    """The perimeter a page would have: the départements the user reads."""

    def __init__(self, user):
        from acteurs.access import profil
        from acteurs.models import Departement

        self.departement_ids = sorted(profil(user).departement_ids)
        self.est_france = profil(user).toute_la_france
        self.departements = list(Departement.objects.filter(pk__in=self.departement_ids))


def figures(chiffres, actions, perimetre) -> dict:
    axes = calculs.axes_du_perimetre(perimetre)
    return {
        "par axe": chiffres.par_axe_et_statut(axes),
        "financements": chiffres.financements(),
        "indicateurs": chiffres.indicateurs(axes),
        "attente": chiffres.attente(),
        "par département": chiffres.par_departement(perimetre.departements),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("email", [NATIONAL, PILOTAGE])
def test_les_chiffres_en_cache_sont_ceux_calcules_en_direct(email):
    generer_petit(departements=2)
    user = User.objects.get(email=email)
    perimetre = Perimetre(user)
    actions = base(user, perimetre)
    en_direct = figures(calculs.EnDirect(actions), actions, perimetre)
    assert en_direct["financements"].total.demande > 0  # something to agree on
    for _fois in range(2):  # computed, then read from the cache
        resume = agregats.resume(user, perimetre.departement_ids)
        assert resume is not None
        assert figures(resume, actions, perimetre) == en_direct
        assert resume.totaux() == montants.totaux(actions)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["cabinet", "communication", "lecteur"])
def test_chaque_role_d_un_departement_compte_en_cache_ce_que_sa_liste_montre(client, role):
    """The press office reads the plan but its drafts, as the cabinet and the readers do
    (`actions_visible_to`): its cached figures, and its home page, count what its list
    shows, not nothing."""
    generer_petit(departements=1)
    departement = Departement.objects.get()
    user = HabilitationFactory(departement=departement, role=role).user
    perimetre = Perimetre(user)
    actions = base(user, perimetre)
    resume = agregats.resume(user, perimetre.departement_ids)
    assert resume.nombre() == actions.count() > 0
    assert figures(resume, actions, perimetre) == figures(
        calculs.EnDirect(actions), actions, perimetre
    )
    client.force_login(user)
    accueil = client.get(reverse("tableau_de_bord")).content.decode()
    assert f'{actions.count()} actions</a> — <a href="' in accueil


@pytest.mark.django_db
def test_un_partenaire_est_calcule_en_direct():
    """A partner reads through their structure: no cached figures serve them."""
    generer_petit(departements=1)
    partenaire = User.objects.filter(adhesions__actif=True).first()
    departement = partenaire.adhesions.first().acteur.departement_id
    assert agregats.resume(partenaire, [departement]) is None


@pytest.mark.django_db
def test_un_lecteur_auteur_d_un_brouillon_est_calcule_en_direct():
    generer_petit(departements=1)
    national = User.objects.get(email=NATIONAL)
    ids = list(Perimetre(national).departement_ids)
    assert agregats.resume(national, ids) is not None
    brouillon = Action.objects.filter(statut=S.BROUILLON).first()
    brouillon.cree_par = national
    brouillon.save(update_fields=["cree_par"])
    national = User.objects.get(pk=national.pk)  # a new request
    assert agregats.resume(national, ids) is None


def _tableau(client):
    response = client.get(reverse("actions:tableau_de_bord"))
    assert response.status_code == 200
    return response.context


@pytest.mark.django_db
def test_le_tableau_de_bord_national_suit_chaque_ecriture(client):
    """The national reader's dashboard, read from the cache, shows every change pilotage
    makes through the services at the next load: a payment, a decision, a measure."""
    generer_petit(departements=2)
    national = User.objects.get(email=NATIONAL)
    pilotage = User.objects.get(email=PILOTAGE)
    client.force_login(national)
    avant = _tableau(client)
    assert _tableau(client)["financements"].total == avant["financements"].total  # cached

    # A payment on an adopted action of département 01.
    ligne = (
        Financement.objects.filter(
            action__statut__in=Action.ADOPTEES,
            action__feuille__departement__code="01",
            montant_accorde__gt=0,
        )
        .exclude(montant_verse=Decimal("1.00"))
        .order_by("pk")
        .first()
    )
    jeton = JetonDesChiffres.objects.get(departement__code="01").jeton
    ecart = Decimal("1.00") - (ligne.montant_verse or 0)
    suivi.enregistrer_versement(ligne, Decimal("1.00"), by=pilotage)
    assert JetonDesChiffres.objects.get(departement__code="01").jeton != jeton
    apres = _tableau(client)
    assert apres["financements"].total.verse == avant["financements"].total.verse + ecart

    def verse_de_01(page):
        return next(
            lig.montants.verse for lig in page["par_departement"] if lig.departement.code == "01"
        )

    assert verse_de_01(apres) == verse_de_01(avant) + ecart

    # A submitted action validated: one fewer waiting, its money now counted.
    soumise = (
        Action.objects.filter(statut=S.EN_INSTRUCTION, feuille__departement__code="01")
        .exclude(feuille__statut="signee")
        .order_by("pk")
        .first()
    )
    demande = sum(f.montant_demande for f in soumise.financements.all())
    circuit.changer_statut(soumise, S.VALIDEE, by=pilotage)
    valide = _tableau(client)
    assert valide["attente"]["nb"] == apres["attente"]["nb"] - 1
    assert valide["financements"].total.demande == apres["financements"].total.demande + demande
    # The home page's plan block reads the same figures.
    plan = client.get(reverse("tableau_de_bord")).context["plan"]
    assert plan["a_instruire"] == valide["attente"]["nb"]
    assert plan["nb"] == sum(ligne.actions for ligne in valide["par_departement"])

    # A measure entered on an indicator that had not reached its target: now it has.
    indicateur = next(
        i
        for i in Indicateur.objects.filter(
            cible__gt=0, action__statut=S.EN_COURS, action__feuille__departement__code="01"
        ).order_by("pk")
        if sum(m.valeur for m in i.mesures.all()) < i.cible
    )
    atteints = sum(axe.atteints for axe in valide["indicateurs"])
    annee = indicateur.action.feuille.annee_debut
    suivi.saisir_mesure(indicateur, annee, indicateur.cible, by=pilotage)
    assert sum(axe.atteints for axe in _tableau(client)["indicateurs"]) == atteints + 1
