"""The plan's dashboard: who reads it, what it adds up, that it agrees with the export."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import lxml.html
import pytest
from django.urls import reverse
from django.utils import timezone

from acteurs.models import Territoire
from actions.models import Action
from tests.acteurs.factories import DepartementFactory, HabilitationFactory, TerritoireFactory
from tests.actions.factories import (
    ActionFactory,
    FeuilleDeRouteFactory,
    FinancementFactory,
    IndicateurFactory,
    JalonFactory,
    MesureFactory,
)

TABLEAU = reverse("actions:tableau_de_bord")


def _decimal(texte: str) -> Decimal:
    return Decimal(texte.replace(",", "."))


ADOPTEES = {"Validée", "En cours", "Terminée"}
MONTANTS = ("demandé", "accordé", "versé")


def sommes_de_l_export(client) -> tuple[Decimal, Decimal, Decimal]:
    """The adopted actions' sums of the export's rows, which its total row repeats."""
    response = client.get(reverse("actions:exporter"), {"format": "csv"})
    texte = b"".join(response.streaming_content).decode("utf-8-sig")
    *lignes, total, _en_attente = csv.DictReader(io.StringIO(texte), delimiter=";")
    adoptees = [ligne for ligne in lignes if ligne["Statut"] in ADOPTEES]
    sommes = tuple(
        sum((_decimal(ligne[f"Montant {m} (€)"]) for ligne in adoptees), Decimal(0))
        for m in MONTANTS
    )
    assert sommes == tuple(_decimal(total[f"Montant {m} (€)"]) for m in MONTANTS)
    return sommes


def test_anonyme_et_compte_sans_departement(client, staff_user):
    assert client.get(TABLEAU).status_code == 302
    client.force_login(staff_user)
    assert client.get(TABLEAU).status_code == 403


def test_les_totaux_egalent_les_sommes_de_l_export(client, pilotage, partenaire, make_actions):
    make_actions(20)
    for user in (pilotage, partenaire):  # each sees its own actions, and the same sums
        client.force_login(user)
        total = client.get(TABLEAU).context["financements"].total
        assert (total.demande, total.accorde, total.verse) == sommes_de_l_export(client)
    assert total.demande > 0


def test_actions_par_axe_et_statut(client, pilotage, make_actions):
    make_actions(18)  # 9 statuses × 2 axes
    client.force_login(pilotage)
    response = client.get(TABLEAU)
    par_axe = {ligne.libelle: ligne for ligne in response.context["par_axe"]}
    assert par_axe["Langue"].total == 9 and par_axe["Emploi"].total == 9
    assert sum(sum(ligne.par_statut) for ligne in par_axe.values()) == 18
    assert all(n == 1 for n in par_axe["Langue"].par_statut[::2])
    assert 'width="100%"' in response.content.decode()  # the longest bar


def test_attente_d_instruction(client, pilotage, feuille):
    il_y_a = timezone.now() - timedelta(days=12)
    ActionFactory(axe=feuille.axes.first(), statut="soumise", soumise_le=il_y_a)
    ActionFactory(axe=feuille.axes.first(), soumise=True)
    client.force_login(pilotage)
    response = client.get(TABLEAU)
    assert response.context["attente"]["nb"] == 2
    assert response.context["attente"]["jours"] == 12
    assert "la plus ancienne attend depuis 12 jours" in response.content.decode()


def test_indicateurs(client, pilotage, make_actions):
    make_actions(2)  # target 10, value 5: 50 %
    client.force_login(pilotage)
    indicateurs = client.get(TABLEAU).context["indicateurs"]
    assert [(i.nb, i.atteints, i.moyenne) for i in indicateurs] == [(1, 0, 50), (1, 0, 50)]


def test_indicateurs_sommes_par_la_base(client, pilotage, feuille):
    """Yearly values add up against the target, each indicator capped at 100 %; one
    without any value counts at 0 % and not among the measured ones; none without target."""
    action = ActionFactory(axe=feuille.axes.get(libelle="Emploi"), validee=True)
    depasse = IndicateurFactory(action=action, cible=Decimal("10"))
    MesureFactory(indicateur=depasse, annee=2025, valeur=Decimal("8"))
    MesureFactory(indicateur=depasse, annee=2026, valeur=Decimal("7"))  # 150 % -> 100 %
    partiel = IndicateurFactory(action=action, cible=Decimal("40"))
    MesureFactory(indicateur=partiel, annee=2026, valeur=Decimal("10"))  # 25 %
    IndicateurFactory(action=action, cible=Decimal("5"))  # no value yet: 0 %
    sans_cible = IndicateurFactory(action=action, cible=Decimal("0"))
    MesureFactory(indicateur=sans_cible, valeur=Decimal("3"))
    client.force_login(pilotage)
    [emploi] = client.get(TABLEAU).context["indicateurs"]
    assert (emploi.libelle, emploi.nb, emploi.mesures, emploi.atteints) == ("Emploi", 3, 2, 1)
    assert emploi.moyenne == round((100 + 25 + 0) / 3)


def test_couverture_territoriale(client, pilotage, feuille, epci, make_actions, seine_maritime):
    autre_epci = TerritoireFactory(type=Territoire.Type.EPCI, code="200084952", nom="Le Havre")
    sans_action = TerritoireFactory(type=Territoire.Type.EPCI, code="247600596", nom="Yvetot")
    seine_maritime.territoires.add(autre_epci, sans_action)
    commune = TerritoireFactory(nom="Elbeuf", epci=epci)
    departement = TerritoireFactory(type=Territoire.Type.DEPARTEMENT, code="76", nom="S.-M.")
    make_actions(1, statuts=["en_cours"], territoire=commune)  # Langue, on Rouen
    make_actions(1, statuts=["en_cours"], territoire=departement)  # Langue, everywhere
    make_actions(1, statuts=["validee"], territoire=autre_epci)  # not running: not counted
    # Yvetot has nothing of its own, but the whole-département action reaches it.
    client.force_login(pilotage)
    response = client.get(TABLEAU)
    couverture = {ligne.epci.nom: ligne.par_axe for ligne in response.context["couverture"]}
    assert couverture == {"Métropole Rouen": [2, 0], "Le Havre": [1, 0], "Yvetot": [1, 0]}
    assert "Aucune action en cours" not in response.content.decode()
    Action.objects.filter(territoires=departement).update(statut="terminee")
    response = client.get(TABLEAU)
    assert response.content.decode().count("Aucune action en cours") == 2


def test_prochaines_echeances(client, pilotage, feuille):
    aujourd_hui = timezone.localdate()
    action = ActionFactory(
        axe=feuille.axes.first(), en_cours=True, date_fin=aujourd_hui + timedelta(days=30)
    )
    JalonFactory(action=action, libelle="Bilan d'étape", date_prevue=aujourd_hui)
    JalonFactory(action=action, libelle="Trop loin", date_prevue=aujourd_hui + timedelta(days=90))
    JalonFactory(action=action, libelle="Atteint", date_prevue=aujourd_hui, atteint_le=aujourd_hui)
    client.force_login(pilotage)
    echeances = client.get(TABLEAU).context["echeances"]
    assert [e.libelle for e in echeances] == ["Jalon : Bilan d'étape", "Fin de l'action"]


def test_lecteur_national_voit_le_consolide_et_le_detail(client, make_actions, feuille):
    make_actions(9)
    autre = FeuilleDeRouteFactory(departement=DepartementFactory(hautes_alpes=True))
    action = ActionFactory(axe__feuille=autre, validee=True)
    FinancementFactory(action=action, montant_demande=100)
    lecteur = HabilitationFactory(departement=None, perimetre="france", role="lecteur").user
    client.force_login(lecteur)
    response = client.get(TABLEAU)
    lignes = response.context["par_departement"]
    assert [ligne.departement.code for ligne in lignes] == ["05", "76"]
    assert sum(ligne.actions for ligne in lignes) == 9  # 8 visible in 76 (no draft), 1 in 05
    total = response.context["financements"].total
    assert sum(ligne.montants.demande for ligne in lignes) == total.demande
    assert (total.demande, total.accorde, total.verse) == sommes_de_l_export(client)
    assert "couverture" not in response.context


def test_le_tableau_par_departement_lie_chaque_ligne_a_la_liste(client, make_actions, feuille):
    """The table by département, as the national reader reads it: each row's name links to
    the actions list filtered on it, its counts and sums beside it, every text escaped."""
    make_actions(3)
    alpes = DepartementFactory(hautes_alpes=True)
    action = ActionFactory(axe__feuille=FeuilleDeRouteFactory(departement=alpes), validee=True)
    FinancementFactory(action=action, montant_demande=Decimal("1250.5"), montant_accorde=1000)
    type(alpes).objects.filter(pk=alpes.pk).update(nom="Hautes-Alpes <b>&</b>")
    lecteur = HabilitationFactory(departement=None, perimetre="france", role="lecteur").user
    client.force_login(lecteur)
    page = lxml.html.fromstring(client.get(TABLEAU).content.decode())
    tableau = page.xpath("//table[caption[contains(., 'par département')]]")[0]
    lignes = [
        [cellule.text_content() for cellule in ligne.xpath("th|td")]
        for ligne in tableau.xpath("tbody/tr")
    ]
    assert lignes[0] == [
        "Hautes-Alpes <b>&</b> (05)", "1", "0", "0",
        "1\u00a0250,50\u00a0€", "1\u00a0000,00\u00a0€", "0,00\u00a0€",
    ]  # fmt: skip
    assert lignes[1][0] == f"{feuille.departement.nom} ({feuille.departement.code})"
    liens = tableau.xpath("tbody/tr/th/a/@href")
    assert liens == [
        f"{reverse('actions:liste')}?departement={d.pk}" for d in (alpes, feuille.departement)
    ]


def test_montants_au_format_francais(client, pilotage, feuille):
    action = ActionFactory(axe=feuille.axes.first(), validee=True)
    FinancementFactory(action=action, montant_demande=Decimal("12500"))
    client.force_login(pilotage)
    assert "12\u00a0500,00\u00a0€" in client.get(TABLEAU).content.decode()


@pytest.mark.parametrize("perimetre_large", [False, True])
def test_requetes_constantes(
    client, make_actions, epci, seine_maritime, django_assert_max_num_queries, perimetre_large
):
    if perimetre_large:
        user = HabilitationFactory(departement=None, perimetre="france", role="lecteur").user
    else:
        user = HabilitationFactory(departement=seine_maritime, role="pilotage").user
    client.force_login(user)
    make_actions(5, territoire=epci)
    with django_assert_max_num_queries(25) as avec_5:
        assert client.get(TABLEAU).status_code == 200
    make_actions(495, territoire=epci)
    with django_assert_max_num_queries(25) as avec_500:
        assert client.get(TABLEAU).status_code == 200
    assert len(avec_5.captured_queries) == len(avec_500.captured_queries)


def test_bloc_plan_d_actions_de_l_accueil(client, pilotage, admin_structure, make_actions):
    make_actions(9)  # one per status, all carried by the administrator's association
    client.force_login(pilotage)
    plan = client.get(reverse("tableau_de_bord")).context["plan"]
    assert (plan["nb"], plan["a_instruire"]) == (9, 2)
    assert "2 actions à instruire" in client.get(reverse("tableau_de_bord")).content.decode()
    client.force_login(admin_structure)
    page = client.get(reverse("tableau_de_bord")).content.decode()
    assert "9 actions de mes structures" in page
    assert "à instruire" not in page


def test_l_entree_du_module_mene_a_la_liste_et_au_tableau_de_bord(client, partenaire):
    client.force_login(partenaire)
    page = client.get(reverse("actions:index")).content.decode()
    assert reverse("actions:liste") in page and TABLEAU in page
    assert "pas encore ouvert" not in page
