"""The actions' access matrix, walked whole through the real views (tests/access_harness).

Objects, in the order of each row's letters:
  D = a draft of structure A, written by contrib_a,
  S = a submitted action of A,
  V = a validated action of A,
  B = a draft of structure B, written by membre_b,
  X = a submitted action of Hautes-Alpes (another région than Seine-Maritime's Normandie).
Verbs: voir (the page), modifier (the form), soumettre and instruire (posting a move to
"soumise", to "en instruction").
"""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from actions import access
from tests.access_harness import cas, creer_personnes, lire_table, verifier
from tests.acteurs.factories import ActeurFactory, DepartementFactory
from tests.actions.factories import ActionFactory, AxeFactory, FeuilleDeRouteFactory
from tests.donnees_partagees import une_fois_par_module

ACTIONS = """
personne        voir   modifier  soumettre  instruire
pilotage        oooon  offon     ffffn      foffn
cabinet         noonn  nffnn     nffnn      nffnn
communication   noonn  nffnn     nffnn      nffnn
lecteur         noonn  nffnn     nffnn      nffnn
lecteur_region  noonn  nffnn     nffnn      nffnn
lecteur_france  noono  nffnf     nffnf      nffnf
admin_a         ooonn  offnn     offnn      fffnn
contrib_a       ooonn  offnn     offnn      fffnn
lecteur_a       ooonn  fffnn     fffnn      fffnn
membre_b        nnoon  nnfon     nnfon      nnffn
pilotage_autre  nnnno  nnnnf     nnnnf      nnnno
sans_role       nnnnn  nnnnn     nnnnn      nnnnn
"""

# The département's own verbs about actions, in Seine-Maritime then Hautes-Alpes.
PLAN = """
personne        rediger_action  instruire
pilotage        of              of
cabinet         ff              ff
communication   ff              ff
lecteur         ff              ff
lecteur_region  ff              ff
lecteur_france  ff              ff
admin_a         of              ff
contrib_a       of              ff
lecteur_a       ff              ff
membre_b        of              ff
pilotage_autre  fo              fo
sans_role       ff              ff
"""


def creer_monde():
    sm = DepartementFactory()
    ha = DepartementFactory(hautes_alpes=True)
    a = ActeurFactory(departement=sm, nom="Association A")
    b = ActeurFactory(departement=sm, nom="Association B")
    personnes = creer_personnes(sm, ha, a, b)
    axe = AxeFactory(feuille=FeuilleDeRouteFactory(departement=sm))
    axe_ha = AxeFactory(feuille=FeuilleDeRouteFactory(departement=ha))
    return SimpleNamespace(
        personnes=personnes,
        departements={"SM": sm, "HA": ha},
        actions={
            "D": ActionFactory(axe=axe, porteur=a, cree_par=personnes["contrib_a"]),
            "S": ActionFactory(axe=axe, porteur=a, soumise=True),
            "V": ActionFactory(axe=axe, porteur=a, validee=True),
            "B": ActionFactory(axe=axe, porteur=b, cree_par=personnes["membre_b"]),
            "X": ActionFactory(axe=axe_ha, soumise=True),
        },
    )


_donnees_du_module, monde = une_fois_par_module(creer_monde)


def requete(client, verbe, action):
    if verbe == "voir":
        return client.get(reverse("actions:detail", args=[action.pk]))
    if verbe == "modifier":
        return client.get(reverse("actions:modifier", args=[action.pk]))
    vers = {"soumettre": "soumise", "instruire": "en_instruction"}[verbe]
    return client.post(reverse("actions:transition", args=[action.pk]), {"vers": vers})


_, ATTENDU = lire_table(ACTIONS)
_, ATTENDU_PLAN = lire_table(PLAN)


@pytest.mark.parametrize(("personne", "verbe"), cas(ATTENDU))
def test_actions(client, monde, personne, verbe):
    lettres = ATTENDU[personne][verbe]
    verifier(client, monde.personnes[personne], verbe, monde.actions, lettres, requete)


@pytest.mark.parametrize(("personne", "verbe"), cas(ATTENDU))
def test_un_mouvement_permis_change_le_statut(client, monde, personne, verbe):
    """An answer "allowed" for a move is the move done, not a refusal turned into a message."""
    if verbe not in ("soumettre", "instruire"):
        return
    client.force_login(monde.personnes[personne])
    for (cle, action), lettre in zip(monde.actions.items(), ATTENDU[personne][verbe], strict=True):
        avant = action.statut
        requete(client, verbe, action)
        action.refresh_from_db()
        assert (action.statut != avant) is (lettre == "o"), (cle, avant, action.statut)


@pytest.mark.parametrize("personne", list(ATTENDU))
def test_la_liste_visible_suit_la_matrice(monde, personne):
    user = monde.personnes[personne]
    visibles = set(access.actions_visible_to(user).values_list("pk", flat=True))
    for (cle, action), lettre in zip(monde.actions.items(), ATTENDU[personne]["voir"], strict=True):
        assert (action.pk in visibles) is (lettre == "o"), (personne, cle)


def test_la_regle_d_un_lecteur_de_toute_la_france_ne_nomme_aucun_departement(monde):
    """Reading every département, the national reader's rule needs neither their list nor
    the feuilles: with them, PostgreSQL fetched the feuille of each action it sorted. What
    the rule lets through is the matrix's row above."""
    regle = str(access.actions_visible_to(monde.personnes["lecteur_france"]).query)
    assert "actions_feuillederoute" not in regle
    assert "departement_id" not in regle


@pytest.mark.parametrize(("personne", "verbe"), cas(ATTENDU_PLAN))
def test_plan(monde, personne, verbe):
    user = monde.personnes[personne]
    obtenu = "".join(
        "o" if access.peut(user, verbe, dep) else "f" for dep in monde.departements.values()
    )
    assert obtenu == ATTENDU_PLAN[personne][verbe]


@pytest.mark.parametrize("personne", list(ATTENDU_PLAN))
def test_la_page_de_creation_suit_rediger_action(client, monde, personne):
    """Opening the form for a feuille of Seine-Maritime: allowed exactly when drafting is."""
    feuille = monde.actions["D"].feuille
    client.force_login(monde.personnes[personne])
    status = client.get(reverse("actions:creer") + f"?feuille={feuille.pk}").status_code
    attendu = {"o": {200}, "f": {403, 404}}[ATTENDU_PLAN[personne]["rediger_action"][0]]
    assert status in attendu
