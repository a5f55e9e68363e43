"""Who reaches the follow-up, the bilans and the contracts: the matrices walked whole
through the real views (tests/access_harness).

Actions, in the order of each row's letters:
  A = a validated action of association A (members: admin_a, contrib_a, lecteur_a),
  S = an action of A under way, on a signed feuille (follow-up goes on after signature),
  B = a validated action of association B (member: membre_b),
  D = a draft of A,
  X = a validated action of Hautes-Alpes (another région than Seine-Maritime's).
Contracts: C of Seine-Maritime, Y of Hautes-Alpes.
"""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from tests.access_harness import cas, creer_personnes, lire_table, verifier
from tests.acteurs.factories import ActeurFactory, DepartementFactory
from tests.actions.factories import (
    ActionFactory,
    AxeFactory,
    ContratFactory,
    FeuilleDeRouteFactory,
    signer,
)
from tests.donnees_partagees import une_fois_par_module

SUIVI = """
personne        suivre  bilan  bilan_axe
pilotage        ooofn   ooofn  oooon
cabinet         fffnn   fffnn  oooon
communication   fffnn   fffnn  oooon
lecteur         fffnn   fffnn  oooon
lecteur_region  fffnn   fffnn  oooon
lecteur_france  fffnf   fffnf  ooooo
admin_a         ooffn   ooffn  oooon
contrib_a       ooffn   ooffn  oooon
lecteur_a       ffffn   ffffn  oooon
membre_b        ffonn   ffonn  oooon
pilotage_autre  nnnno   nnnno  nnnno
sans_role       nnnnn   nnnnn  nnnnn
"""

CONTRATS = """
personne        voir  modifier  avenant
pilotage        on    on        on
cabinet         on    fn        fn
communication   on    fn        fn
lecteur         on    fn        fn
lecteur_region  on    fn        fn
lecteur_france  oo    ff        ff
admin_a         fn    fn        fn
contrib_a       fn    fn        fn
lecteur_a       fn    fn        fn
membre_b        fn    fn        fn
pilotage_autre  no    no        no
sans_role       nn    nn        nn
"""


def creer_monde():
    sm = DepartementFactory()
    ha = DepartementFactory(hautes_alpes=True)
    a = ActeurFactory(departement=sm, nom="Association A")
    b = ActeurFactory(departement=sm, nom="Association B")
    personnes = creer_personnes(sm, ha, a, b)
    axe = AxeFactory(feuille=FeuilleDeRouteFactory(departement=sm))
    signee = FeuilleDeRouteFactory(departement=sm, annee_debut=2025)
    actions = {
        "A": ActionFactory(axe=axe, porteur=a, validee=True),
        "S": ActionFactory(axe__feuille=signee, porteur=a, en_cours=True),
        "B": ActionFactory(axe=axe, porteur=b, validee=True),
        "D": ActionFactory(axe=axe, porteur=a),
        "X": ActionFactory(axe__feuille__departement=ha, validee=True),
    }
    signer(signee)
    contrats = {"C": ContratFactory(departement=sm), "Y": ContratFactory(departement=ha)}
    return SimpleNamespace(personnes=personnes, actions=actions, contrats=contrats)


_donnees_du_module, monde = une_fois_par_module(creer_monde)


VERBES = {
    "suivre": lambda action: reverse("actions:suivi", args=[action.pk]),
    "bilan": lambda action: reverse("actions:bilan_action", args=[action.pk, 2026]),
    "bilan_axe": lambda action: reverse("actions:bilan_axe", args=[action.axe_id, 2026]),
    "voir": lambda contrat: reverse("actions:contrat", args=[contrat.pk]),
    "modifier": lambda contrat: reverse("actions:contrat_modifier", args=[contrat.pk]),
    "avenant": lambda contrat: reverse("actions:avenant_creer", args=[contrat.pk]),
}


def requete(client, verbe, objet):
    return client.get(VERBES[verbe](objet))


_, ATTENDU_SUIVI = lire_table(SUIVI)
_, ATTENDU_CONTRATS = lire_table(CONTRATS)


@pytest.mark.parametrize(("personne", "verbe"), cas(ATTENDU_SUIVI))
def test_suivi(client, monde, personne, verbe):
    lettres = ATTENDU_SUIVI[personne][verbe]
    verifier(client, monde.personnes[personne], verbe, monde.actions, lettres, requete)


@pytest.mark.parametrize(("personne", "verbe"), cas(ATTENDU_CONTRATS))
def test_contrats(client, monde, personne, verbe):
    lettres = ATTENDU_CONTRATS[personne][verbe]
    verifier(client, monde.personnes[personne], verbe, monde.contrats, lettres, requete)
