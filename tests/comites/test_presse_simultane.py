"""The press pages' forms sent twice at once (a double click, two tabs), on PostgreSQL:
one communiqué version, one avis aux médias version, one séance recorded after the fact,
one decision, one journalled compte rendu, one sign-in sheet by structure."""

import pytest
from django.urls import reverse

from comites.models import Communique, Seance
from integration.models import DocumentRequest, Evenement
from tests.acteurs.factories import HabilitationFactory
from tests.comites.factories import SeanceFactory, SiegeFactory
from tests.concurrency import Onglets

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services]


def test_a_communique_sent_twice_at_once_is_one_version(live_server, copil):
    cabinet = HabilitationFactory(departement=copil.departement, role="cabinet").user
    seance = SeanceFactory(instance=copil, passee=True, statut=Seance.Statut.TENUE)
    onglets = Onglets(live_server, cabinet)
    reponses = onglets.poster(
        reverse("comites:communique", args=[seance.pk]),
        {"titre": "Titre", "lieu_date": "Rouen, le 20 juin 2019", "texte": "Texte."},
    )
    assert [r.status_code for r in reponses] == [302, 302]
    assert Communique.objects.count() == 1


def test_a_past_seance_sent_twice_at_once_is_recorded_once(live_server, copil, pilotage):
    SiegeFactory.create_batch(2, instance=copil)
    onglets = Onglets(live_server, pilotage)
    reponses = onglets.poster(
        reverse("comites:seance_passee", args=[copil.pk]),
        {"debut": "2024-06-20T14:30", "fin": "2024-06-20T17:00", "lieu": "Préfecture"},
    )
    assert sorted(r.status_code for r in reponses) == [200, 302]
    pages = onglets.pages(reponses)
    assert sum("commence déjà à cette heure" in page for page in pages) == 1
    (seance,) = copil.seances.all()
    assert seance.convocations.count() == 2


def test_an_avis_aux_medias_sent_twice_at_once_is_one_version(live_server, copil):
    cabinet = HabilitationFactory(departement=copil.departement, role="cabinet").user
    seance = SeanceFactory(instance=copil)
    onglets = Onglets(live_server, cabinet)
    reponses = onglets.poster(
        reverse("comites:avis_medias", args=[seance.pk]),
        {"titre": "Titre", "lieu_date": "Rouen, le 2 juin 2030", "texte": "Texte.",
         "acces_presse": "Accréditation auprès du service de la communication."},
    )  # fmt: skip
    assert [r.status_code for r in reponses] == [302, 302]
    assert Communique.objects.get().genre == Communique.Genre.AVIS_MEDIAS


def test_a_decision_and_minutes_sent_twice_at_once_are_recorded_once(live_server, copil, pilotage):
    seance = SeanceFactory(instance=copil, passee=True, statut=Seance.Statut.TENUE)
    onglets = Onglets(live_server, pilotage)
    reponses = onglets.poster(
        reverse("comites:decision_ajouter", args=[seance.pk]),
        {"decision-texte": "Réunir les groupes", "decision-responsable": "DDETS",
         "decision-echeance": "2019-09-30", "decision-statut": "faite"},
    )  # fmt: skip
    assert sorted(r.status_code for r in reponses) == [302, 400]
    assert seance.decisions.count() == 1
    reponses = onglets.poster(
        reverse("comites:compte_rendu", args=[seance.pk]),
        {"compte_rendu-compte_rendu": "Texte.", "compte_rendu-lieu_date": "Rouen, le 1er juin"},
    )
    assert [r.status_code for r in reponses] == [302, 302]
    assert Evenement.objects.filter(nature="seance.compte_rendu").count() == 1


def test_a_sign_in_sheet_by_structure_asked_twice_at_once_is_one_document(
    live_server, copil, pilotage
):
    seance = SeanceFactory(instance=copil, passee=True, statut=Seance.Statut.TENUE)
    onglets = Onglets(live_server, pilotage)
    reponses = onglets.poster(
        reverse("comites:emargement_pdf", args=[seance.pk]), {"tri": "structure"}
    )
    assert [r.status_code for r in reponses] == [302, 302]
    assert DocumentRequest.objects.get().kind == "comites.emargement_structure"
