"""The access matrix, walked whole through the real views.

Each row reads: for this person, for each verb, what happens on the actors
A B P R X, where
  A = a validated association of Seine-Maritime (members: admin_a, contrib_a, lecteur_a),
  B = another validated association of Seine-Maritime (member: proposant_b),
  P = a pending proposal made by proposant_b,
  R = a proposal of proposant_b that pilotage rejected,
  X = a validated actor of Hautes-Alpes;
and o = allowed, f = forbidden (403: the actor is visible), n = not found (404).
"""

import pytest
from django.urls import reverse

from acteurs import access
from tests.acteurs.factories import (
    ActeurFactory,
    DepartementFactory,
    HabilitationFactory,
    MembreFactory,
    UserFactory,
)

OBJETS = "ABPRX"

VERBES = ["voir", "modifier", "archiver", "moderer", "voir_membres", "gerer_membres"]
MATRICE = """
personne      voir   modifier  archiver  moderer  voir_membres  gerer_membres
pilotage      oooon  ooofn     ooffn     ffofn    ooofn         ooffn
cabinet       oonnn  ffnnn     ffnnn     ffnnn    oonnn         ffnnn
lecteur       oonnn  ffnnn     ffnnn     ffnnn    oonnn         ffnnn
admin_a       oonnn  ofnnn     ffnnn     ffnnn    ofnnn         ofnnn
contrib_a     oonnn  ffnnn     ffnnn     ffnnn    ofnnn         ffnnn
lecteur_a     oonnn  ffnnn     ffnnn     ffnnn    ofnnn         ffnnn
proposant_b   oooon  ffofn     ffffn     ffffn    foffn         ffffn
pilotage_05   nnnno  nnnno     nnnno     nnnnf    nnnno         nnnno
sans_role     nnnnn  nnnnn     nnnnn     nnnnn    nnnnn         nnnnn
"""
ATTENDU = {
    ligne.split()[0]: dict(zip(VERBES, ligne.split()[1:], strict=True))
    for ligne in MATRICE.strip().splitlines()[1:]
}

STATUS = {"o": {200, 302}, "f": {403}, "n": {404}}


@pytest.fixture
def monde(db):
    sm = DepartementFactory()
    ha = DepartementFactory(hautes_alpes=True)
    proposant_b = UserFactory()
    objets = {
        "A": ActeurFactory(departement=sm, nom="Association A"),
        "B": ActeurFactory(departement=sm, nom="Association B"),
        "P": ActeurFactory(
            departement=sm, nom="Proposition P", en_attente=True, propose_par=proposant_b
        ),
        "R": ActeurFactory(
            departement=sm, nom="Proposition R", rejete=True, propose_par=proposant_b
        ),
        "X": ActeurFactory(departement=ha, nom="Acteur X"),
    }
    personnes = {
        "pilotage": HabilitationFactory(departement=sm, role="pilotage").user,
        "cabinet": HabilitationFactory(departement=sm, role="cabinet").user,
        "lecteur": HabilitationFactory(departement=sm, role="lecteur").user,
        "admin_a": MembreFactory(acteur=objets["A"], role="administrateur").user,
        "contrib_a": MembreFactory(acteur=objets["A"], role="contributeur").user,
        "lecteur_a": MembreFactory(acteur=objets["A"], role="lecteur").user,
        "proposant_b": MembreFactory(
            acteur=objets["B"], role="contributeur", user=proposant_b
        ).user,
        "pilotage_05": HabilitationFactory(departement=ha, role="pilotage").user,
        "sans_role": UserFactory(),
    }
    # Each actor has one member whose role the "gerer_membres" verb tries to change.
    cibles = {cle: MembreFactory(acteur=acteur, role="lecteur") for cle, acteur in objets.items()}
    return personnes, objets, cibles


def _requete(client, verbe, acteur, cible):
    if verbe == "voir":
        return client.get(reverse("acteurs:detail", args=[acteur.pk]))
    if verbe == "modifier":
        return client.get(reverse("acteurs:modifier", args=[acteur.pk]))
    if verbe == "archiver":
        return client.post(reverse("acteurs:archiver", args=[acteur.pk]))
    if verbe == "moderer":
        return client.get(reverse("acteurs:moderer", args=[acteur.pk]))
    if verbe == "voir_membres":
        return client.get(reverse("acteurs:membres", args=[acteur.pk]))
    if verbe == "gerer_membres":
        return client.post(
            reverse("acteurs:membre_role", args=[cible.pk]), {"role": "contributeur"}
        )
    raise AssertionError(verbe)


@pytest.mark.parametrize("personne", list(ATTENDU))
@pytest.mark.parametrize("verbe", VERBES)
def test_matrice_par_les_vues(client, monde, personne, verbe):
    personnes, objets, cibles = monde
    client.force_login(personnes[personne])
    obtenu = {}
    for index, cle in enumerate(OBJETS):
        response = _requete(client, verbe, objets[cle], cibles[cle])
        attendu = ATTENDU[personne][verbe][index]
        obtenu[cle] = response.status_code
        assert response.status_code in STATUS[attendu], (
            f"{personne} {verbe} {cle}: {response.status_code}, attendu {attendu} ({obtenu})"
        )


@pytest.mark.parametrize("personne", list(ATTENDU))
def test_la_liste_visible_suit_la_matrice(monde, personne):
    """The queryset and the per-object rule agree, so lists never show a 404 link."""
    personnes, objets, _ = monde
    user = personnes[personne]
    visibles = set(access.acteurs_visible_to(user).values_list("pk", flat=True))
    for index, cle in enumerate(OBJETS):
        attendu_visible = ATTENDU[personne]["voir"][index] == "o"
        assert (objets[cle].pk in visibles) is attendu_visible, (personne, cle)
        assert access.can(user, "voir", objets[cle]) is attendu_visible, (personne, cle)


def test_anonyme_redirige_vers_la_connexion(client, monde):
    _, objets, _ = monde
    response = client.get(reverse("acteurs:detail", args=[objets["A"].pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_membre_desactive_perd_ses_droits(client, monde):
    personnes, objets, _ = monde
    admin = personnes["admin_a"]
    membre = admin.adhesions.get()
    membre.actif = False
    membre.desactive_le = membre.cree_le
    membre.save()
    client.force_login(admin)
    assert client.get(reverse("acteurs:modifier", args=[objets["A"].pk])).status_code == 404
