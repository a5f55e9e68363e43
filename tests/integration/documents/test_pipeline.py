"""Asking for a document, producing it once, failing clearly, and serving it to who may read it."""

import hashlib
from pathlib import Path

import pytest
from django.urls import reverse

from integration.documents import services
from integration.models import DocumentRequest, OutboxTask
from tests.integration.documents.conftest import CODE
from tests.poppler import poppler

Status = DocumentRequest.Status


def _fichiers(settings) -> list[Path]:
    return sorted(p for p in Path(settings.MEDIA_ROOT).rglob("*.pdf"))


def test_a_request_is_produced_after_commit_and_recorded(seine_maritime, autorise, apres_commit,
                                                          settings):  # fmt: skip
    with apres_commit():
        document = services.demander(CODE, seine_maritime, by=autorise)
        assert document.status == Status.WAITING  # nothing runs before the commit

    document.refresh_from_db()
    assert document.status == Status.DONE
    assert document.requested_by == autorise and document.attempts == 1
    assert document.started_at and document.finished_at >= document.started_at
    assert document.duration_ms is not None and document.pages == 1
    contenu = document.file.read()
    assert contenu.startswith(b"%PDF-")
    assert document.sha256 == hashlib.sha256(contenu).hexdigest()
    assert document.filename == "fiche-76.pdf"
    assert "Fiche d'essai de la Seine-Maritime" in poppler("pdftotext", contenu)
    assert len(_fichiers(settings)) == 1


def test_a_kind_refuses_an_object_of_another_model(autorise):
    with pytest.raises(TypeError, match="acteurs.Departement"):
        services.demander(CODE, autorise, by=autorise)
    assert not DocumentRequest.objects.exists()


def test_an_unchanged_version_reuses_the_request(seine_maritime, autorise, apres_commit):
    with apres_commit():
        premier = services.demander(CODE, seine_maritime, by=autorise)
    with apres_commit():
        second = services.demander(CODE, seine_maritime, by=autorise)

    assert second.pk == premier.pk
    assert OutboxTask.objects.count() == 1  # one rendering, not two

    seine_maritime.titre_prefet = "Préfète de la Seine-Maritime"
    seine_maritime.save()
    with apres_commit():
        troisieme = services.demander(CODE, seine_maritime, by=autorise)
    assert troisieme.pk != premier.pk  # the content changed: a new version
    assert DocumentRequest.objects.count() == 2


def test_a_failure_is_recorded_in_french_and_can_be_retried(
    seine_maritime, autorise, apres_commit, monkeypatch
):
    from integration.documents import rendu

    vrai = rendu.rendre_pdf
    monkeypatch.setattr(rendu, "rendre_pdf", lambda *a, **k: 1 / 0)
    with apres_commit():
        document = services.demander(CODE, seine_maritime, by=autorise)
    document.refresh_from_db()
    assert document.status == Status.FAILED
    assert document.error == services.ERREUR_GENERIQUE and not document.file

    monkeypatch.setattr(rendu, "rendre_pdf", vrai)
    with apres_commit():
        services.relancer(document)
    document.refresh_from_db()
    assert document.status == Status.DONE and document.error == ""
    assert document.attempts == 2
    assert DocumentRequest.objects.count() == 1


def test_an_interrupted_run_completes_on_retry_without_a_duplicate(seine_maritime, autorise,
                                                                   apres_commit, monkeypatch,
                                                                   settings):  # fmt: skip
    """The file is stored, then the run dies before recording it (a lost connection): the
    retry renders again into the same file name; one request, one file."""
    enregistrer = services._enregistrer_fichier
    coupures = []

    def enregistrer_puis_couper(document, pdf):
        nom = enregistrer(document, pdf)
        if not coupures:
            coupures.append(nom)
            raise OSError("connexion perdue")
        return nom

    monkeypatch.setattr(services, "_enregistrer_fichier", enregistrer_puis_couper)
    with apres_commit():
        document = services.demander(CODE, seine_maritime, by=autorise)

    document.refresh_from_db()
    assert coupures, "la première exécution aurait dû être interrompue"
    assert document.status == Status.DONE and document.attempts == 2
    assert document.file.name == coupures[0]
    assert _fichiers(settings) == [Path(settings.MEDIA_ROOT) / coupures[0]]
    assert DocumentRequest.objects.count() == 1
    # Running the task again changes nothing: the document is done.
    services.produire(document.pk)
    document.refresh_from_db()
    assert document.attempts == 2


