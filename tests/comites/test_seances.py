"""Instances and their seats' history, the ordre du jour, attendance frozen at closing,
minutes sanitised, decisions, the press-release draft, lists and the calendar feed."""

from datetime import date, timedelta

import lxml.html
import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from acteurs.models import Acteur
from actions.models import StatistiqueContexte
from comites import services
from comites.models import Convocation, Instance, Seance, Siege
from tests.acteurs.factories import ActeurFactory, DepartementFactory
from tests.actions.factories import ActionFactory, FeuilleDeRouteFactory
from tests.comites.factories import (
    ConvocationFactory,
    DecisionFactory,
    InstanceFactory,
    PersonneFactory,
    SeanceFactory,
    SiegeFactory,
)

pytestmark = pytest.mark.django_db


# --- Instances and composition ----------------------------------------------------------


def test_pilotage_creates_a_working_group_under_the_copil(client, pilotage, copil):
    client.force_login(pilotage)
    url = reverse("comites:instance_creer")
    response = client.post(url, {"type": "groupe_travail", "nom": "GT santé", "parent": copil.pk})
    assert response.status_code == 200  # a working group needs a theme
    assert "thème" in response.content.decode()
    assert not Instance.objects.filter(nom="GT santé").exists()
    client.post(url, {"type": "groupe_travail", "nom": "GT santé", "theme": "Santé",
                      "parent": copil.pk})  # fmt: skip
    assert Instance.objects.get(nom="GT santé").parent == copil


def test_an_instance_name_taken_in_the_departement_is_refused_in_french(client, pilotage, copil):
    """Django's own message named the model and its fields (« Un objet Instance avec ces
    champs Departement et Nom existe déjà. »); another département may use the name."""
    client.force_login(pilotage)
    url = reverse("comites:instance_creer")
    response = client.post(url, {"type": "comite_technique", "nom": copil.nom})
    assert response.status_code == 200
    erreur = lxml.html.fromstring(response.content.decode()).get_element_by_id("id_nom_error")
    assert erreur.text_content() == "Une instance de ce nom existe déjà dans le département."
    assert Instance.objects.filter(nom=copil.nom).count() == 1
    ailleurs = InstanceFactory.build(
        departement=DepartementFactory(hautes_alpes=True), nom=copil.nom, type="copil"
    )
    assert services.creer_instance(ailleurs, by=pilotage).pk
    with pytest.raises(ValidationError, match="existe déjà"):
        services.creer_instance(Instance(departement=copil.departement, nom=copil.nom,
                                         type="copil"), by=pilotage)  # fmt: skip


def test_a_parent_from_another_departement_is_not_offered(client, pilotage, copil):
    ailleurs = InstanceFactory(departement=DepartementFactory(hautes_alpes=True))
    client.force_login(pilotage)
    client.post(reverse("comites:instance_creer"),
                {"type": "comite_technique", "nom": "CT", "parent": ailleurs.pk})  # fmt: skip
    assert not Instance.objects.filter(nom="CT").exists()


def test_changing_a_seat_holder_keeps_the_history(client, pilotage, copil):
    siege = SiegeFactory(instance=copil, role=Siege.Role.PRESIDENCE)
    ancienne = siege.personne
    nouvelle = PersonneFactory(departement=copil.departement, nom="Claire Martin")
    services.remplacer(siege, personne=nouvelle, date=date(2026, 9, 1), by=pilotage)
    sieges = list(copil.sieges.order_by("debut"))
    assert [(s.personne, s.fin) for s in sieges] == [
        (ancienne, date(2026, 8, 31)), (nouvelle, None),
    ]  # fmt: skip
    with pytest.raises(ValidationError):
        sieges[0].delete()
    client.force_login(pilotage)
    page = client.get(copil.get_absolute_url()).content.decode()
    assert "Mandats terminés" in page and ancienne.nom in page


