"""The public verification page (/verifier/): anonymous, CSRF-protected, size- and
rate-limited, saying nothing of unsigned documents, fooled by no forgery, and held by no
hostile file.

The forgeries are made for real with pyHanko (tests/integration/documents_signes.py): the
préfecture's feuille changed then signed again with a self-signed certificate that copies
the préfecture's name, a file signed only by such a look-alike, changes added after the
genuine signature; and the honest additions of archiving, which must stay green."""

import html
import threading
import time
from datetime import UTC, datetime
from io import BytesIO

import pytest
import requests
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import strip_tags
from django.utils.timezone import localtime
from pyhanko.pdf_utils.reader import PdfFileReader

from integration import signature
from integration.documents import verification
from integration.models import DocumentRequest
from integration.text import date_longue
from tests.integration.documents_signes import (
    ajouter_annotation,
    changer_texte,
    horodateur_essai,
    mettre_a_jour,
    reconnaitre_horodateur,
    signataire_sosie,
)

pytestmark = pytest.mark.django_db
URL = "/verifier/"


@pytest.fixture(autouse=True)
def _compteurs_vides():
    cache.clear()
    yield
    cache.clear()


def _deposer(client, contenu: bytes, nom="document.pdf", **extra):
    fichier = SimpleUploadedFile(nom, contenu, content_type="application/pdf")
    return client.post(URL, {"fichier": fichier}, **extra)


def _texte(response) -> str:
    return " ".join(html.unescape(response.content.decode()).split())


def test_page_opens_anonymously_with_an_accessible_upload_field(client):
    response = client.get(URL)

    assert reverse("verifier") == URL
    assert response.status_code == 200
    page = response.content.decode()
    assert "csrfmiddlewaretoken" in page
    assert 'class="fr-upload-group' in page
    assert '<label class="fr-label" for="id_fichier">Document PDF' in page
    assert 'accept="application/pdf,.pdf"' in page
    assert "Format PDF, 20 Mo au plus." in page


def test_post_without_csrf_token_is_refused(pdf_signe):
    client = Client(enforce_csrf_checks=True)

    assert _deposer(client, pdf_signe).status_code == 403


def test_empty_form_shows_the_error_linked_to_the_field(client):
    response = client.post(URL, {})

    page = response.content.decode()
    assert "Choisissez le document PDF à vérifier." in page
    assert 'aria-invalid="true"' in page
    assert 'aria-describedby="id_fichier_helptext id_fichier_error"' in page


def test_a_document_of_ours_is_intact_and_described(client, document_signe):
    pdf = document_signe.file.read()

    response = _deposer(client, pdf, nom="feuille.pdf")

    texte = _texte(response)
    assert response.status_code == 200
    assert "Document intact, signé par Préfecture — certificat de démonstration le " in texte
    assert "Feuille de route 2026–2028 de la Seine-Maritime, version 2" in texte
    # The kind's description carries the date it chooses; the page adds none of its own.
    assert "Seine-Maritime, version 2</strong>." in texte
    assert document_signe.sha256 in texte
    assert "Élodie Dupré-Léger" in texte


def test_a_document_whose_object_is_gone_is_named_by_its_kind_and_date(
    client, document_signe, monkeypatch
):
    # Its département removed (or its app): the kind's own name, and the day it was made.
    monkeypatch.setattr(verification, "objet_de", lambda document: None)

    texte = _texte(_deposer(client, document_signe.file.read()))

    produit_le = date_longue(document_signe.finished_at)  # « 1er » on the first of a month
    assert f"<strong>Document signé d'essai, document produit le {produit_le}</strong>." in texte
    assert "Seine-Maritime, version 2" not in texte


def test_a_signed_document_that_is_not_ours_is_intact_but_said_so(client, pdf_signe):
    response = _deposer(client, pdf_signe)

    texte = _texte(response)
    assert "Document intact, signé par Préfecture — certificat de démonstration" in texte
    assert "ne fait pas partie des documents signés produits par ce service" in texte


def test_a_tampered_document_is_flagged_in_a_red_alert(client, document_signe):
    pdf = document_signe.file.read()
    position = pdf.index(b"pyHanko")  # the producer, in the signed update
    altere = pdf[:position] + b"X" + pdf[position + 1 :]

    response = _deposer(client, altere)

    page = response.content.decode()
    assert 'class="fr-alert fr-alert--error" role="alert"' in page
    assert "modifié après la signature de la préfecture" in page
    assert "Feuille de route 2026–2028" not in page
    assert "Document intact" not in page


