"""The consolidated pages cost what one page shows: the same number of queries for the
national reader with one generated département as with three, and the national actions
list stays small. A regression that adds a query per département, per actor or per row,
or renders every value of the country in a filter, fails here."""

import re

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from acteurs.models import Departement, User
from actions.models import Action, Partenariat
from comites.models import Instance
from portal import echelle
from tests.portal.echelle import generer_petit

NATIONAL = f"lecteur.national@{echelle.DOMAINE}"
LISTE_MAX_OCTETS = 150_000


def mesurer(client, url) -> tuple[int, bytes]:
    """(queries, content) of one GET of URL, which must answer 200."""
    with CaptureQueriesContext(connection) as requetes:
        response = client.get(url)
        contenu = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200, url
    return len(requetes), contenu


def pages() -> dict[str, str]:
    # The same action at both volumes: the first one generated that readers see.
    action = Action.objects.exclude(statut="brouillon").order_by("pk").first()
    return {
        "accueil": reverse("tableau_de_bord"),
        "plan d'actions": reverse("actions:index"),
        "fiche action": reverse("actions:detail", args=[action.pk]),
        "liste": reverse("actions:liste"),
        "liste filtrée": reverse("actions:liste") + "?axe=Emploi&porteur=association&tri=-demande",
        "tableau de bord": reverse("actions:tableau_de_bord"),
        "export csv": reverse("actions:exporter") + "?format=csv",
        "export xlsx": reverse("actions:exporter") + "?format=xlsx",
        "séances": reverse("comites:index"),
        "séances passées": reverse("comites:index") + "?quand=passees",
    }


# The ceiling of 15 queries for the national reader's pages (the wide scope's départements
# come with the habilitations, so the action page is within it too).
PLAFONDS = {
    "accueil": 15,
    "plan d'actions": 15,
    "liste": 15,
    "tableau de bord": 15,
    "fiche action": 15,
}


@pytest.fixture
def national(client):
    def connecter():
        client.force_login(User.objects.get(email=NATIONAL))
        return client

    return connecter


@pytest.mark.django_db
def test_les_pages_nationales_coutent_autant_avec_un_ou_trois_departements(national):
    generer_petit(departements=1)
    client = national()
    petit = {nom: mesurer(client, url) for nom, url in pages().items()}
    generer_petit(departements=3)
    assert Action.objects.values("feuille__departement").distinct().count() == 3
    client = national()
    grand = {nom: mesurer(client, url) for nom, url in pages().items()}
    assert {nom: n for nom, (n, _) in grand.items()} == {nom: n for nom, (n, _) in petit.items()}
    # The national list's filters grow by one option per département, never per actor,
    # axe or feuille of the country.
    options = [page["liste"][1].count(b"<option") for page in (petit, grand)]
    assert options[1] - options[0] == 2
    assert len(grand["liste"][1]) <= LISTE_MAX_OCTETS
    for nom, plafond in PLAFONDS.items():
        assert grand[nom][0] <= plafond, nom


@pytest.mark.django_db
def test_le_lecteur_sans_adhesion_lit_par_un_filtre_a_plat(national):
    """A reader with no membership has no partnership to look through: no query of the
    dashboard joins them nor removes duplicates."""
    generer_petit(departements=2)
    client = national()
    with CaptureQueriesContext(connection) as requetes:
        assert client.get(reverse("actions:tableau_de_bord")).status_code == 200
    sql = " ".join(q["sql"] for q in requetes).upper()
    assert "DISTINCT" not in sql
    assert Partenariat._meta.db_table.upper() not in sql


@pytest.mark.django_db
def test_la_fiche_action_en_15_requetes_quel_que_soit_le_volume(client, django_assert_num_queries):
    """The action is read once with all it shows: session, user, habilitations (with their
    départements), memberships, the action, its partners with their actors, funding,
    publics, territories, milestones, indicators, their values, history, the comités'
    decisions, the consultation's comments."""
    generer_petit(departements=1)
    pilotage = User.objects.get(email=f"pilotage.01@{echelle.DOMAINE}")
    action = Action.objects.filter(feuille__departement__code="01").order_by("pk").first()
    url = reverse("actions:detail", args=[action.pk])
    client.force_login(pilotage)
    with django_assert_num_queries(15):
        assert client.get(url).status_code == 200
    generer_petit(departements=3)
    with django_assert_num_queries(15):
        assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_les_seances_nationales_comptent_les_instances_de_chaque_departement(national):
    """Across France the page says how many instances each département has, with a link
    to them; a département chosen, its instances are listed, each once."""
    generer_petit(departements=3)
    client = national()
    page = client.get(reverse("comites:index"), {"quand": "passees"}).content.decode()
    assert "/comites/instances/" not in page  # 600 across France: chosen in one département
    assert 'name="instance"' not in page  # nor offered in the filter
    departements = Departement.objects.order_by("code")
    arbre = lxml.html.fromstring(page)
    section = arbre.xpath("//h2[starts-with(., 'Instances')]/following-sibling::ul[1]/li")
    assert [li.text_content() for li in section] == [
        f"{d.nom} ({d.code}) : 6 instances" for d in departements
    ]
    liens = [li.xpath("a/@href")[0] for li in section]
    assert liens == [f"?quand=passees&departement={d.pk}" for d in departements]
    # Within a département chosen (by following its link), its instances only, each once,
    # its séances only, and the instance filter returns.
    departement = departements.last()
    filtre = client.get(reverse("comites:index") + liens[-1])
    contenu = filtre.content.decode()
    assert (
        f'<h2 class="fr-mt-4w">Instances : {departement.nom} ({departement.code})</h2>' in contenu
    )
    assert 'name="instance"' in contenu
    assert {s.instance.departement_id for s in filtre.context["seances"]} == {departement.pk}
    for instance in Instance.objects.all():
        attendu = 1 if instance.departement_id == departement.pk else 0
        assert contenu.count(f'href="/comites/instances/{instance.pk}/"') == attendu
    ignore = client.get(reverse("comites:index"), {"departement": "<b>"})
    assert ignore.status_code == 200 and ignore.context["departement_id"] is None
    # The filter offers each département once, by name and code, the chosen one selected,
    # every name escaped.
    Departement.objects.filter(pk=departement.pk).update(nom="Ain <b>&</b>")
    reponse = client.get(reverse("comites:index"), {"departement": departement.pk})
    page = lxml.html.fromstring(reponse.content.decode())
    options = page.xpath("//select[@name='departement']/option")
    departements = Departement.objects.order_by("code")
    assert [(o.get("value"), o.text_content()) for o in options] == [("", "Tous")] + [
        (str(d.pk), f"{d.nom} ({d.code})") for d in departements
    ]
    assert [o.get("value") for o in options if o.get("selected") is not None] == [
        str(departement.pk)
    ]


