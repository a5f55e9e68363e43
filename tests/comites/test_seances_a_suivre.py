"""What waits for pilotage among the séances, as its home page lists it: the oldest of each
list, in one query, a held séance in both lists it belongs to."""

from datetime import timedelta

import pytest
from django.utils import timezone

from acteurs.access import profil
from comites.access import seances_a_suivre
from comites.models import Seance
from tests.acteurs.factories import DepartementFactory, HabilitationFactory
from tests.comites.factories import InstanceFactory, SeanceFactory

pytestmark = pytest.mark.django_db
S = Seance.Statut


def test_chaque_liste_garde_ses_plus_anciennes_en_une_requete(django_assert_num_queries):
    pilotage = HabilitationFactory(role="pilotage")
    instance = InstanceFactory(departement=pilotage.departement)
    maintenant = timezone.now()

    def seance(jours: int, statut) -> Seance:
        debut = maintenant + timedelta(days=jours)
        close = {"close_le": debut, "close_par": pilotage.user} if statut == S.CLOSE else {}
        return SeanceFactory(instance=instance, debut=debut, statut=statut, **close)

    planifiees = [seance(jours, S.PLANIFIEE) for jours in range(12, 0, -1)]
    tenue_en_retard = seance(-20, S.TENUE)  # to close, and its minutes are late
    close_en_retard = seance(-30, S.CLOSE)
    convoquee_finie = seance(-1, S.CONVOQUEE)  # over yesterday: to close, minutes not late
    seance(-40, S.ANNULEE)
    ailleurs = DepartementFactory(hautes_alpes=True)
    SeanceFactory(instance__departement=ailleurs, debut=maintenant + timedelta(days=1))

    profil(pilotage.user)  # read once per request, before any page's own queries
    with django_assert_num_queries(1):
        listes = seances_a_suivre(pilotage.user, [pilotage.departement_id])

    plus_anciennes = sorted(planifiees, key=lambda s: s.debut)[:10]
    assert listes["a_convoquer"] == plus_anciennes
    assert listes["a_clore"] == [tenue_en_retard, convoquee_finie]
    assert listes["compte_rendu_en_retard"] == [close_en_retard, tenue_en_retard]
    assert seances_a_suivre(pilotage.user, [pilotage.departement_id], limite=1) == {
        "a_convoquer": plus_anciennes[:1],
        "a_clore": [tenue_en_retard],
        "compte_rendu_en_retard": [close_en_retard],
    }


def test_rien_pour_qui_ne_pilote_pas():
    lecteur = HabilitationFactory(role="lecteur")
    SeanceFactory(instance__departement=lecteur.departement, statut=S.PLANIFIEE)
    listes = seances_a_suivre(lecteur.user, [lecteur.departement_id])
    assert listes == {"a_convoquer": [], "a_clore": [], "compte_rendu_en_retard": []}
