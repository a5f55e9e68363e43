"""Context figures and territorial contracts, through the real pages."""

import html
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from actions.models import Avenant, Contrat, StatistiqueContexte
from integration.journal import Evenement
from tests.acteurs.factories import ActeurFactory, HabilitationFactory
from tests.actions.factories import (
    ActionFactory,
    ContratFactory,
    StatistiqueContexteFactory,
)

pytestmark = pytest.mark.django_db
STATS = reverse("actions:statistiques")
SAISIR = reverse("actions:statistiques_saisir")
CONTRATS = reverse("actions:contrats")
CREER = reverse("actions:contrat_creer")
NBSP = "\u00a0"


def texte(response) -> str:
    return html.unescape(response.content.decode())


# --- Statistiques: who ------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, seine_maritime):
    for url in (STATS, SAISIR, CONTRATS, CREER):
        assert client.get(url)["Location"].startswith("/connexion/")


def test_partners_read_the_figures_but_do_not_enter_them(client, partenaire):
    client.force_login(partenaire)
    assert client.get(STATS).status_code == 200
    assert client.get(SAISIR).status_code == 403
    response = client.post(SAISIR, {"annee": 2025, "source": "DGEF", "premiers_titres": 3})
    assert response.status_code == 403
    assert not StatistiqueContexte.objects.exists()


@pytest.mark.parametrize("role", ["cabinet", "lecteur"])
def test_readers_do_not_enter_figures(client, role, request):
    client.force_login(request.getfixturevalue(role))
    assert client.get(SAISIR).status_code == 403


def test_pilotage_enters_a_year_and_it_is_journalled(client, pilotage, seine_maritime):
    client.force_login(pilotage)
    response = client.post(
        SAISIR,
        {"annee": 2025, "source": "OFII, DGEF", "premiers_titres": "1200", "cir_signes": "800"},
    )
    assert response.status_code == 302
    stats = {s.indicateur: s.valeur for s in StatistiqueContexte.objects.all()}
    assert stats == {"premiers_titres": 1200, "cir_signes": 800}
    entree = Evenement.objects.get(nature="statistique.saisie")
    assert entree.par == pilotage
    assert len(entree.changements) == 2


def test_a_year_already_entered_is_corrected_not_duplicated(client, pilotage, seine_maritime):
    StatistiqueContexteFactory(departement=seine_maritime, annee=2025, valeur=312)
    client.force_login(pilotage)
    assert client.get(SAISIR, {"annee": "2025"}).context["form"].initial["premiers_titres"] == 312
    client.post(SAISIR, {"annee": 2025, "source": "DGEF", "premiers_titres": "320"})
    assert StatistiqueContexte.objects.get().valeur == 320


@pytest.mark.parametrize(
    ("donnees", "message"),
    [
        ({"annee": 2025, "source": "DGEF", "premiers_titres": "-3"}, "ne peut être négatif"),
        ({"annee": 2025, "source": "DGEF", "premiers_titres": "trois"}, "nombre entier"),
        ({"annee": 2025, "source": "DGEF"}, "Saisissez au moins un chiffre."),
        ({"annee": 1850, "source": "DGEF", "premiers_titres": "3"}, "postérieure à 2000"),
        ({"annee": 2025, "source": "", "premiers_titres": "3"}, "Indiquez la source"),
    ],
)
def test_bad_figures_change_nothing(client, pilotage, donnees, message):
    client.force_login(pilotage)
    response = client.post(SAISIR, donnees)
    assert response.status_code == 200
    assert message in texte(response)
    assert not StatistiqueContexte.objects.exists()