def test_adding_a_seat_through_the_page(client, pilotage, copil):
    acteur = ActeurFactory(departement=copil.departement)
    client.force_login(pilotage)
    client.post(reverse("comites:siege_ajouter", args=[copil.pk]), {
        "siege-role": "membre", "siege-nom": "Jean Dupont", "siege-courriel": "Jean@Example.fr",
        "siege-acteur": acteur.pk, "siege-debut": "2026-01-15",
    })  # fmt: skip
    siege = copil.sieges.get()
    assert siege.personne.courriel == "jean@example.fr" and siege.personne.user is None
    # An actor of another département is refused by the form: nothing changes.
    autre = ActeurFactory(departement=DepartementFactory(hautes_alpes=True))
    client.post(reverse("comites:siege_ajouter", args=[copil.pk]), {
        "siege-role": "membre", "siege-nom": "X", "siege-courriel": "x@example.fr",
        "siege-acteur": autre.pk, "siege-debut": "2026-01-15",
    })  # fmt: skip
    assert copil.sieges.count() == 1


def test_ordre_du_jour_links_actions_of_the_same_departement_only(client, pilotage, copil):
    seance = SeanceFactory(instance=copil, organisateur=pilotage)
    feuille = FeuilleDeRouteFactory(departement=copil.departement)
    action = ActionFactory(axe__feuille=feuille)
    ailleurs = ActionFactory(axe__feuille__departement=DepartementFactory(hautes_alpes=True))
    client.force_login(pilotage)
    url = reverse("comites:point_ajouter", args=[seance.pk])
    client.post(url, {"point-titre": "Bilan", "point-actions": [action.pk],
                      "point-feuille": feuille.pk})  # fmt: skip
    client.post(url, {"point-titre": "Intrus", "point-actions": [ailleurs.pk]})
    (point,) = seance.points.all()
    assert list(point.actions.all()) == [action] and point.feuille == feuille


# --- Attendance and closing -------------------------------------------------------------


@pytest.fixture
def seance_passee(copil, pilotage):
    seance = SeanceFactory(instance=copil, passee=True, organisateur=pilotage)
    ConvocationFactory.create_batch(3, seance=seance)
    return seance


def _emarger(client, seance, valeurs):
    data = {}
    for convocation, (presence, par) in zip(seance.convocations.all(), valeurs, strict=True):
        data[f"presence-{convocation.pk}"] = presence
        data[f"represente-{convocation.pk}"] = par
    return client.post(reverse("comites:emarger", args=[seance.pk]), data)


def test_attendance_then_closing_freezes_it(client, pilotage, seance_passee):
    client.force_login(pilotage)
    _emarger(client, seance_passee, [("present", ""), ("represente", "Paul Roy"), ("absent", "")])
    seance_passee.refresh_from_db()
    assert seance_passee.statut == Seance.Statut.TENUE
    presences = [(c.presence, c.presence_represente_par) for c in seance_passee.convocations.all()]
    assert presences == [("present", ""), ("represente", "Paul Roy"), ("absent", "")]

    client.post(reverse("comites:cloturer", args=[seance_passee.pk]))
    seance_passee.refresh_from_db()
    assert seance_passee.statut == Seance.Statut.CLOSE
    # The page refuses (the verb is gone), and the service would refuse too.
    assert _emarger(client, seance_passee, [("absent", "")] * 3).status_code == 403
    with pytest.raises(ValidationError):
        services.emarger(seance_passee, {}, by=pilotage)
    assert seance_passee.convocations.filter(presence="present").count() == 1


def test_the_database_refuses_changing_a_closed_seances_attendance(pilotage, seance_passee):
    premiere = seance_passee.convocations.first()
    services.emarger(seance_passee, {premiere.pk: ("present", "")}, by=pilotage)
    services.cloturer(seance_passee, by=pilotage)
    with pytest.raises(DatabaseError), transaction.atomic():
        Convocation.objects.filter(pk=premiere.pk).update(presence="absent")
    with pytest.raises(DatabaseError), transaction.atomic():
        ConvocationFactory(seance=seance_passee)
    with pytest.raises(DatabaseError), transaction.atomic():
        Seance.objects.filter(pk=seance_passee.pk).update(statut=Seance.Statut.TENUE)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE comites_convocation SET presence = 'absent' WHERE id = %s", [premiere.pk]
        )
    premiere.refresh_from_db()
    assert premiere.presence == "present"


def test_a_represented_presence_needs_a_name(client, pilotage, seance_passee):
    client.force_login(pilotage)
    response = _emarger(client, seance_passee, [("represente", ""), ("", ""), ("", "")])
    assert response.status_code == 302
    assert not seance_passee.convocations.exclude(presence="").exists()


