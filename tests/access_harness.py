"""A harness that walks an access matrix through the real views, for every app.

An app's test writes its expectations as a table, one row per kind of person, one column
per verb, one letter per object:

    personne      voir   modifier
    pilotage      oooon  ooofn
    ...

o = allowed (200 or a redirect), f = forbidden (403: the object is visible),
n = not found (404: the object does not exist for that person). Then:

    VERBES, ATTENDU = lire_table(TABLE)
    _donnees_du_module, monde = une_fois_par_module(creer_monde)  # tests/donnees_partagees.py

    @pytest.mark.parametrize(("personne", "verbe"), cas(ATTENDU))
    def test_matrice(client, monde, personne, verbe):
        verifier(client, monde.personnes[personne], verbe, monde.objets, ATTENDU[personne][verbe],
                 requete)

`creer_personnes()` makes the same cast for every app: the four habilitations of the
département (pilotage, cabinet, communication, lecteur), the three reader scopes, the
three membership roles of structure A, a member of structure B, a pilotage agent of
another département, and an account with no role.
`creer_monde()` (each app's own) builds it with the objects once for the whole module:
the matrix's hundreds of cases only read them.
"""

import pytest

from tests.acteurs.factories import HabilitationFactory, MembreFactory, UserFactory

STATUS = {"o": {200, 302}, "f": {403}, "n": {404}}


def lire_table(texte: str) -> tuple[list[str], dict[str, dict[str, str]]]:
    """The verbs (header row) and, per person, per verb, the letters expected per object."""
    lignes = [ligne.split() for ligne in texte.strip().splitlines()]
    verbes = lignes[0][1:]
    attendu = {ligne[0]: dict(zip(verbes, ligne[1:], strict=True)) for ligne in lignes[1:]}
    return verbes, attendu


def cas(attendu: dict[str, dict[str, str]]) -> list:
    return [
        pytest.param(personne, verbe, id=f"{personne}-{verbe}")
        for personne, verbes in attendu.items()
        for verbe in verbes
    ]


def verifier(client, user, verbe: str, objets: dict, lettres: str, requete) -> None:
    """Log USER in and send REQUETE(client, verbe, objet) for each object; every answer must
    be the one its letter says. All objects are tried before failing, so a failure shows
    the whole row."""
    assert len(lettres) == len(objets), (verbe, lettres, list(objets))
    client.force_login(user)
    obtenu, fautes = {}, []
    for (cle, objet), lettre in zip(objets.items(), lettres, strict=True):
        status = requete(client, verbe, objet).status_code
        obtenu[cle] = status
        if status not in STATUS[lettre]:
            fautes.append(f"{cle}: {status} au lieu de {lettre}")
    assert not fautes, f"{verbe}: {', '.join(fautes)} (obtenu {obtenu})"


def creer_personnes(departement, autre_departement, structure_a, structure_b) -> dict:
    """The cast of every matrix. DEPARTEMENT must lie in a région that AUTRE_DEPARTEMENT
    is not in, so that a regional reader of the first does not read the second."""
    assert departement.region and departement.region != autre_departement.region
    hab = HabilitationFactory
    return {
        "pilotage": hab(departement=departement, role="pilotage").user,
        "cabinet": hab(departement=departement, role="cabinet").user,
        "communication": hab(departement=departement, role="communication").user,
        "lecteur": hab(departement=departement, role="lecteur").user,
        "lecteur_region": hab(
            departement=None, perimetre="region", region=departement.region, role="lecteur"
        ).user,
        "lecteur_france": hab(departement=None, perimetre="france", role="lecteur").user,
        "admin_a": MembreFactory(acteur=structure_a, role="administrateur").user,
        "contrib_a": MembreFactory(acteur=structure_a, role="contributeur").user,
        "lecteur_a": MembreFactory(acteur=structure_a, role="lecteur").user,
        "membre_b": MembreFactory(acteur=structure_b, role="contributeur").user,
        "pilotage_autre": hab(departement=autre_departement, role="pilotage").user,
        "sans_role": UserFactory(),
    }
