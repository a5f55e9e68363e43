"""The registry's access matrices, walked whole through the real views (tests/access_harness).

Objects, in the order of each row's letters:
  A = a validated association of Seine-Maritime (members: admin_a, contrib_a, lecteur_a),
  B = another validated association of Seine-Maritime (member: membre_b),
  P = a pending proposal made by membre_b,
  R = a proposal of membre_b that pilotage rejected,
  X = a validated actor of Hautes-Alpes (another région than Seine-Maritime's Normandie).
"""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from acteurs import access
from tests.access_harness import cas, creer_personnes, lire_table, verifier
from tests.acteurs.factories import (
    ActeurFactory,
    DepartementFactory,
    InvitationFactory,
    MembreFactory,
)
from tests.donnees_partagees import une_fois_par_module

ACTEURS = """
personne        voir   modifier  archiver  moderer  voir_membres
pilotage        oooon  ooofn     ooffn     ffofn    ooofn
cabinet         oonnn  ffnnn     ffnnn     ffnnn    oonnn
communication   oonnn  ffnnn     ffnnn     ffnnn    ffnnn
lecteur         oonnn  ffnnn     ffnnn     ffnnn    oonnn
lecteur_region  oonnn  ffnnn     ffnnn     ffnnn    oonnn
lecteur_france  oonno  ffnnf     ffnnf     ffnnf    oonno
admin_a         oonnn  ofnnn     ffnnn     ffnnn    ofnnn
contrib_a       oonnn  ffnnn     ffnnn     ffnnn    ofnnn
lecteur_a       oonnn  ffnnn     ffnnn     ffnnn    ofnnn
membre_b        oooon  ffofn     ffffn     ffffn    foffn
pilotage_autre  nnnno  nnnno     nnnno     nnnnf    nnnno
sans_role       nnnnn  nnnnn     nnnnn     nnnnn    nnnnn
"""

# On one member (a reader of the structure) of each of A B P R X.
MEMBRES = """
personne        changer_role  desactiver
pilotage        ooffn         ooffn
cabinet         ffnnn         ffnnn
communication   ffnnn         ffnnn
lecteur         ffnnn         ffnnn
lecteur_region  ffnnn         ffnnn
lecteur_france  ffnnf         ffnnf
admin_a         ofnnn         ofnnn
contrib_a       ffnnn         ffnnn
lecteur_a       ffnnn         ffnnn
membre_b        ffffn         ffffn
pilotage_autre  nnnno         nnnno
sans_role       nnnnn         nnnnn
"""

# On invitations to join A, to join Seine-Maritime's staff (S), and to join X.
INVITATIONS = """
personne        renvoyer  revoquer
pilotage        oon       oon
cabinet         nnn       nnn
communication   nnn       nnn
lecteur         nnn       nnn
lecteur_region  nnn       nnn
lecteur_france  nnn       nnn
admin_a         onn       onn
contrib_a       nnn       nnn
lecteur_a       nnn       nnn
membre_b        nnn       nnn
pilotage_autre  nno       nno
sans_role       nnn       nnn
"""

# The département's own verbs, in Seine-Maritime then Hautes-Alpes (o allowed, f not).
DEPARTEMENT = """
personne        creer_acteur  proposer_acteur  importer_acteurs  voir_invitations  inviter_membres  inviter_equipe  contacts_presse
pilotage        of            ff               of                of                of               of               of
cabinet         ff            ff               ff                ff                ff               ff               ff
communication   ff            ff               ff                ff                ff               ff               of
lecteur         ff            ff               ff                ff                ff               ff               ff
lecteur_region  ff            ff               ff                ff                ff               ff               ff
lecteur_france  ff            ff               ff                ff                ff               ff               ff
admin_a         ff            of               ff                of                of               ff               ff
contrib_a       ff            of               ff                ff                ff               ff               ff
lecteur_a       ff            of               ff                ff                ff               ff               ff
membre_b        ff            of               ff                ff                ff               ff               ff
pilotage_autre  fo            ff               fo                fo                fo               fo               fo
sans_role       ff            ff               ff                ff                ff               ff               ff
"""  # noqa: E501


def creer_monde():
    sm = DepartementFactory()
    ha = DepartementFactory(hautes_alpes=True)
    a = ActeurFactory(departement=sm, nom="Association A")
    b = ActeurFactory(departement=sm, nom="Association B")
    personnes = creer_personnes(sm, ha, a, b)
    auteur = personnes["membre_b"]
    acteurs = {
        "A": a,
        "B": b,
        "P": ActeurFactory(
            departement=sm, nom="Proposition P", en_attente=True, propose_par=auteur
        ),
        "R": ActeurFactory(departement=sm, nom="Proposition R", rejete=True, propose_par=auteur),
        "X": ActeurFactory(departement=ha, nom="Acteur X"),
    }
    return SimpleNamespace(
        personnes=personnes,
        departements={"SM": sm, "HA": ha},
        acteurs=acteurs,
        membres={k: MembreFactory(acteur=acteur, role="lecteur") for k, acteur in acteurs.items()},
        invitations={
            "IA": InvitationFactory(acteur=a),
            "IS": InvitationFactory(
                acteur=None, departement=sm, role_membre="", role_departemental="cabinet"
            ),
            "IX": InvitationFactory(acteur=acteurs["X"]),
        },
    )


