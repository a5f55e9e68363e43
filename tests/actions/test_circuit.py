"""Submission and review: every move through `circuit.changer_statut`, logged, journalled,
notified; the window; the review queue."""

import html
from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, Transition, TransitionImmuable
from tests.acteurs.factories import HabilitationFactory, MembreFactory
from tests.actions.factories import ActionFactory, FeuilleDeRouteFactory, FinancementFactory


def statut_url(action):
    return reverse("actions:transition", args=[action.pk])


def poster(client, action, vers, commentaire=""):
    return client.post(statut_url(action), {"vers": vers, "commentaire": commentaire})


# --- Anonymous and wrong roles first ----------------------------------------------------


def test_anonyme_ne_change_aucun_statut(client, brouillon):
    response = poster(client, brouillon, "soumise")
    assert response.status_code == 302 and "/connexion/" in response.url
    brouillon.refresh_from_db()
    assert brouillon.statut == "brouillon"


def test_le_statut_ne_change_qu_en_post(client, partenaire, brouillon):
    client.force_login(partenaire)
    assert client.get(statut_url(brouillon), {"vers": "soumise"}).status_code == 405


def test_un_lecteur_de_structure_ne_soumet_pas(client, association, brouillon):
    lecteur_a = MembreFactory(acteur=association, role="lecteur").user
    client.force_login(lecteur_a)
    assert poster(client, brouillon, "soumise").status_code == 403


def test_le_porteur_n_instruit_pas_sa_propre_action(client, partenaire, brouillon):
    brouillon.statut, brouillon.soumise_le = "soumise", timezone.now()
    brouillon.save()
    client.force_login(partenaire)
    assert poster(client, brouillon, "validee").status_code == 403
    brouillon.refresh_from_db()
    assert brouillon.statut == "soumise"


def test_la_file_est_reservee_au_pilotage(client, partenaire, cabinet, pilotage):
    for user in (partenaire, cabinet):
        client.force_login(user)
        assert client.get(reverse("actions:instruction")).status_code == 403
    client.force_login(pilotage)
    assert client.get(reverse("actions:instruction")).status_code == 200


# --- The whole circuit ------------------------------------------------------------------


def test_soumettre_renvoyer_resoumettre_valider(
    client, partenaire, pilotage, brouillon, apres_commit
):
    client.force_login(partenaire)
    with apres_commit():
        assert poster(client, brouillon, "soumise").status_code == 302
    brouillon.refresh_from_db()
    assert brouillon.statut == "soumise" and brouillon.soumise_le
    assert [m.to for m in mail.outbox] == [[pilotage.email]]
    assert "Action à instruire" in mail.outbox[0].subject

    client.force_login(pilotage)
    response = poster(client, brouillon, "a_completer")  # without a comment: refused
    assert response.status_code == 302
    brouillon.refresh_from_db()
    assert brouillon.statut == "soumise"
    with apres_commit():
        poster(client, brouillon, "a_completer", "Précisez le budget.")
    brouillon.refresh_from_db()
    assert brouillon.statut == "a_completer"
    assert partenaire.email in mail.outbox[-1].to
    assert "Précisez le budget." in mail.outbox[-1].body

    client.force_login(partenaire)  # editable again, then resubmitted
    assert client.get(reverse("actions:modifier", args=[brouillon.pk])).status_code == 200
    poster(client, brouillon, "soumise")
    client.force_login(pilotage)
    poster(client, brouillon, "validee", "Bonne action.")
    brouillon.refresh_from_db()
    assert brouillon.statut == "validee"
    log = list(brouillon.transitions.values_list("de", "vers", "par", "commentaire"))
    assert log == [
        ("brouillon", "soumise", partenaire.pk, ""),
        ("soumise", "a_completer", pilotage.pk, "Précisez le budget."),
        ("a_completer", "soumise", partenaire.pk, ""),
        ("soumise", "validee", pilotage.pk, "Bonne action."),
    ]
    page = html.unescape(client.get(brouillon.get_absolute_url()).content.decode())
    assert "Précisez le budget." in page and "À compléter → Soumise" in page


def test_refuser_demande_un_motif(client, pilotage, brouillon):
    brouillon.statut, brouillon.soumise_le = "soumise", timezone.now()
    brouillon.save()
    client.force_login(pilotage)
    response = poster(client, brouillon, "refusee", "  ")
    assert "Indiquez le motif du refus" in client.get(response.url).content.decode()
    brouillon.refresh_from_db()
    assert brouillon.statut == "soumise" and not Transition.objects.exists()
    poster(client, brouillon, "refusee", "Hors du champ de la feuille de route.")
    brouillon.refresh_from_db()
    assert brouillon.statut == "refusee"


def test_un_mouvement_absent_du_tableau_est_refuse(client, pilotage, brouillon):
    client.force_login(pilotage)  # pilotage may not validate a mere draft
    assert poster(client, brouillon, "validee").status_code == 403
    response = poster(client, brouillon, "inconnu")
    assert response.status_code == 302
    brouillon.refresh_from_db()
    assert brouillon.statut == "brouillon"


