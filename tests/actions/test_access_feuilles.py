"""The feuilles de route's access matrix, walked whole through the real views
(tests/access_harness).

Objects, in the order of each row's letters, all of Seine-Maritime but the last:
  B = a draft, C = in consultation, V = at the cabinet's visa, S = signed,
  X = a draft of Hautes-Alpes (another région).
"""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from acteurs.models import User
from actions import access
from actions.models import FeuilleDeRoute
from tests.access_harness import cas, creer_personnes, lire_table, verifier
from tests.acteurs.factories import ActeurFactory, DepartementFactory, UserFactory
from tests.actions.factories import AxeFactory, FeuilleDeRouteFactory
from tests.donnees_partagees import une_fois_par_module

FEUILLES = """
personne        voir   consultation  modifier  axes   consulter  nouvelle_version  commenter  signer
pilotage        oooon  oooon         ooffn     ooffn  ooffn      oooon             ffffn      ffffn
cabinet         oooon  oooon         ffffn     ffffn  ffffn      ffffn             ffffn      ffoon
communication   oooon  oooon         ffffn     ffffn  ffffn      ffffn             ffffn      ffffn
lecteur         oooon  oooon         ffffn     ffffn  ffffn      ffffn             ffffn      ffffn
lecteur_region  oooon  oooon         ffffn     ffffn  ffffn      ffffn             ffffn      ffffn
lecteur_france  ooooo  ooooo         fffff     fffff  fffff      fffff             fffff      fffff
admin_a         oooon  oooon         ffffn     ffffn  ffffn      ffffn             foffn      ffffn
contrib_a       oooon  oooon         ffffn     ffffn  ffffn      ffffn             foffn      ffffn
lecteur_a       oooon  oooon         ffffn     ffffn  ffffn      ffffn             foffn      ffffn
membre_b        oooon  oooon         ffffn     ffffn  ffffn      ffffn             foffn      ffffn
pilotage_autre  nnnno  nnnno         nnnno     nnnno  nnnno      nnnno             nnnnf      nnnnf
sans_role       nnnnn  nnnnn         nnnnn     nnnnn  nnnnn      nnnnn             nnnnn      nnnnn
"""  # noqa: E501

S = FeuilleDeRoute.Statut


def _feuille(departement, annee, **champs):
    feuille = FeuilleDeRouteFactory(departement=departement, annee_debut=annee, annee_fin=annee)
    AxeFactory(feuille=feuille, libelle="Langue")
    if champs:
        FeuilleDeRoute.objects.filter(pk=feuille.pk).update(**champs)
        feuille.refresh_from_db()
    return feuille


def creer_monde():
    sm = DepartementFactory()
    ha = DepartementFactory(hautes_alpes=True)
    a = ActeurFactory(departement=sm, nom="Association A")
    b = ActeurFactory(departement=sm, nom="Association B")
    return SimpleNamespace(
        personnes=creer_personnes(sm, ha, a, b),
        feuilles={
            "B": _feuille(sm, 2026),
            "C": _feuille(sm, 2027, statut=S.CONSULTATION),
            "V": _feuille(sm, 2028, statut=S.VISA),
            "S": _feuille(sm, 2029, statut=S.SIGNEE, signee_le="2026-06-20T10:00:00Z",
                          signee_par=UserFactory()),
            "X": _feuille(ha, 2026),
        },
    )  # fmt: skip


_donnees_du_module, monde = une_fois_par_module(creer_monde)


# For "consulter", the step each state offers (none at the visa or once signed).
ETAPE = {S.BROUILLON: S.CONSULTATION, S.CONSULTATION: S.BROUILLON}

VERBES = {
    "voir": ("get", "actions:feuille"),
    "consultation": ("get", "actions:consultation"),
    "modifier": ("get", "actions:feuille_modifier"),
    "axes": ("get", "actions:feuille_axes"),
    "consulter": ("post", "actions:feuille_etape"),
    "nouvelle_version": ("post", "actions:feuille_nouvelle_version"),
    "commenter": ("post", "actions:commenter"),
    "signer": ("get", "actions:feuille_signer"),  # the signing page: the cabinet's
}


def requete(client, verbe, feuille):
    methode, nom = VERBES[verbe]
    data = {}
    if verbe == "consulter":
        data = {"vers": ETAPE.get(feuille.statut, S.BROUILLON)}
    elif verbe == "commenter":  # on behalf of one's own structure, as the page offers
        user = User.objects.get(pk=client.session["_auth_user_id"])
        structure = access.structures_commentatrices(user, feuille).first()
        data = {"axe": feuille.axes.get().pk, "texte": "Une remarque.",
                "au_nom_de": structure.pk if structure else ""}  # fmt: skip
    return getattr(client, methode)(reverse(nom, args=[feuille.pk]), data)


_, ATTENDU = lire_table(FEUILLES)


@pytest.mark.parametrize(("personne", "verbe"), cas(ATTENDU))
def test_feuilles(client, monde, personne, verbe):
    lettres = ATTENDU[personne][verbe]
    verifier(client, monde.personnes[personne], verbe, monde.feuilles, lettres, requete)
