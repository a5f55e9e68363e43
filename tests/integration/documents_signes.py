"""Fixtures for the signature tests: a small document rendered for real from a test-only
template (tests/templates), and a signed kind of document. The demo certificate every test
signs with is made in tests/conftest.py."""

from datetime import datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.utils import timezone

from integration.documents import registre, rendu
from integration.documents.registre import Signataire, TypeDocument
from tests.conftest import PHRASE  # noqa: F401 (the certificate's, for the tests)

CODE = "essai.signe"
SIGNATAIRE = Signataire(
    nom="Élodie Dupré-Léger",
    qualite="Préfète de la Seine-Maritime",
    lieu="Rouen",
    date=timezone.make_aware(datetime(2026, 6, 1, 10, 30)),
)


def certificat_auto_signe(
    nom_commun: str, *, valide_de: datetime, usages: tuple = ()
) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    """An RSA key and its self-signed certificate, valid a year from VALIDE_DE; USAGES are
    the extended key usages it declares (time stamping, for an authority), if any."""
    cle = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    nom = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, nom_commun)])
    construction = (
        x509.CertificateBuilder()
        .subject_name(nom)
        .issuer_name(nom)
        .public_key(cle.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(valide_de)
        .not_valid_after(valide_de + timedelta(days=365))
    )
    if usages:
        construction = construction.add_extension(x509.ExtendedKeyUsage(usages), critical=True)
    return cle, construction.sign(cle, hashes.SHA256())


@pytest.fixture(scope="session")
def rendu_essai() -> rendu.Rendu:
    """A one-page PDF/A-2a with a blank signature box, rendered once for the session."""
    contexte = {
        "lignes_bloc_marque": ["Préfet de la", "Seine-Maritime"],
        "emetteur": "Préfet de la Seine-Maritime",
        "lieu": "Rouen",
    }
    return rendu.rendre(
        "documents_essai/signature.html",
        contexte,
        variante=rendu.VARIANTE_ARCHIVABLE,
        titre="Feuille de route d'essai",
    )


@pytest.fixture
def pdf_signe(certificat, rendu_essai) -> bytes:
    from integration.signature import signer_pdf

    return signer_pdf(rendu_essai.pdf, rendu_essai.cadre_signature, SIGNATAIRE)


@pytest.fixture
def type_signe(certificat):
    """A signed kind of document about a département, registered for the test."""
    kind = TypeDocument(
        code=CODE,
        libelle="Document signé d'essai",
        modele="acteurs.Departement",
        gabarit="documents_essai/signature.html",
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
