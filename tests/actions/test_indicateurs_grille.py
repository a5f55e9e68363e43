"""The indicator grid's round trip: exported, filled in a spreadsheet as a person would,
imported back with a preview, confirmed; exactly the values typed are written."""

import csv
import html
import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from actions.models import Mesure
from tests.acteurs.factories import ActeurFactory, MembreFactory
from tests.actions.factories import (
    ActionFactory,
    AxeFactory,
    FeuilleDeRouteFactory,
    IndicateurFactory,
    MesureFactory,
)

pytestmark = pytest.mark.django_db
EXPORT = reverse("actions:indicateurs_export")
IMPORT = reverse("actions:indicateurs_import")
CONFIRMER = reverse("actions:indicateurs_confirmer")


@pytest.fixture
def monde(seine_maritime, association, pilotage):
    """Two adopted actions of the association (3 indicators), one of another porteur, and a
    draft of the association: the grid holds the first three indicators only."""
    feuille = FeuilleDeRouteFactory(departement=seine_maritime)  # 2026–2028
    axe = AxeFactory(feuille=feuille)
    a1 = ActionFactory(axe=axe, porteur=association, validee=True, titre="Ateliers")
    a2 = ActionFactory(axe=axe, porteur=association, en_cours=True, titre="Permanences")
    autre = ActeurFactory(departement=seine_maritime, nom="Autre porteur")
    a3 = ActionFactory(axe=axe, porteur=autre, validee=True, titre="Action d'un autre")
    brouillon = ActionFactory(axe=axe, porteur=association, titre="Brouillon")
    i1 = IndicateurFactory(action=a1, libelle="Personnes accueillies")
    i2 = IndicateurFactory(action=a1, libelle="Heures de cours", unite="heures")
    i3 = IndicateurFactory(action=a2, libelle="Permanences tenues")
    i_autre = IndicateurFactory(action=a3, libelle="Indicateur d'un autre")
    i_brouillon = IndicateurFactory(action=brouillon)
    MesureFactory(indicateur=i1, annee=2026, valeur=Decimal("12"), saisie_par=pilotage)
    return type("Monde", (), locals())


def texte(response) -> str:
    return html.unescape(response.content.decode())


def exporter(client, format_):
    response = client.get(EXPORT, {"format": format_})
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def deposer(client, nom, contenu):
    return client.post(IMPORT, {"fichier": SimpleUploadedFile(nom, contenu)})


def confirmer(client, response):
    return client.post(CONFIRMER, {"empreinte": response.context["resultat"].empreinte})


def valeurs():
    return {(m.indicateur_id, m.annee): m.valeur for m in Mesure.objects.all()}


# --- Who -------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, monde):
    for url in (EXPORT, IMPORT):
        assert client.get(url)["Location"].startswith("/connexion/")


@pytest.mark.parametrize("role", ["cabinet", "lecteur"])
def test_readers_have_no_grid(client, monde, role, request):
    client.force_login(request.getfixturevalue(role))
    assert client.get(EXPORT, {"format": "csv"}).status_code == 403
    assert client.get(IMPORT).status_code == 403
    assert client.post(CONFIRMER, {"empreinte": "x"}).status_code == 403


def test_an_unknown_format_is_a_clear_bad_request(client, monde, partenaire):
    client.force_login(partenaire)
    response = client.get(EXPORT, {"format": "pdf"})
    assert response.status_code == 400
    assert "Format d'export inconnu" in response.content.decode()


# --- Export -----------------------------------------------------------------------------


