"""The public verification page (/verifier/): anonymous, CSRF-protected, size- and
rate-limited, and saying nothing of unsigned documents."""

import html

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime

from integration import signature
from integration.documents import verification
from integration.models import DocumentRequest

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

    produit_le = date_format(localtime(document_signe.finished_at), "j F Y")
    assert f"<strong>Document signé d'essai, document produit le {produit_le}</strong>." in texte
    assert "Seine-Maritime, version 2" not in texte


def test_a_signed_document_that_is_not_ours_is_intact_but_said_so(client, pdf_signe):
    response = _deposer(client, pdf_signe)

    texte = _texte(response)
    assert "Document intact, signé par Préfecture — certificat de démonstration" in texte
    assert "ne fait pas partie des documents signés produits par ce service" in texte


def test_a_tampered_document_is_flagged_in_a_red_alert(client, document_signe):
    pdf = document_signe.file.read()
    position = pdf.index(b"WeasyPrint")
    altere = pdf[:position] + b"X" + pdf[position + 1 :]

    response = _deposer(client, altere)

    page = response.content.decode()
    assert 'class="fr-alert fr-alert--error" role="alert"' in page
    assert "modifié après sa signature" in page
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