def test_closing_needs_attendance(pilotage, seance_passee):
    Seance.objects.filter(pk=seance_passee.pk).update(statut=Seance.Statut.TENUE)
    seance_passee.refresh_from_db()
    with pytest.raises(ValidationError):
        services.cloturer(seance_passee, by=pilotage)


# --- Minutes and decisions --------------------------------------------------------------


def test_script_in_the_minutes_comes_out_inert(client, pilotage, seance_passee):
    client.force_login(pilotage)
    html = (
        '<h3>Ouverture</h3><p onclick="alert(1)">Le <strong>préfet</strong> ouvre.</p>'
        '<script>alert("x")</script><a href="javascript:alert(2)">piège</a>'
        '<a href="https://www.interieur.gouv.fr">lien</a><img src=x onerror=alert(3)>'
    )
    url = reverse("comites:compte_rendu", args=[seance_passee.pk])
    client.post(url, {"compte_rendu-compte_rendu": html})
    seance_passee.refresh_from_db()
    stocke = seance_passee.compte_rendu
    assert "<script" not in stocke and "onclick" not in stocke and "javascript:" not in stocke
    assert "<img" not in stocke and "onerror" not in stocke
    assert "<h3>Ouverture</h3>" in stocke and "<strong>préfet</strong>" in stocke
    assert '<a href="https://www.interieur.gouv.fr" rel="noopener noreferrer">' in stocke
    page = client.get(seance_passee.get_absolute_url()).content.decode()
    assert 'alert("x")' not in page and "onerror" not in page
    assert "<strong>préfet</strong>" in page


def test_decision_with_actions_is_listed_on_the_action_include(client, pilotage, seance_passee):
    from django.template.loader import render_to_string

    action = ActionFactory(axe__feuille__departement=seance_passee.instance.departement)
    client.force_login(pilotage)
    client.post(reverse("comites:decision_ajouter", args=[seance_passee.pk]), {
        "decision-texte": "Ouvrir un atelier de français à Elbeuf",
        "decision-responsable": "DDETS", "decision-echeance": "2026-12-31",
        "decision-actions": [action.pk],
    })  # fmt: skip
    (decision,) = seance_passee.decisions.all()
    assert list(decision.actions.all()) == [action]
    rendu = render_to_string(
        "comites/_decisions_de_l_action.html", {"decisions": action.decisions_comites.all()}
    )
    assert "Ouvrir un atelier de français à Elbeuf" in rendu and "31 décembre 2026" in rendu


def test_overdue_decisions_appear_on_the_dashboard(client, pilotage, seance_passee):
    DecisionFactory(seance=seance_passee, texte="Décision en retard",
                    echeance=timezone.localdate() - timedelta(days=1))  # fmt: skip
    DecisionFactory(seance=seance_passee, texte="Décision à temps")
    client.force_login(pilotage)
    page = client.get(reverse("tableau_de_bord")).content.decode()
    assert "Décision en retard" in page and "Décision à temps" not in page


def test_organiser_reminded_once_of_missing_minutes(
    pilotage, seance_passee, settings, apres_commit
):
    from django.core import mail

    fin = timezone.now() - timedelta(days=settings.COMITES_COMPTE_RENDU_JOURS + 1)
    Seance.objects.filter(pk=seance_passee.pk).update(
        statut=Seance.Statut.TENUE, debut=fin - timedelta(hours=2), fin=fin
    )
    with apres_commit():
        assert services.relancer_comptes_rendus() == 1
    assert services.relancer_comptes_rendus() == 0
    assert [m.to for m in mail.outbox] == [[pilotage.email]]


# --- Press release ----------------------------------------------------------------------