def test_an_unsigned_document_reveals_nothing_even_when_its_hash_is_known(
    client, document_signe, rendu_essai
):
    # An unsigned document of ours, produced, with the very hash of the uploaded file.
    inconnu = DocumentRequest.objects.create(
        kind=document_signe.kind,
        content_type=document_signe.content_type,
        object_id=document_signe.object_id,
        version="non-signe",
        html="<p>x</p>",
        filename="non-signe.pdf",
    )
    DocumentRequest.objects.filter(pk=inconnu.pk).update(
        status=DocumentRequest.Status.DONE,
        file="documents/non-signe.pdf",
        sha256=signature.verifier_pdf(rendu_essai.pdf).sha256,
        pages=1,
        finished_at=document_signe.finished_at,
    )

    with CaptureQueriesContext(connection) as requetes:
        response = _deposer(client, rendu_essai.pdf)

    texte = _texte(response)
    assert "ne porte aucune signature électronique" in texte
    assert "Feuille de route 2026–2028" not in texte
    assert "Document signé d'essai" not in texte
    assert not [q for q in requetes.captured_queries if "integration_documentrequest" in q["sql"]]


@pytest.mark.parametrize(
    ("contenu", "attendu"),
    [
        (b"Bonjour, ceci n'est pas un PDF.", "Ce fichier n'est pas un document PDF"),
        (b"%PDF-1.7\n%\xe2\xe3\n1 0 obj <<", "Ce fichier PDF est illisible"),
    ],
)
def test_a_file_that_is_not_a_readable_pdf_gets_a_clear_message(client, contenu, attendu):
    response = _deposer(client, contenu)

    assert response.status_code == 200
    assert attendu in _texte(response)


def test_an_oversized_file_is_refused_unread(client, monkeypatch):
    def interdit(data):
        raise AssertionError("Le fichier trop gros a été vérifié.")

    monkeypatch.setattr(signature, "verifier_pdf", interdit)

    response = _deposer(client, b"%PDF-1.7\n" + b"0" * (21 * 1024 * 1024))

    assert response.status_code == 413
    assert "Le fichier dépasse 20 Mo : il n'a pas été vérifié." in _texte(response)


def test_a_file_just_over_the_limit_is_refused_by_the_form(client, settings, monkeypatch):
    settings.VERIFICATION_TAILLE_MAX = 1024 * 1024
    monkeypatch.setattr(signature, "verifier_pdf", lambda data: pytest.fail("vérifié"))

    response = _deposer(client, b"%PDF-1.7\n" + b"0" * (1024 * 1024 + 10))

    page = response.content.decode()
    assert "Le fichier dépasse 1 Mo : il n&#x27;a pas été vérifié." in page
    assert 'aria-invalid="true"' in page


def test_checks_are_limited_per_client_address(client, settings):
    settings.VERIFICATION_LIMITE = 2
    settings.VERIFICATION_FENETRE = 600

    for _ in range(2):
        assert _deposer(client, b"texte", REMOTE_ADDR="203.0.113.7").status_code == 200
    refus = _deposer(client, b"texte", REMOTE_ADDR="203.0.113.7")

    assert refus.status_code == 429
    assert "Vous avez vérifié 2 documents en peu de temps. Réessayez dans 10 minutes." in (
        _texte(refus)
    )
    # Another client is counted apart; reading the page is never counted.
    assert _deposer(client, b"texte", REMOTE_ADDR="198.51.100.2").status_code == 200
    assert client.get(URL, REMOTE_ADDR="203.0.113.7").status_code == 200


def test_the_limit_counts_the_client_behind_the_trusted_proxy(client, settings):
    settings.VERIFICATION_LIMITE = 1
    settings.PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}

    assert _deposer(client, b"x", HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy).status_code == 200
    assert _deposer(client, b"x", HTTP_X_FORWARDED_FOR="203.0.113.8", **proxy).status_code == 200
    assert _deposer(client, b"x", HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy).status_code == 429