def test_the_grid_holds_the_indicators_one_follows_times_the_years(client, monde, partenaire):
    client.force_login(partenaire)
    lignes = list(
        csv.reader(io.StringIO(exporter(client, "csv").decode("utf-8-sig")), delimiter=";")
    )
    assert lignes[0] == [
        "N° action", "Action", "N° indicateur", "Indicateur", "Unité", "Cible", "Année",
        "Valeur actuelle", "Nouvelle valeur",
    ]  # fmt: skip
    assert len(lignes) == 1 + 3 * 3  # three indicators, 2026 to 2028
    assert {ligne[2] for ligne in lignes[1:]} == {
        str(monde.i1.pk),
        str(monde.i2.pk),
        str(monde.i3.pk),
    }
    premiere = lignes[1]
    assert premiere[1:] == ["Ateliers", str(monde.i1.pk), "Personnes accueillies", "personnes",
                            "40", "2026", "12", ""]  # fmt: skip


def test_pilotage_exports_every_adopted_actions_indicators(client, monde, pilotage):
    client.force_login(pilotage)
    classeur = openpyxl.load_workbook(io.BytesIO(exporter(client, "xlsx")))
    ids = {row[2] for row in classeur.active.iter_rows(min_row=2, values_only=True)}
    assert ids == {str(i.pk) for i in (monde.i1, monde.i2, monde.i3, monde.i_autre)}


# --- Round trip -------------------------------------------------------------------------


def test_xlsx_round_trip_writes_exactly_the_values_typed(client, monde, partenaire):
    client.force_login(partenaire)
    classeur = openpyxl.load_workbook(io.BytesIO(exporter(client, "xlsx")))
    feuille = classeur.active
    for row in feuille.iter_rows(min_row=2):
        cle = (row[2].value, row[6].value)
        if cle == (str(monde.i1.pk), "2026"):
            row[8].value = 15  # a number cell, as a person types it
        elif cle == (str(monde.i3.pk), "2027"):
            row[8].value = "7,5"
    sortie = io.BytesIO()
    classeur.save(sortie)
    avant = valeurs()

    apercu = deposer(client, "indicateurs.xlsx", sortie.getvalue())
    assert apercu.context["resultat"].est_propre, apercu.context["resultat"].erreurs
    assert Mesure.objects.count() == 1  # nothing written by the preview
    assert confirmer(client, apercu).status_code == 302

    apres = valeurs()
    attendu = {**avant, (monde.i1.pk, 2026): Decimal("15"), (monde.i3.pk, 2027): Decimal("7.5")}
    assert apres == attendu
    assert Mesure.objects.get(indicateur=monde.i3).saisie_par == partenaire


def test_csv_round_trip(client, monde, partenaire):
    client.force_login(partenaire)
    lignes = list(
        csv.reader(io.StringIO(exporter(client, "csv").decode("utf-8-sig")), delimiter=";")
    )
    for ligne in lignes[1:]:
        if (ligne[2], ligne[6]) == (str(monde.i2.pk), "2028"):
            ligne[8] = "1 200"
    sortie = io.StringIO()
    csv.writer(sortie, delimiter=";").writerows(lignes)
    apercu = deposer(client, "grille.csv", sortie.getvalue().encode("utf-8"))
    confirmer(client, apercu)
    assert valeurs() == {(monde.i1.pk, 2026): Decimal("12"), (monde.i2.pk, 2028): Decimal("1200")}


def grille(*lignes) -> bytes:
    entete = "N° indicateur;Année;Nouvelle valeur\n"
    return (entete + "".join(f"{ligne}\n" for ligne in lignes)).encode("utf-8")


def test_another_porteurs_indicator_is_refused_for_that_row(client, monde, partenaire):
    client.force_login(partenaire)
    apercu = deposer(client, "g.csv", grille(f"{monde.i1.pk};2027;3", f"{monde.i_autre.pk};2026;9"))
    resultat = apercu.context["resultat"]
    assert not resultat.est_propre
    erreurs = {ligne.numero: ligne.erreurs for ligne in resultat.lignes}
    assert erreurs[2] == []
    assert "n'est pas de ceux que vous suivez" in erreurs[3][0]
    assert "Aucune valeur n'a été enregistrée" in texte(apercu)
    # Nothing waits for a confirmation: a forged one writes nothing.
    confirmer(client, apercu)
    assert Mesure.objects.count() == 1