def test_press_release_draft_then_versions(client, pilotage, seance_passee):
    dep = seance_passee.instance.departement
    dep.contact_presse_telephone = "02 32 76 50 14"
    dep.contact_presse_courriel = "pref-communication@seine-maritime.gouv.fr"
    dep.save()
    president = PersonneFactory(departement=dep, nom="Pierre-André Durand")
    Seance.objects.filter(pk=seance_passee.pk).update(preside_par=president,
                                                      statut=Seance.Statut.TENUE)  # fmt: skip
    for convocation, type_ in zip(seance_passee.convocations.all(),
                                  [Acteur.Type.COLLECTIVITE, Acteur.Type.ASSOCIATION,
                                   Acteur.Type.SERVICE_ETAT], strict=True):  # fmt: skip
        convocation.acteur = ActeurFactory(departement=dep, type=type_)
        convocation.presence = "present"
        convocation.save()
    services.ajouter_point(seance_passee, titre="Santé, dont le soutien psychologique")
    DecisionFactory(seance=seance_passee, texte="Valider le plan d'actions début 2027")
    InstanceFactory(departement=dep, groupe=True, theme="Emploi et formation",
                    parent=seance_passee.instance)  # fmt: skip
    for indicateur, valeur in [("premiers_titres", 1830), ("dont_bpi", 412)]:
        StatistiqueContexte.objects.create(departement=dep, annee=2025, indicateur=indicateur,
                                           valeur=valeur, source="DGEF")  # fmt: skip
    StatistiqueContexte.objects.create(departement=dep, annee=2019, indicateur="premiers_titres",
                                       valeur=9, source="DGEF")  # fmt: skip
    client.force_login(pilotage)
    url = reverse("comites:communique", args=[seance_passee.pk])
    page = client.get(url).content.decode()
    # Dated by the séance's day, for a release issued after the meeting.
    jour = timezone.localtime(seance_passee.debut)
    assert f"Rouen, le {jour.day if jour.day > 1 else '1er'} " in page
    assert "sous la présidence de Pierre-André Durand" in page
    assert "collectivités locales, services de l&#x27;État et partenaires associatifs" in page
    assert "À l&#x27;ordre du jour : santé, dont le soutien psychologique." in page
    assert "En 2025, 1\u202f830 premiers titres" in page and "dont 412" in page
    assert (
        "Un groupe de travail « emploi et formation » est lancé." in page
        and "il a été décidé de valider le plan d&#x27;actions" in page
    )
    assert "02 32 76 50 14" in page and "7, place de la Madeleine" in page

    client.post(url, {"titre": "Titre 1", "lieu_date": "Rouen", "texte": "Premier texte"})
    client.post(url, {"titre": "Titre 2", "lieu_date": "Rouen", "texte": "Texte revu"})
    assert [(v.version, v.texte) for v in seance_passee.communiques.order_by("version")] == [
        (1, "Premier texte"), (2, "Texte revu"),
    ]  # fmt: skip
    assert "Texte revu" in client.get(url).content.decode()
    export = client.get(reverse("comites:communique_texte", args=[seance_passee.pk, 1]))
    texte = export.content.decode()
    assert "COMMUNIQUÉ DE PRESSE" in texte and "Premier texte" in texte and "Liberté" in texte
    assert client.post(url, {"titre": "", "texte": ""}).status_code == 200
    assert seance_passee.communiques.count() == 2


# --- Lists and the calendar feed --------------------------------------------------------


def test_index_lists_upcoming_and_past_in_constant_queries(
    client, pilotage, copil, django_assert_max_num_queries
):
    client.force_login(pilotage)

    def faire(n):
        for _ in range(n):
            SeanceFactory(instance=InstanceFactory(departement=copil.departement))
            SeanceFactory(instance=copil, passee=True)

    faire(2)
    client.get(reverse("comites:index"))  # warm the session and the perimeter
    with django_assert_max_num_queries(12) as avant:
        client.get(reverse("comites:index"))
    faire(15)
    with django_assert_max_num_queries(len(avant.captured_queries)):
        page = client.get(reverse("comites:index"))
    assert page.content.decode().count("/comites/seances/") == 17
    with django_assert_max_num_queries(len(avant.captured_queries)):
        page = client.get(reverse("comites:index"), {"quand": "passees", "instance": copil.pk})
    assert page.content.decode().count("/comites/seances/") == 17


def test_index_pages_past_fifty_seances_keeping_the_filters(client, pilotage, copil):
    from comites.views.seances import PAR_PAGE

    for _ in range(PAR_PAGE + 3):
        SeanceFactory(instance=copil, passee=True)
    client.force_login(pilotage)
    url = reverse("comites:index")
    premiere = client.get(url, {"quand": "passees"}).content.decode()
    assert premiere.count("/comites/seances/") == PAR_PAGE
    assert 'href="?quand=passees&amp;page=2"' in premiere
    seconde = client.get(url, {"quand": "passees", "page": 2}).content.decode()
    assert seconde.count("/comites/seances/") == 3
    assert client.get(url, {"page": "n'importe quoi"}).status_code == 200