_donnees_du_module, monde = une_fois_par_module(creer_monde)


# --- Actors -----------------------------------------------------------------------------

VERBES_ACTEUR = {
    "voir": ("get", "acteurs:detail"),
    "modifier": ("get", "acteurs:modifier"),
    "archiver": ("post", "acteurs:archiver"),
    "moderer": ("get", "acteurs:moderer"),
    "voir_membres": ("get", "acteurs:membres"),
    "changer_role": ("post", "acteurs:membre_role"),
    "desactiver": ("post", "acteurs:membre_desactiver"),
    "renvoyer": ("post", "acteurs:invitation_renvoyer"),
    "revoquer": ("post", "acteurs:invitation_revoquer"),
}


def requete(client, verbe, objet):
    methode, nom = VERBES_ACTEUR[verbe]
    data = {"role": "contributeur"} if verbe == "changer_role" else {}
    return getattr(client, methode)(reverse(nom, args=[objet.pk]), data)


_, ATTENDU_ACTEURS = lire_table(ACTEURS)
_, ATTENDU_MEMBRES = lire_table(MEMBRES)
_, ATTENDU_INVITATIONS = lire_table(INVITATIONS)
_, ATTENDU_DEPARTEMENT = lire_table(DEPARTEMENT)


@pytest.mark.parametrize(("personne", "verbe"), cas(ATTENDU_ACTEURS))
def test_acteurs(client, monde, personne, verbe):
    lettres = ATTENDU_ACTEURS[personne][verbe]
    verifier(client, monde.personnes[personne], verbe, monde.acteurs, lettres, requete)


@pytest.mark.parametrize(("personne", "verbe"), cas(ATTENDU_MEMBRES))
def test_membres(client, monde, personne, verbe):
    lettres = ATTENDU_MEMBRES[personne][verbe]
    verifier(client, monde.personnes[personne], verbe, monde.membres, lettres, requete)


@pytest.mark.parametrize(("personne", "verbe"), cas(ATTENDU_INVITATIONS))
def test_invitations(client, monde, personne, verbe):
    lettres = ATTENDU_INVITATIONS[personne][verbe]
    verifier(client, monde.personnes[personne], verbe, monde.invitations, lettres, requete)


@pytest.mark.parametrize("personne", list(ATTENDU_ACTEURS))
def test_la_liste_visible_suit_la_matrice(monde, personne):
    """The queryset and the per-object rule agree, so lists never show a 404 link."""
    user = monde.personnes[personne]
    visibles = set(access.acteurs_visible_to(user).values_list("pk", flat=True))
    lettres = ATTENDU_ACTEURS[personne]["voir"]
    for (cle, acteur), lettre in zip(monde.acteurs.items(), lettres, strict=True):
        assert (acteur.pk in visibles) is (lettre == "o"), (personne, cle)
        assert access.can(user, "voir", acteur) is (lettre == "o"), (personne, cle)


# --- The département's own verbs --------------------------------------------------------


@pytest.mark.parametrize(("personne", "verbe"), cas(ATTENDU_DEPARTEMENT))
def test_departement(monde, personne, verbe):
    user = monde.personnes[personne]
    obtenu = "".join(
        "o" if access.peut(user, verbe, departement) else "f"
        for departement in monde.departements.values()
    )
    assert obtenu == ATTENDU_DEPARTEMENT[personne][verbe]


# Each département-level page and the verbs that open it.
PAGES_DEPARTEMENT = {
    "acteurs:creer": ("creer_acteur", "proposer_acteur"),
    "acteurs:importer": ("importer_acteurs",),
    "acteurs:invitations": ("voir_invitations",),
    "acteurs:invitation_creer": ("inviter_membres",),
    "acteurs:contacts_presse": ("contacts_presse",),
}


@pytest.mark.parametrize("personne", list(ATTENDU_DEPARTEMENT))
@pytest.mark.parametrize("page", list(PAGES_DEPARTEMENT))
def test_les_pages_du_departement_suivent_la_matrice(client, monde, personne, page):
    """Each page opens exactly when the matrix allows one of its verbs in the département
    the user works on; a wide reader is asked to choose a département (403 too)."""
    user = monde.personnes[personne]
    client.force_login(user)
    response = client.get(reverse(page))
    courant = response.wsgi_request.departement
    permis = bool(courant) and any(access.peut(user, v, courant) for v in PAGES_DEPARTEMENT[page])
    assert response.status_code == (200 if permis else 403)


def test_un_verbe_inconnu_leve_une_erreur(monde):
    with pytest.raises(access.VerbeInconnu):
        access.can(monde.personnes["pilotage"], "supprimer", monde.acteurs["A"])
    with pytest.raises(access.VerbeInconnu):
        access.peut(monde.personnes["pilotage"], "supprimer", monde.departements["SM"])


# --- Edge cases -------------------------------------------------------------------------


def test_anonyme_redirige_vers_la_connexion(client, monde):
    response = client.get(reverse("acteurs:detail", args=[monde.acteurs["A"].pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_membre_desactive_perd_ses_droits(client, monde):
    admin = monde.personnes["admin_a"]
    membre = admin.adhesions.get()
    membre.actif = False
    membre.desactive_le = membre.cree_le
    membre.save()
    client.force_login(admin)
    assert client.get(reverse("acteurs:modifier", args=[monde.acteurs["A"].pk])).status_code == 404