def test_the_task_gives_up_after_its_retries(seine_maritime, autorise, apres_commit, monkeypatch):
    from integration.documents import rendu

    def panne(*args, **kwargs):
        raise OSError("stockage indisponible")

    monkeypatch.setattr(rendu, "rendre_pdf", panne)
    with apres_commit():
        document = services.demander(CODE, seine_maritime, by=autorise)
    document.refresh_from_db()
    assert document.status == Status.FAILED
    assert document.attempts == 4  # the first run and three retries
    assert document.error == services.ERREUR_GENERIQUE


# --- Pages --------------------------------------------------------------------------------


@pytest.fixture
def document_pret(seine_maritime, autorise, apres_commit):
    with apres_commit():
        document = services.demander(CODE, seine_maritime, by=autorise)
    document.refresh_from_db()
    return document


def test_progress_page_offers_the_download(client, document_pret, autorise):
    client.force_login(autorise)
    page = client.get(reverse("documents:suivi", args=[document_pret.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Le document est prêt : 1 page" in html
    assert reverse("documents:telecharger", args=[document_pret.pk]) in html
    assert "hx-trigger" not in html  # done: nothing to poll

    reponse = client.get(reverse("documents:telecharger", args=[document_pret.pk]))
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "application/pdf"
    assert 'filename="fiche-76.pdf"' in reponse["Content-Disposition"]
    assert reponse["Cache-Control"] == "private, no-store"
    assert b"".join(reponse.streaming_content) == document_pret.file.open("rb").read()


def test_a_running_document_polls_with_htmx_and_links_without_javascript(
    client, seine_maritime, autorise, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):  # the task never runs
        document = services.demander(CODE, seine_maritime, by=autorise)
    client.force_login(autorise)
    url = reverse("documents:suivi", args=[document.pk])

    page = client.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in page and "en file d'attente" in page
    assert f'<a class="fr-link" href="{url}">Actualiser</a>' in page

    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<div id="etat-document"')
    assert "<html" not in fragment

    telechargement = client.get(reverse("documents:telecharger", args=[document.pk]))
    assert telechargement.status_code == 302 and telechargement.url == url


def test_failed_document_shows_the_retry_button(client, seine_maritime, autorise,
                                                apres_commit, monkeypatch):  # fmt: skip
    from integration.documents import rendu

    monkeypatch.setattr(rendu, "rendre_pdf", lambda *a, **k: 1 / 0)
    with apres_commit():
        document = services.demander(CODE, seine_maritime, by=autorise)
    client.force_login(autorise)
    page = client.get(reverse("documents:suivi", args=[document.pk])).content.decode()
    assert "La génération a échoué" in page and "Relancer la génération" in page

    monkeypatch.undo()
    with apres_commit():
        reponse = client.post(reverse("documents:relancer", args=[document.pk]))
    assert reponse.status_code == 302
    document.refresh_from_db()
    assert document.status == Status.DONE


@pytest.mark.parametrize("vue", ["suivi", "telecharger", "relancer"])
def test_documents_do_not_exist_for_who_may_not_read_their_object(client, document_pret, cabinet,
                                                                   vue):  # fmt: skip
    client.force_login(cabinet)  # same département, but the kind's rule says no
    url = reverse(f"documents:{vue}", args=[document_pret.pk])
    reponse = client.post(url) if vue == "relancer" else client.get(url)
    assert reponse.status_code == 404


def test_anonymous_visitors_are_sent_to_login(client, document_pret):
    reponse = client.get(reverse("documents:telecharger", args=[document_pret.pk]))
    assert reponse.status_code == 302 and reverse("login") in reponse.url


def test_retry_needs_post(client, document_pret, autorise):
    client.force_login(autorise)
    assert client.get(reverse("documents:relancer", args=[document_pret.pk])).status_code == 405


def test_operators_see_document_requests_read_only(client, document_pret):
    from tests.acteurs.factories import UserFactory

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    liste = client.get(reverse("admin:integration_documentrequest_changelist"))
    fiche = client.get(reverse("admin:integration_documentrequest_change", args=[document_pret.pk]))

    assert liste.status_code == 200 and "fiche-76.pdf" in liste.content.decode()
    assert fiche.status_code == 200 and document_pret.sha256 in fiche.content.decode()
    assert client.get(reverse("admin:integration_documentrequest_add")).status_code == 403
    suppression = reverse("admin:integration_documentrequest_delete", args=[document_pret.pk])
    assert client.post(suppression).status_code == 403