def test_hors_de_la_fenetre_un_partenaire_ne_soumet_pas(client, partenaire, brouillon):
    feuille = brouillon.feuille
    feuille.depot_ouvert_le = timezone.localdate() - timedelta(days=30)
    feuille.depot_clos_le = timezone.localdate() - timedelta(days=1)
    feuille.save()
    client.force_login(partenaire)
    response = poster(client, brouillon, "soumise")
    page = client.get(response.url).content.decode()
    assert "Le dépôt des actions est fermé" in page
    brouillon.refresh_from_db()
    assert brouillon.statut == "brouillon" and not Transition.objects.exists()


def test_sans_fenetre_ouverte_non_plus(client, partenaire, brouillon):
    feuille = brouillon.feuille
    feuille.depot_ouvert_le = feuille.depot_clos_le = None
    feuille.save()
    client.force_login(partenaire)
    response = poster(client, brouillon, "soumise")
    assert "pas encore ouvert de période" in client.get(response.url).content.decode()
    brouillon.refresh_from_db()
    assert brouillon.statut == "brouillon"


def test_les_boutons_suivent_la_matrice(client, partenaire, pilotage, brouillon):
    client.force_login(partenaire)
    page = html.unescape(client.get(brouillon.get_absolute_url()).content.decode())
    assert "Soumettre au service pilote" in page and "Valider l'action" not in page
    client.force_login(pilotage)
    poster(client, brouillon, "soumise")  # pilotage drafted nothing: not its to submit
    brouillon.refresh_from_db()
    assert brouillon.statut == "brouillon"
    brouillon.statut, brouillon.soumise_le = "soumise", timezone.now()
    brouillon.save()
    page = html.unescape(client.get(brouillon.get_absolute_url()).content.decode())
    assert "Valider l'action" in page and "Renvoyer pour compléments" in page
    assert "Soumettre au service pilote" not in page
    client.force_login(partenaire)
    page = html.unescape(client.get(brouillon.get_absolute_url()).content.decode())
    assert "Valider l'action" not in page and "Modifier la fiche" not in page


# --- The log is append-only -------------------------------------------------------------


def test_le_journal_des_transitions_ne_se_modifie_pas(brouillon, partenaire):
    transition = Transition.objects.create(
        action=brouillon, de="brouillon", vers="soumise", par=partenaire
    )
    with pytest.raises(TransitionImmuable):
        transition.save()
    with pytest.raises(TransitionImmuable):
        transition.delete()
    with pytest.raises(TransitionImmuable):
        Transition.objects.all().update(commentaire="x")
    for sql in (
        "UPDATE actions_transition SET commentaire = 'x'",
        "DELETE FROM actions_transition",
    ):
        refus = pytest.raises(IntegrityError, match="ajout seul")
        with refus, transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert Transition.objects.get().commentaire == ""


# --- The review queue -------------------------------------------------------------------


def _soumettre(axe, n, il_y_a_jours=0):
    quand = timezone.now() - timedelta(days=il_y_a_jours)
    return [ActionFactory(axe=axe, statut="soumise", soumise_le=quand) for _ in range(n)]


def test_la_file_montre_la_plus_ancienne_d_abord(client, pilotage, axe, hautes_alpes):
    recente = _soumettre(axe, 1, 1)[0]
    ancienne = _soumettre(axe, 1, 12)[0]
    ActionFactory(axe=axe)  # a draft is not waiting
    ActionFactory(axe=axe, validee=True)
    ailleurs = FeuilleDeRouteFactory(departement=hautes_alpes)
    ActionFactory(axe__feuille=ailleurs, statut="soumise", soumise_le=timezone.now())
    client.force_login(pilotage)
    response = client.get(reverse("actions:instruction"))
    assert [a.pk for a in response.context["page"]] == [ancienne.pk, recente.pk]
    page = response.content.decode()
    assert "en attente depuis 12 jours" in page and "en attente depuis 1 jour<" in page


def test_la_file_fait_un_nombre_constant_de_requetes(
    client, pilotage, axe, django_assert_max_num_queries
):
    client.force_login(pilotage)
    _soumettre(axe, 5, 3)
    client.get(reverse("actions:instruction"))
    with django_assert_max_num_queries(20) as premiere:
        client.get(reverse("actions:instruction"))
    actions = _soumettre(axe, 495, 2)
    FinancementFactory.create_batch(3, action=actions[0])
    with django_assert_max_num_queries(len(premiere.captured_queries)):
        response = client.get(reverse("actions:instruction"))
    assert len(response.context["page"].object_list) == 50
    assert response.context["page"].paginator.count == 500


def test_la_notification_de_soumission_va_au_seul_pilotage_du_departement(
    partenaire, pilotage, hautes_alpes, brouillon, apres_commit
):
    from actions.services import circuit

    HabilitationFactory(departement=hautes_alpes, role="pilotage")
    HabilitationFactory(departement=brouillon.feuille.departement, role="cabinet")
    with apres_commit():
        circuit.changer_statut(brouillon, Action.Statut.SOUMISE, by=partenaire)
    assert [m.to for m in mail.outbox] == [[pilotage.email]]


def test_le_tableau_de_bord_du_pilotage_compte_les_actions_a_instruire(
    client, pilotage, partenaire, axe
):
    _soumettre(axe, 2, 4)
    client.force_login(pilotage)
    assert "2 actions à instruire" in client.get("/").content.decode()
    client.force_login(partenaire)
    assert "à instruire" not in client.get("/").content.decode()
