"""The comités' access matrices, walked through the real views (tests/access_harness).

Instances, in the order of each row's letters:
  I = Seine-Maritime's COPIL, where admin_a holds a seat for structure A,
  J = another Seine-Maritime instance where nobody of the cast sits,
  X = an instance of Hautes-Alpes (another région).
Séances (all convened, upcoming):
  S = a séance of J to which contrib_a is convened,
  T = a séance of I to which nobody of the cast is convened (sitting is not being convened),
  X = a séance of Hautes-Alpes.
Held séances, each with a first version of its communiqué:
  H = a séance of I, held, to which contrib_a was convened,
  Y = a séance of Hautes-Alpes, held.
"""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from comites import access
from comites.models import Communique, Seance
from tests.access_harness import cas, creer_personnes, lire_table, verifier
from tests.acteurs.factories import ActeurFactory, DepartementFactory
from tests.comites.factories import (
    ConvocationFactory,
    InstanceFactory,
    PersonneFactory,
    SeanceFactory,
    SiegeFactory,
)
from tests.donnees_partagees import une_fois_par_module

INSTANCES = """
personne        voir  gerer
pilotage        oon   oon
cabinet         oon   ffn
communication   oon   ffn
lecteur         oon   ffn
lecteur_region  oon   ffn
lecteur_france  ooo   fff
admin_a         onn   fnn
contrib_a       nnn   nnn
lecteur_a       nnn   nnn
membre_b        nnn   nnn
pilotage_autre  nno   nno
sans_role       nnn   nnn
"""

SEANCES = """
personne        voir  organiser  repondre  emarger  annoncer
pilotage        oon   oon        ffn       oon      oon
cabinet         oon   ffn        ffn       ffn      oon
communication   oon   ffn        ffn       ffn      oon
lecteur         oon   ffn        ffn       ffn      ffn
lecteur_region  oon   ffn        ffn       ffn      ffn
lecteur_france  ooo   fff        fff       fff      fff
admin_a         nnn   nnn        nnn       nnn      nnn
contrib_a       onn   fnn        onn       fnn      fnn
lecteur_a       nnn   nnn        nnn       nnn      nnn
membre_b        nnn   nnn        nnn       nnn      nnn
pilotage_autre  nno   nno        nnf       nno      nno
sans_role       nnn   nnn        nnn       nnn      nnn
"""

# The press release of a held séance: prepare (the page), save a version, export it as text
# and as a PDF. The département's pilotage, cabinet and press office; nobody else, not even
# a convened partner.
COMMUNIQUES = """
personne        preparer  enregistrer  texte  pdf
pilotage        on        on           on     on
cabinet         on        on           on     on
communication   on        on           on     on
lecteur         fn        fn           fn     fn
lecteur_region  fn        fn           fn     fn
lecteur_france  ff        ff           ff     ff
admin_a         nn        nn           nn     nn
contrib_a       fn        fn           fn     fn
lecteur_a       nn        nn           nn     nn
membre_b        nn        nn           nn     nn
pilotage_autre  no        no           no     no
sans_role       nn        nn           nn     nn
"""


def creer_monde():
    sm = DepartementFactory()
    ha = DepartementFactory(hautes_alpes=True)
    a = ActeurFactory(departement=sm, nom="Association A")
    b = ActeurFactory(departement=sm, nom="Association B")
    personnes = creer_personnes(sm, ha, a, b)
    i = InstanceFactory(departement=sm)
    j = InstanceFactory(departement=sm)
    x = InstanceFactory(departement=ha)
    siegeant = PersonneFactory(departement=sm, user=personnes["admin_a"])
    SiegeFactory(instance=i, personne=siegeant, acteur=a)
    convoquee = Seance.Statut.CONVOQUEE
    s = SeanceFactory(instance=j, statut=convoquee)
    convoque = PersonneFactory(departement=sm, user=personnes["contrib_a"])
    ConvocationFactory(seance=s, personne=convoque, acteur=a)
    tenues = {
        "H": SeanceFactory(instance=i, passee=True, statut=Seance.Statut.TENUE),
        "Y": SeanceFactory(instance=x, passee=True, statut=Seance.Statut.TENUE),
    }
    ConvocationFactory(seance=tenues["H"], personne=convoque, acteur=a)
    for tenue in tenues.values():
        Communique.objects.create(
            seance=tenue,
            version=1,
            titre="Le comité de pilotage s'est réuni",
            lieu_date="Rouen, le 2 juin 2026",
            texte="Le comité a fait le point.",
            cree_par=personnes["pilotage"],
        )
    return SimpleNamespace(
        personnes=personnes,
        tenues=tenues,
        instances={"I": i, "J": j, "X": x},
        seances={
            "S": s,
            "T": SeanceFactory(instance=i, statut=convoquee),
            "X": SeanceFactory(instance=x, statut=convoquee),
        },
    )


