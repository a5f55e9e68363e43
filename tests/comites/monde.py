"""The comités' part of the accessibility check's world (tests/browser/test_accessibilite.py):
an instance where the structure's administrator sits, an upcoming séance to which its
contributor is convened (with a personal answer link), and a held séance with a version of
its communiqué exported in PDF. One convocation's e-mail left, the other's failed."""

from datetime import timedelta

from django.utils import timezone

from comites import documents, services
from comites.models import Seance
from integration.documents.services import demander
from integration.jetons import empreinte
from integration.models import OutboxTask
from tests.comites.factories import (
    ConvocationFactory,
    DecisionFactory,
    InstanceFactory,
    PersonneFactory,
    SeanceFactory,
    SiegeFactory,
)

JETON = "jeton-de-convocation-de-test"


def _envoi(status: str) -> OutboxTask:
    return OutboxTask.objects.create(
        task_name="integration.tasks.send_email_with_attachment",
        status=status,
        done_at=timezone.now() if status == "done" else None,
    )


def creer(departement, utilisateurs, association) -> dict:
    copil = InstanceFactory(departement=departement, nom="Comité de pilotage intégration")
    admin = utilisateurs["admin_structure"]
    siegeant = PersonneFactory(
        departement=departement, nom="Nadia Haddad", user=admin, courriel=admin.email
    )
    siege = SiegeFactory(instance=copil, personne=siegeant, acteur=association)
    a_venir = SeanceFactory(
        instance=copil, statut=Seance.Statut.CONVOQUEE, organisateur=utilisateurs["pilotage"]
    )
    contributeur = utilisateurs["contributeur"]
    convoque = PersonneFactory(
        departement=departement, nom="Julien Martin", user=contributeur, courriel=contributeur.email
    )
    # One e-mail left, one failed: the organiser's table shows both states and « Renvoyer ».
    ConvocationFactory(seance=a_venir, personne=convoque, acteur=association, envoi=_envoi("done"))
    ConvocationFactory(
        seance=a_venir,
        envoi=_envoi("failed"),
        jeton_hash=empreinte(JETON),
        reponse="represente",
        represente_par_nom="Anne Roy",
        represente_par_structure="CCAS",
    )
    passee = SeanceFactory(
        instance=copil,
        passee=True,
        statut=Seance.Statut.TENUE,
        organisateur=utilisateurs["pilotage"],
        compte_rendu="<h3>Ouverture</h3><p>Le préfet ouvre la séance.</p>",
    )
    ConvocationFactory.create_batch(2, seance=passee, presence="present")
    DecisionFactory(seance=passee, echeance=timezone.localdate() - timedelta(days=2))
    version = services.enregistrer_communique(
        passee,
        titre="La préfecture réunit le comité de pilotage",
        texte="Les partenaires de l'intégration étaient réunis.",
        by=utilisateurs["cabinet"],
    )
    document = demander(documents.COMMUNIQUE, version, by=utilisateurs["cabinet"])
    return {
        "instance": copil,
        "siege": siege,
        "a_venir": a_venir,
        "passee": passee,
        "document": document,
    }