def test_calendar_feed_with_a_revocable_secret(client, copil, douze_sieges):
    from tests.acteurs.factories import UserFactory

    personne = douze_sieges[0].personne
    personne.user = UserFactory(email=personne.courriel)
    personne.save()
    invitee = SeanceFactory(instance=copil)
    ConvocationFactory(seance=invitee, personne=personne)
    SeanceFactory(instance=copil)  # not convened: not in the feed
    client.force_login(personne.user)
    page = client.post(reverse("comites:agenda"), {"action": "creer"}).content.decode()
    lien = page.split("<code>http://testserver")[1].split("</code>")[0]
    client.logout()
    flux = client.get(lien)
    assert flux.status_code == 200 and flux["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(flux.content).walk("VEVENT")
    assert [str(e["UID"]) for e in events] == [invitee.uid]
    client.force_login(personne.user)
    client.post(reverse("comites:agenda"), {"action": "revoquer"})
    client.logout()
    assert client.get(lien).status_code == 404


def test_a_decisions_progress_is_updated_and_bad_values_change_nothing(
    client, pilotage, seance_passee
):
    decision = DecisionFactory(seance=seance_passee)
    client.force_login(pilotage)
    url = reverse("comites:decision_statut", args=[seance_passee.pk, decision.pk])
    client.post(url, {"statut": "faite"})
    decision.refresh_from_db()
    assert decision.statut == "faite"
    client.post(url, {"statut": "n'importe quoi"})
    decision.refresh_from_db()
    assert decision.statut == "faite"
    autre = DecisionFactory()  # another séance's decision: not reachable through this one
    url = reverse("comites:decision_statut", args=[seance_passee.pk, autre.pk])
    assert client.post(url, {"statut": "faite"}).status_code == 404


def test_planning_a_seance_with_its_chair(client, pilotage, copil):
    presidence = SiegeFactory(instance=copil, role=Siege.Role.PRESIDENCE)
    client.force_login(pilotage)
    url = reverse("comites:seance_creer", args=[copil.pk])
    assert f'value="{presidence.personne_id}" selected' in client.get(url).content.decode()
    client.post(url, {"debut": "2027-03-02T09:30", "fin": "2027-03-02T09:00", "lieu": "Rouen"})
    assert not copil.seances.exists()  # the end before the start: nothing planned
    client.post(url, {"debut": "2027-03-02T09:30", "fin": "2027-03-02T12:00", "lieu": "Rouen",
                      "preside_par": presidence.personne_id})  # fmt: skip
    seance = copil.seances.get()
    assert seance.preside_par == presidence.personne and seance.statut == "planifiee"
    assert timezone.localtime(seance.debut).hour == 9
    etranger = PersonneFactory(departement=DepartementFactory(hautes_alpes=True))
    client.post(url, {"debut": "2027-04-02T09:30", "fin": "2027-04-02T12:00", "lieu": "Rouen",
                      "preside_par": etranger.pk})  # fmt: skip
    assert copil.seances.count() == 1


def test_seance_and_instance_pages_in_constant_queries(
    client, pilotage, copil, django_assert_max_num_queries
):
    seance = SeanceFactory(instance=copil, passee=True, organisateur=pilotage)
    feuille = FeuilleDeRouteFactory(departement=copil.departement)

    def remplir(n):
        for _ in range(n):
            SiegeFactory(instance=copil)
            ConvocationFactory(seance=seance, acteur=ActeurFactory(departement=copil.departement))
            decision = DecisionFactory(seance=seance)
            decision.actions.add(ActionFactory(axe__feuille=feuille))
            point = services.ajouter_point(seance, titre=f"Point {seance.points.count() + 1}")
            point.actions.add(ActionFactory(axe__feuille=feuille))

    client.force_login(pilotage)
    remplir(2)
    client.get(seance.get_absolute_url())
    with django_assert_max_num_queries(40) as avant:
        client.get(seance.get_absolute_url())
        client.get(copil.get_absolute_url())
    remplir(10)
    with django_assert_max_num_queries(len(avant.captured_queries)):
        page = client.get(seance.get_absolute_url())
        client.get(copil.get_absolute_url())
    assert page.content.decode().count('name="presence-') == 12
