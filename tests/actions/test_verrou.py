"""A signed feuille de route is frozen by the database itself (raw SQL, past the ORM), while
its follow-up goes on; and by the services, with the French message of `actions.verrou`."""

from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from actions.models import Action, BilanAnnuel, FeuilleDeRoute, PublicCible
from tests.acteurs.factories import ActeurFactory, TerritoireFactory, UserFactory
from tests.actions.factories import (
    ActionFactory,
    AxeFactory,
    FeuilleDeRouteFactory,
    FinancementFactory,
    IndicateurFactory,
    JalonFactory,
    MesureFactory,
    PartenariatFactory,
)


def signer_en_base(feuille):
    FeuilleDeRoute.objects.filter(pk=feuille.pk).update(
        statut="signee", signee_le=timezone.now(), signee_par=UserFactory()
    )
    feuille.refresh_from_db()


def feuille_signee_et_son_contenu(departement) -> dict:
    """A signed feuille with one validated action and all its content."""
    feuille = FeuilleDeRouteFactory(departement=departement)
    axe = AxeFactory(feuille=feuille)
    action = ActionFactory(axe=axe, validee=True)
    PartenariatFactory(action=action)
    action.publics.add(PublicCible.objects.first())
    action.territoires.add(TerritoireFactory())
    financement = FinancementFactory(action=action, montant_accorde=1000)
    indicateur = IndicateurFactory(action=action)
    jalon = JalonFactory(action=action)
    signer_en_base(feuille)
    return {"feuille": feuille, "axe": axe, "action": action, "financement": financement,
            "indicateur": indicateur, "jalon": jalon}  # fmt: skip


@pytest.fixture
def signee(seine_maritime):
    return feuille_signee_et_son_contenu(seine_maritime)


REFUS = [
    "UPDATE actions_feuillederoute SET titre = 'Autre' WHERE id = {feuille}",
    "UPDATE actions_feuillederoute SET statut = 'brouillon' WHERE id = {feuille}",
    "DELETE FROM actions_feuillederoute WHERE id = {feuille}",
    "INSERT INTO actions_axe (feuille_id, ordre, code, libelle, description) "
    "VALUES ({feuille}, 99, '', 'Nouvel axe', '')",
    "UPDATE actions_axe SET libelle = 'Autre' WHERE id = {axe}",
    "DELETE FROM actions_axe WHERE id = {axe}",
    "UPDATE actions_action SET titre = 'Autre' WHERE id = {action}",
    "UPDATE actions_action SET description = 'Autre' WHERE id = {action}",
    "UPDATE actions_action SET porteur_id = {autre_acteur} WHERE id = {action}",
    "UPDATE actions_action SET date_fin = '2030-01-01' WHERE id = {action}",
    "UPDATE actions_action SET statut = 'brouillon' WHERE id = {action}",
    "UPDATE actions_action SET statut = 'terminee' WHERE id = {action}",  # skips en cours
    "DELETE FROM actions_action WHERE id = {action}",
    "INSERT INTO actions_partenariat (action_id, acteur_id, role) "
    "VALUES ({action}, {autre_acteur}, '')",
    "UPDATE actions_partenariat SET role = 'Autre' WHERE action_id = {action}",
    "DELETE FROM actions_partenariat WHERE action_id = {action}",
    "DELETE FROM actions_action_publics WHERE action_id = {action}",
    "UPDATE actions_financement SET montant_demande = 1 WHERE id = {financement}",
    "UPDATE actions_financement SET montant_accorde = 10 WHERE id = {financement}",
    "UPDATE actions_financement SET source = 'fami' WHERE id = {financement}",
    "UPDATE actions_financement SET annee = 2027 WHERE id = {financement}",
    "DELETE FROM actions_financement WHERE id = {financement}",
    "INSERT INTO actions_financement (action_id, source, annee, montant_demande) "
    "VALUES ({action}, 'fami', 2026, 5)",
    "UPDATE actions_indicateur SET cible = 1 WHERE id = {indicateur}",
    "UPDATE actions_indicateur SET libelle = 'Autre' WHERE id = {indicateur}",
    "DELETE FROM actions_indicateur WHERE id = {indicateur}",
    "UPDATE actions_jalon SET date_prevue = '2027-01-01' WHERE id = {jalon}",
    "DELETE FROM actions_jalon WHERE id = {jalon}",
]


def _ids(signee):
    return {cle: objet.pk for cle, objet in signee.items()} | {
        "autre_acteur": ActeurFactory(departement=signee["feuille"].departement).pk
    }


@pytest.mark.parametrize("sql", REFUS)
def test_la_base_refuse_de_changer_une_feuille_signee(signee, sql):
    ids = _ids(signee)
    with (
        pytest.raises(IntegrityError, match="signée"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql.format(**ids))


SUIVI = [
    "UPDATE actions_action SET statut = 'en_cours', avancement = 40 WHERE id = {action}",
    "UPDATE actions_action SET statut = 'abandonnee' WHERE id = {action}",
    "UPDATE actions_financement SET montant_verse = 500 WHERE id = {financement}",
    "UPDATE actions_jalon SET atteint_le = '2026-04-01' WHERE id = {jalon}",
]


@pytest.mark.parametrize("sql", SUIVI)
def test_le_suivi_d_une_feuille_signee_continue(signee, sql):
    with connection.cursor() as cursor:
        cursor.execute(sql.format(**_ids(signee)))
        assert cursor.rowcount == 1


def test_mesures_et_bilans_s_ajoutent_a_une_feuille_signee(signee):
    action = signee["action"]
    Action.objects.filter(pk=action.pk).update(statut="en_cours")
    Action.objects.filter(pk=action.pk).update(statut="terminee", avancement=100)
    MesureFactory(indicateur=signee["indicateur"])
    BilanAnnuel.objects.create(
        action=action, annee=2026, realisations="Douze ateliers.", redige_par=UserFactory()
    )


def test_une_feuille_non_signee_reste_modifiable_en_base(seine_maritime):
    action = ActionFactory(axe=AxeFactory(feuille=FeuilleDeRouteFactory()))
    with connection.cursor() as cursor:
        cursor.execute("UPDATE actions_action SET titre = 'Autre' WHERE id = %s", [action.pk])
        cursor.execute("DELETE FROM actions_action WHERE id = %s", [action.pk])
    assert not Action.objects.filter(pk=action.pk).exists()


def test_les_verrous_reviennent_apres_migrate(signee):
    from integration import verrou

    verrou.retirer_tout(connection)
    verrou.installer_apres_migrate(using="default")
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.filter(pk=signee["action"].pk).update(date_debut=date(2026, 1, 1))


def test_l_administration_montre_le_plan_sans_rien_changer(client, signee):
    from django.urls import reverse

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    objets = {"feuillederoute": signee["feuille"], "axe": signee["axe"],
              "action": signee["action"], "financement": signee["financement"],
              "indicateur": signee["indicateur"], "jalon": signee["jalon"]}  # fmt: skip
    for nom, objet in objets.items():
        assert client.get(reverse(f"admin:actions_{nom}_changelist")).status_code == 200
        page = client.get(reverse(f"admin:actions_{nom}_change", args=[objet.pk]))
        assert page.status_code == 200, nom
        assert 'type="submit"' not in page.content.decode().split('id="content-main"')[1], nom
        assert (
            client.post(reverse(f"admin:actions_{nom}_change", args=[objet.pk]), {}).status_code
            == 403
        )
        assert client.get(reverse(f"admin:actions_{nom}_add")).status_code == 403
        assert (
            client.post(reverse(f"admin:actions_{nom}_delete", args=[objet.pk])).status_code == 403
        )
