"""The préfet de région's cabinet: one habilitation over a whole région signs the feuilles
de route of each of its départements, and nowhere else; a département's own cabinet keeps
working as before."""

import html

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from acteurs import services as acteurs_services
from acteurs.access import profil
from acteurs.models import Habilitation
from actions.models import FeuilleDeRoute
from actions.services import feuilles as feuilles_services
from integration.models import OutboxTask
from tests.acteurs.factories import DepartementFactory, HabilitationFactory, UserFactory
from tests.actions.factories import FeuilleDeRouteFactory
from tests.liens import liens_refuses

S = FeuilleDeRoute.Statut
QUALITE = "Pour le préfet de région et par délégation, la directrice de cabinet"


@pytest.fixture
def calvados(db):
    return DepartementFactory(
        code="14", nom="Calvados", titre_prefet="Préfet du Calvados", chef_lieu="Caen"
    )


@pytest.fixture
def au_visa(seine_maritime, calvados, hautes_alpes):
    """A feuille at the cabinet's visa in each of Seine-Maritime and Calvados (Normandie)
    and Hautes-Alpes (another région)."""
    feuilles = {}
    for departement in (seine_maritime, calvados, hautes_alpes):
        feuille = FeuilleDeRouteFactory(departement=departement)
        FeuilleDeRoute.objects.filter(pk=feuille.pk).update(statut=S.VISA)
        feuille.refresh_from_db()
        feuilles[departement.code] = feuille
    return feuilles


@pytest.fixture
def cabinet_normandie(db):
    """Granted as an operator grants it: through the service, journalled."""
    user = UserFactory(email="cabinet.normandie@example.fr")
    acteurs_services.habiliter(user, None, "cabinet", by=None, perimetre="region", region="28")
    return user


def _signer(client, feuille):
    return client.post(reverse("actions:feuille_signer", args=[feuille.pk]), {"qualite": QUALITE})


def test_the_regional_cabinet_signs_in_each_departement_of_its_region_only(
    client, cabinet_normandie, au_visa
):
    client.force_login(cabinet_normandie)
    for code in ("76", "14"):
        feuille = au_visa[code]
        assert client.get(reverse("actions:feuille_signer", args=[feuille.pk])).status_code == 200
        assert _signer(client, feuille).status_code == 302, code
        feuille.refresh_from_db()
        assert feuille.est_signee and feuille.signee_par == cabinet_normandie, code
        assert feuille.signee_qualite == QUALITE
    # Outside its région the feuille does not exist for it, and stays at the visa.
    alpes = au_visa["05"]
    assert client.get(reverse("actions:feuille_signer", args=[alpes.pk])).status_code == 404
    assert _signer(client, alpes).status_code == 404
    alpes.refresh_from_db()
    assert alpes.statut == S.VISA


def test_a_departement_s_own_cabinet_keeps_signing_there_only(client, seine_maritime, au_visa):
    cabinet = HabilitationFactory(departement=seine_maritime, role="cabinet").user
    client.force_login(cabinet)
    assert _signer(client, au_visa["14"]).status_code == 404
    assert _signer(client, au_visa["76"]).status_code == 302
    au_visa["76"].refresh_from_db()
    assert au_visa["76"].signee_par == cabinet


def test_the_regional_cabinet_is_cabinet_in_each_departement_of_its_region(
    cabinet_normandie, seine_maritime, calvados, hautes_alpes
):
    p = profil(cabinet_normandie)
    assert p.roles == {seine_maritime.pk: "cabinet", calvados.pk: "cabinet"}
    assert p.regions == {"28"} and not p.toute_la_france
    # It writes there (signs, prepares releases): the write pages offer both départements.
    assert p.departements_ou_ecrire == {seine_maritime.pk, calvados.pk}