def test_refugees_cannot_outnumber_the_first_permits_they_are_part_of(client, pilotage):
    client.force_login(pilotage)
    donnees = {"annee": 2025, "source": "DGEF", "premiers_titres": "300", "dont_bpi": "450"}
    response = client.post(SAISIR, donnees)
    assert response.status_code == 200
    assert response.context["form"].errors["dont_bpi"] == [
        "Ce nombre compte une partie des « premiers titres de séjour délivrés aux "
        "primo-arrivants » (300) : il ne peut le dépasser."
    ]
    assert not StatistiqueContexte.objects.exists()
    donnees["dont_bpi"] = "300"  # as many: all of them refugees, possible
    assert client.post(SAISIR, donnees).status_code == 302


def test_a_part_is_checked_against_its_whole_entered_earlier(client, pilotage, seine_maritime):
    StatistiqueContexteFactory(
        departement=seine_maritime, annee=2025, indicateur="cir_signes", valeur=800
    )
    client.force_login(pilotage)
    response = client.post(
        SAISIR, {"annee": 2025, "source": "OFII", "niveau_a1": "1200"}, follow=True
    )
    assert "(1\u202f200) ne peut dépasser « contrats d'intégration républicaine signés » (800)" in (
        texte(response)
    )
    assert StatistiqueContexte.objects.count() == 1  # nothing added
    # The same figures sent twice: the second is refused the same way, nothing changes.
    client.post(SAISIR, {"annee": 2025, "source": "OFII", "niveau_a1": "1200"})
    assert StatistiqueContexte.objects.count() == 1


def test_another_departements_figures_stay_out_of_sight(client, pilotage, hautes_alpes):
    StatistiqueContexteFactory(departement=hautes_alpes, valeur=98765, source="Secret")
    client.force_login(pilotage)
    page = texte(client.get(STATS))
    assert "98" + NBSP + "765" not in page
    assert "Aucune statistique" in page


def test_the_figures_show_with_their_evolution_chart_and_table(client, pilotage, seine_maritime):
    for annee, valeur in [(2023, 1000), (2024, 1100), (2025, 1250)]:
        StatistiqueContexteFactory(departement=seine_maritime, annee=annee, valeur=valeur)
    client.force_login(pilotage)
    page = texte(client.get(STATS))
    assert page.count("<rect ") == 3
    assert not re.search(r'(x|y|width|height)="[0-9]+,', page)  # no French decimal in SVG
    assert 'role="img"' in page
    assert '<th scope="row">2024</th><td>1' + NBSP + "100</td>" in page
    assert "style=" not in page.split("<main", 1)[1]  # the CSP refuses style attributes


def test_a_regional_reader_sees_departements_side_by_side(client, seine_maritime):
    eure = type(seine_maritime).objects.create(
        code="27", nom="Eure", region=seine_maritime.region, chef_lieu="Évreux"
    )
    StatistiqueContexteFactory(departement=seine_maritime, valeur=312)
    StatistiqueContexteFactory(departement=eure, valeur=145)
    lecteur = HabilitationFactory(
        departement=None, perimetre="region", region=seine_maritime.region, role="lecteur"
    ).user
    client.force_login(lecteur)
    page = texte(client.get(STATS))
    assert f'<th scope="col">Eure</th><th scope="col">{seine_maritime.nom}</th>' in page
    assert "<td>145</td><td>312</td>" in page


def test_the_statistics_page_queries_do_not_grow(
    client, pilotage, seine_maritime, django_assert_max_num_queries
):
    def ajouter(annees):
        for annee in annees:
            for code in StatistiqueContexte.Indicateur.values:
                StatistiqueContexteFactory(
                    departement=seine_maritime, annee=annee, indicateur=code, valeur=annee
                )

    client.force_login(pilotage)
    ajouter([2020])
    client.get(STATS)  # the session and the profile, once
    with django_assert_max_num_queries(8) as peu:
        client.get(STATS)
    ajouter(range(2021, 2031))
    with django_assert_max_num_queries(len(peu.captured_queries)):
        client.get(STATS)


# --- Contrats ---------------------------------------------------------------------------


@pytest.fixture
def epci(seine_maritime):
    return ActeurFactory(departement=seine_maritime, type="epci", nom="Métropole Rouen Normandie")