@pytest.mark.parametrize(
    ("ligne", "message"),
    [
        ("999999;2026;3", "Indicateur n° « 999999 » inconnu."),
        ("²;2026;3", "Indicateur n° « ² » inconnu."),  # str.isdigit() says yes, int() no
        ("99999999999999999999;2026;3", "Indicateur n° « 99999999999999999999 » inconnu."),
        ("{i1};2031;3", "L'année 2031 est hors de la période de la feuille de route (2026–2028)."),
        ("{i1};deux mille;3", "Année « deux mille » illisible"),
        ("{i1};2026;beaucoup", "Nouvelle valeur « beaucoup » : ce n'est pas un nombre."),
        ("{i1};2026;-4", "Nouvelle valeur « -4 » : elle ne peut être négative."),
        ("{i1};2026;1,234", "deux décimales au plus"),
        ("{brouillon};2026;3", "L'indicateur n° {brouillon} n'est pas de ceux que vous suivez"),
        ("{autre_dep};2026;3", "Indicateur n° « {autre_dep} » inconnu."),
    ],
)
def test_each_bad_row_says_why_in_french(client, monde, partenaire, hautes_alpes, ligne, message):
    ailleurs = FeuilleDeRouteFactory(departement=hautes_alpes)
    autre_dep = IndicateurFactory(
        action=ActionFactory(axe=AxeFactory(feuille=ailleurs), validee=True)
    )
    ids = {"i1": monde.i1.pk, "brouillon": monde.i_brouillon.pk, "autre_dep": autre_dep.pk}
    client.force_login(partenaire)
    apercu = deposer(client, "g.csv", grille(ligne.format(**ids)))
    (lue,) = apercu.context["resultat"].lignes
    assert any(message.format(**ids) in erreur for erreur in lue.erreurs), lue.erreurs
    assert Mesure.objects.count() == 1


def test_the_same_cell_twice_is_refused(client, monde, partenaire):
    client.force_login(partenaire)
    apercu = deposer(client, "g.csv", grille(f"{monde.i1.pk};2027;3", f"{monde.i1.pk};2027;4"))
    assert (
        "déjà une valeur pour 2027 à la ligne 2" in apercu.context["resultat"].lignes[1].erreurs[0]
    )


def test_a_grid_with_no_new_value_says_so(client, monde, partenaire):
    client.force_login(partenaire)
    apercu = deposer(client, "g.csv", grille(f"{monde.i1.pk};2027;"))
    assert "Aucune nouvelle valeur dans le fichier" in texte(apercu)


def test_a_missing_column_is_named(client, monde, partenaire):
    client.force_login(partenaire)
    apercu = deposer(client, "g.csv", b"Indicateur;Annee\n1;2026\n")
    assert "« Nouvelle valeur »" in texte(apercu)


def test_confirming_without_a_preview_writes_nothing(client, monde, partenaire):
    client.force_login(partenaire)
    response = client.post(CONFIRMER, {"empreinte": "abc"}, follow=True)
    assert "Aucun import en attente" in texte(response)
    assert Mesure.objects.count() == 1


def test_a_membership_lost_before_confirming_writes_nothing(client, monde, partenaire):
    client.force_login(partenaire)
    apercu = deposer(client, "g.csv", grille(f"{monde.i1.pk};2027;3"))
    assert apercu.context["resultat"].est_propre
    # Another membership keeps the grid open to them; the porteur's is gone.
    MembreFactory(acteur=ActeurFactory(departement=monde.seine_maritime), user=partenaire)
    partenaire.adhesions.filter(acteur=monde.association).update(
        actif=False, desactive_le=timezone.now()
    )
    response = confirmer(client, apercu)
    assert response.status_code == 302
    (message,) = get_messages(response.wsgi_request)
    assert "n'est plus de ceux que vous suivez : rien n'a été importé" in str(message)
    assert Mesure.objects.count() == 1
