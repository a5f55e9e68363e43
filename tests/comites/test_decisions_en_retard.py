"""The home page's overdue decisions: open, past their due date, of a séance the user
reads in the perimeter; the same answer whichever way the query is written for the role
(a département's reader, a partner convened to some séances, both at once)."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from acteurs.access import profil
from comites.access import can_seance, decisions_en_retard
from comites.models import Decision, Seance
from tests.acteurs.factories import DepartementFactory, HabilitationFactory
from tests.comites.factories import (
    ConvocationFactory,
    DecisionFactory,
    PersonneFactory,
    SeanceFactory,
)

pytestmark = pytest.mark.django_db


def _seance_avec_decisions(departement):
    seance = SeanceFactory(instance__departement=departement, passee=True)
    hier, demain = timezone.localdate() - timedelta(days=1), timezone.localdate() + timedelta(1)
    DecisionFactory(seance=seance, echeance=hier, texte=f"En retard {seance.pk}")
    DecisionFactory(seance=seance, echeance=hier, statut=Decision.Statut.FAITE)
    DecisionFactory(seance=seance, echeance=demain)
    return seance


def _selon_la_regle(user, departement_ids) -> set[int]:
    """Every decision asked of the rules one by one: the séance readable, open, overdue."""
    return {
        d.pk
        for d in Decision.objects.select_related("seance__instance")
        if d.seance.instance.departement_id in departement_ids
        and can_seance(user, "voir", d.seance)
        and d.en_retard
    }


def test_each_role_gets_the_overdue_decisions_of_the_seances_it_reads(
    seine_maritime, hautes_alpes, pilotage, partenaire
):
    convoquee = _seance_avec_decisions(seine_maritime)
    _seance_avec_decisions(seine_maritime)  # the partner was not convened to this one
    ailleurs = _seance_avec_decisions(hautes_alpes)
    ConvocationFactory(seance=convoquee, personne=PersonneFactory(user=partenaire))
    # Reads the Hautes-Alpes, and was convened to a séance of Seine-Maritime.
    lecteur_ailleurs = HabilitationFactory(departement=hautes_alpes, role="lecteur").user
    ConvocationFactory(seance=convoquee, personne=PersonneFactory(user=lecteur_ailleurs))
    ConvocationFactory(seance=ailleurs, personne=PersonneFactory(user=partenaire))
    deux = [seine_maritime.pk, hautes_alpes.pk]
    cas = [
        (pilotage, [seine_maritime.pk], 2),
        (partenaire, [seine_maritime.pk], 1),
        (partenaire, deux, 2),
        (lecteur_ailleurs, [seine_maritime.pk], 1),
        (lecteur_ailleurs, deux, 2),
        (lecteur_ailleurs, [hautes_alpes.pk], 1),
    ]
    for user, departement_ids, nombre in cas:
        profil(user)  # read once per request by the middleware
        with CaptureQueriesContext(connection) as requetes:
            trouvees = {d.pk for d in decisions_en_retard(user, departement_ids)}
        assert trouvees == _selon_la_regle(user, departement_ids), (user, departement_ids)
        assert len(trouvees) == nombre, (user, departement_ids)
        assert len(requetes) == 1


def test_over_several_departements_each_seance_line_names_its_departement(
    client, seine_maritime, hautes_alpes, pilotage
):
    """Two départements' « COPIL », each with a decision late by the same text and a coming
    séance the national reader is convened to: over France each line says whose it is; in
    one département it needs not."""
    hier = timezone.localdate() - timedelta(days=1)
    national = HabilitationFactory(departement=None, perimetre="france", role="lecteur").user
    for departement in (seine_maritime, hautes_alpes):
        passee = SeanceFactory(
            instance__departement=departement, instance__nom="COPIL", passee=True
        )
        DecisionFactory(seance=passee, echeance=hier, texte="Relancer la CAF")
        a_venir = SeanceFactory(instance=passee.instance, statut=Seance.Statut.CONVOQUEE)
        ConvocationFactory(seance=a_venir, personne=PersonneFactory(user=national))
    client.force_login(national)
    page = client.get(reverse("tableau_de_bord")).content.decode()
    lignes = re.findall(r"<li>(.*?)</li>", page, re.S)
    decisions = [ligne for ligne in lignes if "Relancer la CAF" in ligne]
    convocations = [ligne for ligne in lignes if ligne.startswith("<a") and "COPIL" in ligne]
    for departement in (seine_maritime, hautes_alpes):
        for liste in (decisions, convocations):
            assert sum(f"</a> — {departement.nom}" in ligne for ligne in liste) == 1
    client.force_login(pilotage)
    page = client.get(reverse("tableau_de_bord")).content.decode()
    assert page.count("Relancer la CAF") == 1
    assert f"— {seine_maritime.nom}" not in page


def test_a_regional_press_office_reads_whose_release_waits(client, seine_maritime):
    """The press office of two départements, reading their région whole: both « Groupe
    emploi » held, each release to write says whose."""
    calvados = DepartementFactory(code="14", nom="Calvados", chef_lieu="Caen")
    bureau = HabilitationFactory(
        departement=None, perimetre="region", region="28", role="lecteur"
    ).user
    for departement in (seine_maritime, calvados):
        HabilitationFactory(user=bureau, departement=departement, role="communication")
        SeanceFactory(
            instance__departement=departement,
            instance__nom="Groupe emploi",
            passee=True,
            statut=Seance.Statut.TENUE,
        )
    client.force_login(bureau)
    page = client.get(reverse("tableau_de_bord")).content.decode()
    lignes = [
        ligne for ligne in re.findall(r"<li>(.*?)</li>", page, re.S) if "Groupe emploi" in ligne
    ]
    assert len(lignes) == 2
    for departement in (seine_maritime, calvados):
        assert sum(ligne.endswith(f"</a> — {departement.nom}") for ligne in lignes) == 1