@pytest.fixture
def contrat(seine_maritime, epci):
    return ContratFactory(
        departement=seine_maritime, signataire=epci, montant_etat=Decimal("100000")
    )


def test_partners_do_not_see_contracts(client, partenaire, contrat):
    client.force_login(partenaire)
    assert client.get(CONTRATS).status_code == 403
    assert client.get(contrat.get_absolute_url()).status_code == 403


def test_another_departements_contract_does_not_exist(client, contrat, hautes_alpes):
    client.force_login(HabilitationFactory(departement=hautes_alpes, role="pilotage").user)
    assert client.get(contrat.get_absolute_url()).status_code == 404
    url = reverse("actions:contrat_modifier", args=[contrat.pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("role", ["cabinet", "lecteur"])
def test_readers_read_contracts_but_do_not_manage_them(client, contrat, role, request):
    client.force_login(request.getfixturevalue(role))
    assert client.get(CONTRATS).status_code == 200
    assert client.get(contrat.get_absolute_url()).status_code == 200
    assert client.get(CREER).status_code == 403
    assert client.get(reverse("actions:contrat_modifier", args=[contrat.pk])).status_code == 403
    assert client.get(reverse("actions:avenant_creer", args=[contrat.pk])).status_code == 403


def donnees_contrat(signataire, **autres):
    return {
        "type": "ctai", "intitule": "CTAI de la Métropole", "signataire": signataire.pk,
        "date_debut": "2026-01-01", "date_fin": "2028-12-31", "montant_etat": "120 000,00",
        "montant_local": "60000", **autres,
    }  # fmt: skip


def test_pilotage_creates_a_contract_with_its_departements_actions(
    client, pilotage, epci, seine_maritime
):
    action = ActionFactory(axe__feuille__departement=seine_maritime, validee=True)
    client.force_login(pilotage)
    response = client.post(CREER, donnees_contrat(epci, actions=[action.pk]))
    contrat = Contrat.objects.get()
    assert response["Location"] == contrat.get_absolute_url()
    assert contrat.montant_etat == Decimal("120000")
    assert list(contrat.actions.all()) == [action]
    assert Evenement.objects.filter(nature="contrat.creation").count() == 1


def test_another_departements_action_is_refused(client, pilotage, epci, hautes_alpes):
    ailleurs = ActionFactory(axe__feuille__departement=hautes_alpes, validee=True)
    client.force_login(pilotage)
    response = client.post(CREER, donnees_contrat(epci, actions=[ailleurs.pk]))
    assert response.status_code == 200
    assert f"L'action n° {ailleurs.pk} n'est pas une action retenue du département." in texte(
        response
    )
    assert not Contrat.objects.exists()


def test_the_signatory_is_a_commune_or_epci_of_the_departement(client, pilotage, association):
    client.force_login(pilotage)
    response = client.post(CREER, donnees_contrat(association))
    assert response.status_code == 200
    assert not Contrat.objects.exists()


def test_dates_in_order_and_amounts_positive(client, pilotage, epci):
    client.force_login(pilotage)
    response = client.post(CREER, donnees_contrat(epci, date_fin="2025-01-01", montant_local="-5"))
    page = texte(response)
    assert "La fin du contrat doit suivre son début." in page
    assert "Un engagement ne peut être négatif." in page
    assert not Contrat.objects.exists()


def test_avenants_add_up_into_current_totals(client, pilotage, contrat):
    client.force_login(pilotage)
    url = reverse("actions:avenant_creer", args=[contrat.pk])
    client.post(url, {"signe_le": "2026-06-01", "objet": "Extension", "variation_etat": "25000",
                      "variation_locale": "0"})  # fmt: skip
    client.post(url, {"signe_le": "2026-09-01", "objet": "Baisse", "variation_etat": "-5 000,50",
                      "variation_locale": "1000"})  # fmt: skip
    assert list(Avenant.objects.values_list("numero", flat=True)) == [1, 2]
    page = texte(client.get(contrat.get_absolute_url()))
    assert f"119{NBSP}999,50{NBSP}€" in page
    liste = texte(client.get(CONTRATS))
    assert f"119{NBSP}999,50{NBSP}€" in liste
    assert f"1{NBSP}000,00{NBSP}€" in liste


def test_the_same_avenant_sent_again_is_recorded_once(client, pilotage, contrat):
    client.force_login(pilotage)
    url = reverse("actions:avenant_creer", args=[contrat.pk])
    donnees = {"signe_le": "2026-06-01", "objet": "Extension", "variation_etat": "25000",
               "variation_locale": "0"}  # fmt: skip
    assert client.post(url, donnees).status_code == 302
    assert "Cet avenant est déjà enregistré." in texte(client.post(url, donnees, follow=True))
    assert Avenant.objects.count() == 1


def test_an_avenant_cannot_make_a_commitment_negative(client, pilotage, contrat):
    client.force_login(pilotage)
    url = reverse("actions:avenant_creer", args=[contrat.pk])
    donnees = {"signe_le": "2026-06-01", "objet": "Trop", "variation_etat": "-100001"}
    response = client.post(url, {**donnees, "variation_locale": "0"})
    assert "rendrait un engagement négatif" in texte(response)
    assert not Avenant.objects.exists()


def test_editing_a_contract_is_journalled(client, pilotage, contrat, epci):
    client.force_login(pilotage)
    url = reverse("actions:contrat_modifier", args=[contrat.pk])
    assert client.post(url, donnees_contrat(epci, intitule="CTAI révisé")).status_code == 302
    contrat.refresh_from_db()
    assert contrat.intitule == "CTAI révisé"
    entree = Evenement.objects.get(nature="contrat.modification")
    assert entree.changements["intitule"]["apres"] == "CTAI révisé"


def test_the_contracts_list_queries_do_not_grow(
    client, pilotage, seine_maritime, epci, django_assert_max_num_queries
):
    def ajouter(n):
        for _ in range(n):
            c = ContratFactory(departement=seine_maritime, signataire=epci)
            Avenant.objects.create(contrat=c, numero=1, signe_le="2026-02-01", objet="Un")

    client.force_login(pilotage)
    ajouter(1)
    client.get(CONTRATS)
    with django_assert_max_num_queries(8) as peu:
        client.get(CONTRATS)
    ajouter(20)
    with django_assert_max_num_queries(len(peu.captured_queries)):
        client.get(CONTRATS)


@pytest.mark.parametrize(
    ("role", "attendus", "absents"),
    [
        ("partenaire", ["Statistiques de contexte", "Indicateurs : grille"], ["Contrats"]),
        ("lecteur", ["Statistiques de contexte", "Contrats territoriaux"], ["Indicateurs"]),
        ("pilotage", ["Statistiques", "Contrats territoriaux", "Indicateurs : grille"], []),
    ],
)
def test_the_plans_start_page_links_to_what_each_may_open(client, role, attendus, absents, request):
    client.force_login(request.getfixturevalue(role))
    page = texte(client.get(reverse("actions:index")))
    for lien in attendus:
        assert lien in page
    for lien in absents:
        assert lien not in page


def test_le_meme_contrat_renvoye_n_est_enregistre_qu_une_fois(client, pilotage, epci):
    """Sent again: one contract, and said so; another start date is another contract."""
    client.force_login(pilotage)
    assert client.post(CREER, donnees_contrat(epci)).status_code == 302
    page = client.post(CREER, donnees_contrat(epci), follow=True).content.decode()
    assert "Ce contrat est déjà enregistré : il figure dans la liste." in page
    assert client.post(CREER, donnees_contrat(epci, date_debut="2027-01-01")).status_code == 302
    assert Contrat.objects.count() == 2
