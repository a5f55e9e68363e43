"""The instance page's own forms (add a seat; end a mandate, in its row) work as the séance
page's side forms: refused, by their own rules or by the service, the page comes back
(400) with that form as typed, its error beside its field, its section open and the field
focused; accepted, the page again at that form's section."""

import html
import re
from collections import Counter
from datetime import date

import lxml.html
import pytest
from django.urls import reverse

from tests.acteurs.factories import ActeurFactory, HabilitationFactory
from tests.comites.factories import SiegeFactory

pytestmark = pytest.mark.django_db


def _siege(copil, acteur, **valeurs):
    return {
        "siege-role": "membre", "siege-civilite": "mme", "siege-nom": "Claire Martin",
        "siege-fonction": "cheffe de service", "siege-courriel": "claire.martin@example.fr",
        "siege-acteur": acteur.pk, "siege-debut": "2026-01-15", **valeurs,
    }  # fmt: skip


def _document(reponse):
    return lxml.html.fromstring(reponse.content.decode())


def test_anonymous_and_partner_cannot_use_the_instance_forms(client, copil):
    siege = SiegeFactory(instance=copil)
    ajouter = reverse("comites:siege_ajouter", args=[copil.pk])
    terminer = reverse("comites:siege_terminer", args=[copil.pk, siege.pk])
    assert client.post(ajouter, {}).status_code == 302  # to the sign-in page
    lecteur = HabilitationFactory(departement=copil.departement, role="lecteur").user
    client.force_login(lecteur)
    assert client.post(ajouter, _siege(copil, ActeurFactory())).status_code == 403
    assert client.post(terminer, {"fin": "2026-06-30"}).status_code == 403
    assert copil.sieges.count() == 1


def test_a_refused_seat_comes_back_open_with_what_was_typed(client, pilotage, copil):
    acteur = ActeurFactory(departement=copil.departement)
    client.force_login(pilotage)
    reponse = client.post(
        reverse("comites:siege_ajouter", args=[copil.pk]),
        _siege(copil, acteur, **{"siege-courriel": "claire.martin@"}),
    )
    assert reponse.status_code == 400
    assert not copil.sieges.exists()
    document = _document(reponse)
    section = document.get_element_by_id("section-siege")
    assert section.tag == "details" and section.get("open") is not None
    courriel = document.get_element_by_id("id_siege-courriel")
    assert courriel.get("aria-invalid") == "true" and courriel.get("autofocus") is not None
    erreur = document.get_element_by_id("id_siege-courriel_error")
    assert "adresse de courriel valide" in erreur.text_content()
    assert erreur.getparent() is courriel.getparent()  # beside its field
    assert document.get_element_by_id("id_siege-nom").get("value") == "Claire Martin"
    assert document.get_element_by_id("id_siege-fonction").get("value") == "cheffe de service"
    assert not document.xpath("//div[contains(@class, 'fr-alert--error')]")  # no flash


def test_a_seat_the_service_refuses_comes_back_with_its_reason(client, pilotage, copil):
    acteur = ActeurFactory(departement=copil.departement)
    client.force_login(pilotage)
    url = reverse("comites:siege_ajouter", args=[copil.pk])
    assert client.post(url, _siege(copil, acteur)).status_code == 302
    reponse = client.post(url, _siege(copil, acteur))  # the same person, the same structure
    assert reponse.status_code == 400
    section = _document(reponse).get_element_by_id("section-siege")
    assert section.get("open") is not None
    alerte = section.xpath(".//*[contains(@class, 'fr-alert--error')]")
    assert "siège déjà pour cette structure" in alerte[0].text_content()
    assert copil.sieges.count() == 1


def test_an_accepted_seat_goes_back_to_its_section(client, pilotage, copil):
    acteur = ActeurFactory(departement=copil.departement)
    client.force_login(pilotage)
    reponse = client.post(reverse("comites:siege_ajouter", args=[copil.pk]), _siege(copil, acteur))
    assert reponse.status_code == 302
    assert reponse["Location"] == copil.get_absolute_url() + "#section-siege"
    page = html.unescape(client.get(reponse["Location"]).content.decode())
    assert "Claire Martin siège désormais dans l'instance." in page
    section = _document(client.get(copil.get_absolute_url())).get_element_by_id("section-siege")
    assert section.get("open") is None  # closed again once done