_donnees_du_module, monde = une_fois_par_module(creer_monde)


VERBES = {
    ("instance", "voir"): ("get", "comites:instance", {}),
    ("instance", "gerer"): ("get", "comites:seance_creer", {}),
    ("seance", "voir"): ("get", "comites:seance", {}),
    ("seance", "organiser"): ("get", "comites:reponses", {}),
    ("seance", "repondre"): ("post", "comites:repondre", {"reponse-reponse": "excuse"}),
    ("seance", "emarger"): ("post", "comites:emarger", {}),
    ("seance", "annoncer"): ("get", "comites:avis_medias", {}),
}


def requete_sur(kind):
    def requete(client, verbe, objet):
        methode, nom, data = VERBES[(kind, verbe)]
        return getattr(client, methode)(reverse(nom, args=[objet.pk]), data)

    return requete


COMMUNIQUE = {"titre": "Le comité s'est réuni", "lieu_date": "Rouen", "texte": "Il a décidé."}


def requete_communique(client, verbe, seance):
    if verbe == "preparer":
        return client.get(reverse("comites:communique", args=[seance.pk]))
    if verbe == "enregistrer":
        return client.post(reverse("comites:communique", args=[seance.pk]), COMMUNIQUE)
    nom = {"texte": "comites:communique_texte", "pdf": "comites:communique_pdf"}[verbe]
    methode = client.get if verbe == "texte" else client.post
    return methode(reverse(nom, args=[seance.pk, 1]))


_, ATTENDU_INSTANCES = lire_table(INSTANCES)
_, ATTENDU_COMMUNIQUES = lire_table(COMMUNIQUES)
_, ATTENDU_SEANCES = lire_table(SEANCES)


@pytest.mark.parametrize(("personne", "verbe"), cas(ATTENDU_INSTANCES))
def test_instances(client, monde, personne, verbe):
    lettres = ATTENDU_INSTANCES[personne][verbe]
    user = monde.personnes[personne]
    verifier(client, user, verbe, monde.instances, lettres, requete_sur("instance"))


@pytest.mark.parametrize(("personne", "verbe"), cas(ATTENDU_SEANCES))
def test_seances(client, monde, personne, verbe):
    lettres = ATTENDU_SEANCES[personne][verbe]
    user = monde.personnes[personne]
    verifier(client, user, verbe, monde.seances, lettres, requete_sur("seance"))


@pytest.mark.parametrize(("personne", "verbe"), cas(ATTENDU_COMMUNIQUES))
def test_communiques(client, monde, personne, verbe):
    lettres = ATTENDU_COMMUNIQUES[personne][verbe]
    user = monde.personnes[personne]
    verifier(client, user, verbe, monde.tenues, lettres, requete_communique)


@pytest.mark.parametrize("personne", list(ATTENDU_SEANCES))
def test_lists_agree_with_the_matrix(client, monde, personne):
    """What the lists show is exactly what opens: never a link to a 404."""
    user = monde.personnes[personne]
    for objets, qs, attendu in [
        (monde.instances, access.instances_visible_to(user), ATTENDU_INSTANCES),
        (monde.seances, access.seances_visible_to(user), ATTENDU_SEANCES),
    ]:
        visibles = set(qs.values_list("pk", flat=True))
        lettres = attendu[personne]["voir"]
        for (cle, objet), lettre in zip(objets.items(), lettres, strict=True):
            assert (objet.pk in visibles) is (lettre == "o"), (personne, cle)


def test_creating_an_instance_is_pilotage_only(client, monde):
    for personne, statut in [("pilotage", 200), ("cabinet", 403), ("admin_a", 403)]:
        client.force_login(monde.personnes[personne])
        assert client.get(reverse("comites:instance_creer")).status_code == statut, personne