def test_a_malformed_content_length_is_no_server_error(client):
    response = _deposer(client, b"%PDF-1.7\n", CONTENT_LENGTH="beaucoup")

    assert response.status_code < 500


def test_a_file_one_kilobyte_over_the_limit_is_refused_before_its_body_is_read(settings):
    settings.VERIFICATION_TAILLE_MAX = 1024 * 1024
    # Without a CSRF token: the CSRF check, which parses the whole form, would say 403.
    client = Client(enforce_csrf_checks=True)

    response = _deposer(client, b"%PDF-1.7\n" + b"0" * (1024 * 1024 + 1024))

    assert response.status_code == 413
    assert "Le fichier dépasse 1 Mo : il n'a pas été vérifié." in _texte(response)
    assert "no-store" in response["Cache-Control"]


# --- Forgeries and honest additions, read on the page ---------------------------------------


def _resultat(response) -> str:
    """The result section's words, as read on the page, from its title on."""
    texte = " ".join(html.unescape(strip_tags(response.content.decode())).split())
    return texte[texte.index("Résultat pour") :]


def test_a_changed_feuille_signed_again_by_a_look_alike_is_modified(
    client, document_signe, certificat
):
    faux = mettre_a_jour(
        document_signe.file.read(), changer_texte, signer=signataire_sosie(certificat)
    )

    response = _deposer(client, faux)

    resultat = _resultat(response)
    assert resultat.startswith(
        "Résultat pour « document.pdf » Ce document a été modifié après la signature de la "
        "préfecture"
    )
    assert "fr-alert--success" not in response.content.decode()
    assert "Document intact" not in resultat
    assert "Feuille de route 2026–2028" not in resultat


@pytest.mark.parametrize(
    "modification", [ajouter_annotation, changer_texte], ids=["annotation", "texte"]
)
def test_a_change_added_after_the_genuine_signature_is_modified(
    client, document_signe, modification
):
    modifie = mettre_a_jour(document_signe.file.read(), modification)

    resultat = _resultat(_deposer(client, modifie))

    assert "Ce document a été modifié après la signature de la préfecture" in resultat
    assert "Document intact" not in resultat


def test_a_signature_by_a_look_alike_after_the_genuine_one_is_a_change(
    client, document_signe, certificat
):
    # Nothing else changed: a later signature is no addition archiving makes.
    cosigne = mettre_a_jour(document_signe.file.read(), signer=signataire_sosie(certificat))

    resultat = _resultat(_deposer(client, cosigne))

    assert "Ce document a été modifié après la signature de la préfecture" in resultat


def test_a_file_signed_only_by_a_look_alike_is_not_recognised(client, rendu_essai, certificat):
    faux = mettre_a_jour(rendu_essai.pdf, signer=signataire_sosie(certificat), champ="Sig")

    response = _deposer(client, faux)

    resultat = _resultat(response)
    assert resultat.startswith(
        "Résultat pour « document.pdf » Signature non reconnue : ce document n'est pas signé "
        "par la préfecture"
    )
    assert "au nom de « Préfecture — certificat de démonstration »" in resultat
    assert "Document intact" not in resultat
    assert "fr-alert--success" not in response.content.decode()
    assert " le " + date_format(localtime(), "j F Y") not in resultat  # no date it chose


HEURE_ARCHIVAGE = datetime(2026, 7, 1, 9, 0, tzinfo=UTC)


def test_archiving_data_and_a_document_timestamp_keep_it_intact_and_recognised(
    client, document_signe, settings, tmp_path
):
    horodateur = horodateur_essai(HEURE_ARCHIVAGE)
    reconnaitre_horodateur(horodateur, settings, tmp_path)
    prolonge = signature.prolonger_pdf(document_signe.file.read(), horodateur=horodateur)
    lecteur = PdfFileReader(BytesIO(prolonge))
    assert "/DSS" in lecteur.root and len(lecteur.embedded_timestamp_signatures) == 1

    resultat = _resultat(_deposer(client, prolonge))

    assert "Document intact, signé par Préfecture — certificat de démonstration" in resultat
    assert "Feuille de route 2026–2028 de la Seine-Maritime, version 2" in resultat