def test_a_national_reader_who_is_also_a_regional_cabinet_is_cabinet_in_that_region(
    cabinet_normandie, seine_maritime, calvados, hautes_alpes
):
    acteurs_services.habiliter(cabinet_normandie, None, "lecteur", by=None, perimetre="france")
    p = profil(cabinet_normandie)
    assert p.roles == {
        seine_maritime.pk: "cabinet",
        calvados.pk: "cabinet",
        hautes_alpes.pk: "lecteur",
    }


def test_the_perimeter_chooser_offers_the_region_and_each_of_its_departements(
    client, cabinet_normandie, au_visa
):
    client.force_login(cabinet_normandie)
    page = html.unescape(client.get(reverse("compte")).content.decode())
    assert "Toute la région Normandie" in page
    assert "Seine-Maritime (76)" in page and "Calvados (14)" in page
    assert "Hautes-Alpes" not in page
    # Over the whole région, the home page lists the feuilles to sign in both départements.
    client.post(reverse("changer_departement"), {"perimetre": "r28"})
    response = client.get("/")
    assert response.wsgi_request.perimetre.cle == "r28"
    assert {d.code for d in response.wsgi_request.perimetre.ou_ecrire} == {"76", "14"}
    page = html.unescape(response.content.decode())
    assert "Toute la région Normandie — stratégies départementales" in page
    assert "en lecture" not in page  # it signs there
    assert "Feuilles de route à viser et signer" in page
    for code in ("76", "14"):
        assert au_visa[code].get_absolute_url() in page
    assert au_visa["05"].get_absolute_url() not in page
    # A page that writes in one département offers only those of the région.
    response = client.get(reverse("acteurs:contacts_presse"))
    assert response.status_code == 403
    page = html.unescape(response.content.decode())
    assert "Seine-Maritime (76)</button>" in page and "Calvados (14)</button>" in page
    # One département chosen, the perimeter is that one.
    client.post(reverse("changer_departement"), {"perimetre": "14"})
    assert client.get("/").wsgi_request.departement.code == "14"


def test_asking_the_visa_writes_to_the_regional_cabinet_too(
    seine_maritime, hautes_alpes, cabinet_normandie, pilotage
):
    local = HabilitationFactory(departement=seine_maritime, role="cabinet").user
    ailleurs = HabilitationFactory(departement=hautes_alpes, role="cabinet").user
    feuille = FeuilleDeRouteFactory(departement=seine_maritime)
    envois = feuilles_services.changer_etape(feuille, S.VISA, by=pilotage)
    destinataires = {
        adresse
        for envoi in OutboxTask.objects.filter(pk__in=[e.pk for e in envois])
        for adresse in envoi.args[2]
    }
    assert destinataires == {local.email, cabinet_normandie.email}
    assert ailleurs.email not in destinataires


def test_a_cabinet_never_covers_all_of_france_nor_pilotage_a_region(db):
    user = UserFactory()
    with pytest.raises(ValidationError, match="Toute la France : lecteurs seulement"):
        acteurs_services.habiliter(user, None, "cabinet", by=None, perimetre="france")
    for role in ("pilotage", "communication"):
        with pytest.raises(ValidationError, match="Une région"):
            acteurs_services.habiliter(user, None, role, by=None, perimetre="region", region="28")
    # The database refuses the same, whoever writes.
    for role, portee in [
        ("cabinet", {"perimetre": "france"}),
        ("pilotage", {"perimetre": "region", "region": "28"}),
        ("communication", {"perimetre": "region", "region": "28"}),
    ]:
        with pytest.raises(IntegrityError), transaction.atomic():
            Habilitation.objects.create(user=user, role=role, **portee)
    assert not Habilitation.objects.filter(user=user).exists()


@pytest.mark.parametrize("perimetre", ["r28", "76", "14"])
def test_no_link_leads_the_regional_cabinet_to_a_refusal(
    client, cabinet_normandie, au_visa, perimetre
):
    """Over its whole région as in each of its départements, every link it is shown opens."""
    client.force_login(cabinet_normandie)
    suivis, refus = liens_refuses(client, perimetre)
    assert len(suivis) > 10 and refus == []