@pytest.mark.parametrize(
    ("fin", "message"),
    [("", "Ce champ est obligatoire."), ("2025-12-31", "ne peut précéder son début")],
    ids=["vide", "avant-le-debut"],
)
def test_a_refused_end_of_mandate_comes_back_in_its_row(client, pilotage, copil, fin, message):
    siege = SiegeFactory(instance=copil, debut=date(2026, 1, 15))
    autre = SiegeFactory(instance=copil)
    client.force_login(pilotage)
    reponse = client.post(
        reverse("comites:siege_terminer", args=[copil.pk, siege.pk]), {"fin": fin}
    )
    assert reponse.status_code == 400
    document = _document(reponse)
    champ = document.get_element_by_id(f"fin-{siege.pk}")
    assert champ.get("value") == fin and champ.get("aria-invalid") == "true"
    assert champ.get("autofocus") is not None
    assert champ.get("aria-describedby") == f"fin-{siege.pk}-erreur"
    erreur = document.get_element_by_id(f"fin-{siege.pk}-erreur")
    assert message in erreur.text_content()
    assert next(erreur.iterancestors("tr")) is next(champ.iterancestors("tr"))  # its own row
    voisin = document.get_element_by_id(f"fin-{autre.pk}")
    assert voisin.get("aria-invalid") is None and voisin.get("value") is None
    siege.refresh_from_db()
    assert siege.fin is None


def test_an_accepted_end_of_mandate_goes_back_to_the_composition(client, pilotage, copil):
    siege = SiegeFactory(instance=copil, debut=date(2026, 1, 15))
    client.force_login(pilotage)
    reponse = client.post(
        reverse("comites:siege_terminer", args=[copil.pk, siege.pk]), {"fin": "2026-06-30"}
    )
    assert reponse.status_code == 302
    assert reponse["Location"] == copil.get_absolute_url() + "#section-composition"
    siege.refresh_from_db()
    assert siege.fin == date(2026, 6, 30)


def test_the_instance_page_shares_no_id_and_costs_what_it_did(
    client, pilotage, copil, django_assert_max_num_queries
):
    for _ in range(3):
        SiegeFactory(instance=copil)
    client.force_login(pilotage)
    client.get(copil.get_absolute_url())
    with django_assert_max_num_queries(30) as trois:
        page = client.get(copil.get_absolute_url()).content.decode()
    ids = Counter(re.findall(r'\sid="([^"]+)"', page))
    assert [i for i, n in ids.items() if n > 1] == []
    for _ in range(9):
        SiegeFactory(instance=copil)
    with django_assert_max_num_queries(len(trois.captured_queries)):
        page = client.get(copil.get_absolute_url()).content.decode()
    assert page.count('name="fin"') == 12


# Session, user, habilitations, memberships, the instance, two checks of its seats, the
# seats, the seat form's structures (by name, one query), child instances, séances.
REQUETES_INSTANCE = 11


def test_the_seat_form_offers_every_structure_in_one_query(
    client, pilotage, copil, django_assert_num_queries
):
    """The seat form's structures are read by name in one query, whatever their number:
    the same page with 3 structures as with 40, each of them offered once."""
    departement = copil.departement
    for i in range(3):
        ActeurFactory(departement=departement, nom=f"Structure {i:02d}")
    client.force_login(pilotage)
    client.get(copil.get_absolute_url())  # the session and the profile, once
    with django_assert_num_queries(REQUETES_INSTANCE):
        client.get(copil.get_absolute_url())
    for i in range(3, 40):
        ActeurFactory(departement=departement, nom=f"Structure {i:02d}", sigle=f"S{i}")
    with django_assert_num_queries(REQUETES_INSTANCE):
        page = _document(client.get(copil.get_absolute_url()))
    libelles = page.xpath('//select[@name="siege-acteur"]/option/text()')
    assert [n for n in libelles if n.startswith("Structure")] == [
        *(f"Structure {i:02d}" for i in range(3)),
        *(f"Structure {i:02d} (S{i})" for i in range(3, 40)),
    ]