def test_blank_lines_after_the_end_keep_it_intact_and_recognised(client, document_signe):
    resultat = _resultat(_deposer(client, document_signe.file.read() + b"\n\n"))

    assert "Document intact, signé par Préfecture — certificat de démonstration" in resultat
    assert "Feuille de route 2026–2028 de la Seine-Maritime, version 2" in resultat


# --- Hostile files ------------------------------------------------------------------------


def pdf_hostile(entiers: int = 2_000_000) -> bytes:
    """A 4 MB PDF whose catalog holds ENTIERS integers: minutes of reading and gigabytes
    of memory for pyHanko, unsigned at the end of it all."""
    objets = [
        b"<< /Type /Catalog /Pages 2 0 R /X [" + b"0 " * entiers + b"] >>",
        b"<< /Type /Pages /Kids [] /Count 0 >>",
    ]
    pdf, positions = bytearray(b"%PDF-1.7\n"), []
    for numero, objet in enumerate(objets, start=1):
        positions.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (numero, objet)
    debut_xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objets) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % position for position in positions)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objets) + 1,
        debut_xref,
    )
    return bytes(pdf)


TROP_COMPLEXE = "Ce document est trop complexe pour être vérifié en ligne"


@pytest.mark.parametrize(
    ("cpu", "memoire", "duree"),
    [(1, 768, 30), (60, 160, 30), (60, 768, 2)],
    ids=["temps-processeur", "memoire", "duree"],
)
def test_a_hostile_file_is_too_complex_within_the_limits(client, settings, cpu, memoire, duree):
    settings.VERIFICATION_CPU_SECONDES = cpu
    settings.VERIFICATION_MEMOIRE_MO = memoire
    settings.VERIFICATION_DUREE_SECONDES = duree
    debut = time.monotonic()

    response = _deposer(client, pdf_hostile())

    assert response.status_code == 200
    assert TROP_COMPLEXE in _texte(response)
    assert time.monotonic() - debut < min(duree, 15) + 3


@pytest.mark.django_db(transaction=True)
def test_the_site_answers_while_four_hostile_files_are_checked(live_server, settings):
    settings.VERIFICATION_SIMULTANEES = 4
    # Each check stops at 3 s of CPU, so the four hold both cores for 6 s at least, more
    # on a loaded machine; the wall-clock limit only bounds the test.
    settings.VERIFICATION_CPU_SECONDES = 3
    settings.VERIFICATION_DUREE_SECONDES = 10
    requete = RequestFactory().get("/")
    jeton = get_token(requete)
    cookies = {django_settings.CSRF_COOKIE_NAME: requete.META["CSRF_COOKIE"]}
    hostile = pdf_hostile()
    reponses = []

    def envoyer():
        reponses.append(
            requests.post(
                live_server.url + URL,
                data={"csrfmiddlewaretoken": jeton},
                files={"fichier": ("hostile.pdf", hostile, "application/pdf")},
                cookies=cookies,
                headers={"Referer": live_server.url + URL},
                timeout=60,
            )
        )

    fils = [threading.Thread(target=envoyer) for _ in range(4)]
    for fil in fils:
        fil.start()
    time.sleep(1.5)  # the four checks run
    assert any(fil.is_alive() for fil in fils)
    sante = requests.get(live_server.url + "/healthz", timeout=10)
    assert sante.status_code == 200
    # The site answered while the checks still ran, however slow the machine: a site
    # blocked behind them would answer only once all four were refused.
    assert any(fil.is_alive() for fil in fils)
    for fil in fils:
        fil.join(timeout=60)

    assert [r.status_code for r in reponses] == [200] * 4
    assert all(TROP_COMPLEXE in _texte(r) for r in reponses)


def test_beyond_the_checks_allowed_at_once_a_file_waits_for_later_unread(
    client, settings, monkeypatch, pdf_signe
):
    settings.VERIFICATION_SIMULTANEES = 1
    verifier = signature.verifier_pdf
    monkeypatch.setattr(signature, "verifier_pdf", lambda data: pytest.fail("vérifié"))

    with verification.place_de_verification() as place:  # another visitor's check runs
        assert place
        response = _deposer(client, pdf_signe)

    assert response.status_code == 503
    assert "Trop de documents sont en cours de vérification en ce moment" in _texte(response)
    monkeypatch.setattr(signature, "verifier_pdf", verifier)
    assert "Document intact" in _texte(_deposer(client, pdf_signe))  # the place is free again