# Every role's home page, not only the national reader's: what waits for each (séances to
# follow, releases, convocations, fiches to complete) is read in a fixed number of queries.
ROLES_DE_L_ACCUEIL = ["pilotage.", "cabinet.", "partenaire1.", "lecteur.national", "lecteur.region"]


def _accueils(client) -> dict[str, int]:
    comptes = {}
    for debut in ROLES_DE_L_ACCUEIL:
        user = User.objects.filter(email__startswith=debut).order_by("email").first()
        client.force_login(user)
        client.get(reverse("tableau_de_bord"))  # the figures' cache filled, as in use
        comptes[debut] = mesurer(client, reverse("tableau_de_bord"))[0]
    return comptes


@pytest.mark.django_db
def test_l_accueil_de_chaque_role_en_15_requetes_quel_que_soit_le_volume(client):
    generer_petit(departements=1)
    petit = _accueils(client)
    generer_petit(departements=3)
    grand = _accueils(client)
    assert grand == petit
    assert max(grand.values()) <= 15, grand


# The list pages of issue #20, each role's as the bench reads them: a full first page at
# both volumes, the same queries, at most 15, at most 150 KB.
LISTES = {
    "pilotage.": ["actions:liste", "acteurs:liste", "comites:index"],
    "partenaire1.": ["actions:liste", "acteurs:liste"],
    "lecteur.region": ["actions:liste"],
    "lecteur.national": ["actions:liste", "acteurs:liste", "comites:index"],
}
LISTE_MAX_REQUETES = 15


def _listes(client) -> dict[str, tuple[int, bytes]]:
    mesures = {}
    for debut, pages in LISTES.items():
        user = User.objects.filter(email__startswith=debut).order_by("email").first()
        client.force_login(user)
        for nom in pages:
            client.get(reverse(nom))  # the figures' cache filled, as in use
            mesures[f"{debut}{nom}"] = mesurer(client, reverse(nom))
    return mesures


@pytest.mark.django_db
def test_les_listes_de_chaque_role_coutent_autant_a_un_ou_trois_departements(client):
    volumes = {"acteurs": 60, "actions": 60}  # a département fills a page of 50 on its own
    generer_petit(departements=1, **volumes)
    petit = _listes(client)
    generer_petit(departements=3, **volumes)
    grand = _listes(client)
    assert {nom: n for nom, (n, _) in grand.items()} == {nom: n for nom, (n, _) in petit.items()}
    for nom, (requetes, contenu) in grand.items():
        assert requetes <= LISTE_MAX_REQUETES, nom
        assert len(contenu) <= LISTE_MAX_OCTETS, nom
    # The national lists show a full page of rows, each linked once.
    for nom, lien in (
        ("actions:liste", r"/plan-d-actions/actions/\d+/"),
        ("acteurs:liste", r"/acteurs/\d+/"),
    ):
        page = grand[f"lecteur.national{nom}"][1].decode()
        assert len(set(re.findall(f'href="({lien})"', page))) == 50, nom


@pytest.mark.django_db
def test_le_filtre_d_instance_garde_l_instance_choisie(national):
    generer_petit(departements=2)
    client = national()
    instance = Instance.objects.order_by("departement__code", "nom").last()
    page = client.get(
        reverse("comites:index"),
        {"departement": instance.departement_id, "instance": instance.pk, "quand": "passees"},
    ).content.decode()
    assert f'<option value="{instance.pk}" selected>{instance.nom}</option>' in page
    departement = instance.departement
    assert f'<option value="{departement.pk}" selected>{departement.nom} (' in page


@pytest.mark.django_db
def test_l_accueil_du_lecteur_national_ne_liste_pas_les_departements(national):
    """Over all of France a filter by département narrows nothing: no query of the national
    reader's home page lists them (each list cost Django and PostgreSQL's planner about a
    millisecond), and the page still counts every département's actors."""
    generer_petit(departements=3)
    ids = set(Departement.objects.values_list("pk", flat=True))
    client = national()
    client.get(reverse("tableau_de_bord"))  # the plan's figures' cache filled, as in use
    with CaptureQueriesContext(connection) as requetes:
        response = client.get(reverse("tableau_de_bord"))
    assert response.status_code == 200
    listes = [
        {int(n) for n in liste.split(",")}
        for requete in requetes
        for liste in re.findall(r"IN \(([\d, ]+)\)", requete["sql"])
    ]
    assert ids not in listes
    for ligne in response.context["par_departement"]:
        assert ligne.nb_acteurs > 0, ligne.nom
