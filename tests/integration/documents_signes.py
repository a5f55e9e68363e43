"""Fixtures for the signature tests: a demo certificate made by the command, a small
document rendered for real from a test-only template, and a signed kind of document."""

from datetime import datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from integration.documents import registre, rendu
from integration.documents.registre import Signataire, TypeDocument

GABARITS = Path(__file__).parent / "templates"
PHRASE = "phrase de passe d'essai"
CODE = "essai.signe"
SIGNATAIRE = Signataire(
    nom="Élodie Dupré-Léger",
    qualite="Préfète de la Seine-Maritime",
    lieu="Rouen",
    date=timezone.make_aware(datetime(2026, 6, 1, 10, 30)),
)


def templates_d_essai(settings_templates):
    """The project's TEMPLATES with the test-only folder added."""
    templates = [dict(t) for t in settings_templates]
    templates[0]["DIRS"] = [*templates[0]["DIRS"], GABARITS]
    return templates


@pytest.fixture(scope="session")
def fichier_certificat(tmp_path_factory) -> Path:
    chemin = tmp_path_factory.mktemp("signature") / "demo.p12"
    call_command("create_demo_certificate", path=str(chemin), passphrase=PHRASE)
    return chemin


@pytest.fixture
def certificat(settings, fichier_certificat) -> Path:
    settings.SIGNATURE_PKCS11_MODULE = ""
    settings.SIGNATURE_PKCS12_FILE = str(fichier_certificat)
    settings.SIGNATURE_PKCS12_PASSPHRASE = PHRASE
    settings.SIGNATURE_TSA_URL = ""
    settings.SIGNATURE_TRUST_ROOTS = []
    return fichier_certificat


@pytest.fixture
def gabarits_d_essai(settings):
    settings.TEMPLATES = templates_d_essai(settings.TEMPLATES)


@pytest.fixture(scope="session")
def rendu_essai() -> rendu.Rendu:
    """A one-page PDF/A-2a with a blank signature box, rendered once for the session."""
    from django.conf import settings

    contexte = {
        "lignes_bloc_marque": ["Préfet de la", "Seine-Maritime"],
        "emetteur": "Préfet de la Seine-Maritime",
        "lieu": "Rouen",
    }
    with override_settings(TEMPLATES=templates_d_essai(settings.TEMPLATES)):
        return rendu.rendre(
            "essai/signature.html",
            contexte,
            variante=rendu.VARIANTE_ARCHIVABLE,
            titre="Feuille de route d'essai",
        )


@pytest.fixture
def pdf_signe(certificat, rendu_essai) -> bytes:
    from integration.signature import signer_pdf

    return signer_pdf(rendu_essai.pdf, rendu_essai.cadre_signature, SIGNATAIRE)


@pytest.fixture
def type_signe(gabarits_d_essai, certificat):
    """A signed kind of document about a département, registered for the test."""
    kind = TypeDocument(
        code=CODE,
        libelle="Document signé d'essai",
        modele="acteurs.Departement",
        gabarit="essai/signature.html",
        contexte=lambda d: {
            "lignes_bloc_marque": d.lignes_bloc_marque,
            "emetteur": d.titre_prefet,
            "lieu": d.chef_lieu,
        },
        visible=lambda user, d: True,
        nom_fichier=lambda d: f"essai-{d.code}.pdf",
        titre=lambda d: f"Feuille de route d'essai de {d.nom}",
        variante=rendu.VARIANTE_ARCHIVABLE,
        signataire=lambda d: SIGNATAIRE,
        description_publique=lambda d: f"Feuille de route 2026–2028 de la {d.nom}, version 2",
    )
    registre.enregistrer(kind)
    yield kind
    registre._TYPES.pop(CODE, None)


@pytest.fixture
def document_signe(type_signe, seine_maritime, pilotage, apres_commit, settings, tmp_path):
    """A signed document produced through the whole pipeline (request, task, storage)."""
    from integration.documents import services

    settings.MEDIA_ROOT = tmp_path / "media"
    with apres_commit():
        document = services.demander(CODE, seine_maritime, by=pilotage)
    document.refresh_from_db()
    assert document.status == document.Status.DONE, document.error
    return document
