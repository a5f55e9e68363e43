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


# --- Forgeries, and the honest additions of archiving -------------------------------------


def _cle_et_certificat_asn1(cle, certificat):
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization

    der_cle = cle.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return (
        asn1_keys.PrivateKeyInfo.load(der_cle),
        asn1_x509.Certificate.load(certificat.public_bytes(serialization.Encoding.DER)),
    )


def signataire_sosie(fichier_p12, phrase: str = PHRASE):
    """A pyHanko signer whose self-signed certificate copies the subject (and issuer) of the
    certificate in FICHIER_P12: the look-alike a forger makes in a minute."""
    from cryptography.hazmat.primitives.serialization import pkcs12
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    _cle, vrai, _autres = pkcs12.load_key_and_certificates(
        fichier_p12.read_bytes(), phrase.encode()
    )
    cle = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    faux = (
        x509.CertificateBuilder()
        .subject_name(vrai.subject)
        .issuer_name(vrai.issuer)
        .public_key(cle.public_key())
        .serial_number(vrai.serial_number)
        .not_valid_before(vrai.not_valid_before_utc)
        .not_valid_after(vrai.not_valid_after_utc)
        .sign(cle, hashes.SHA256())
    )
    cle_asn1, certificat = _cle_et_certificat_asn1(cle, faux)
    return signers.SimpleSigner(
        signing_cert=certificat,
        signing_key=cle_asn1,
        cert_registry=SimpleCertificateStore.from_certs([certificat]),
    )


def horodateur_essai(heure: datetime):
    """A timestamp authority in memory (pyHanko's), stamping every request at HEURE."""
    from cryptography.x509.oid import ExtendedKeyUsageOID
    from pyhanko.sign.timestamps import DummyTimeStamper

    cle, certificat = certificat_auto_signe(
        "Horodatage d'essai",
        valide_de=heure - timedelta(days=1),
        usages=(ExtendedKeyUsageOID.TIME_STAMPING,),
    )
    cle_asn1, certificat_asn1 = _cle_et_certificat_asn1(cle, certificat)
    return DummyTimeStamper(certificat_asn1, cle_asn1, fixed_dt=heure)


def mettre_a_jour(pdf: bytes, modification=None, signer=None, champ="Contre-signature") -> bytes:
    """PDF with an incremental update: MODIFICATION(writer) applied, then, with SIGNER, a
    signature in a new field CHAMP (in the same update, as a forger re-signs)."""
    from io import BytesIO

    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    ecrivain = IncrementalPdfFileWriter(BytesIO(pdf))
    if modification is not None:
        modification(ecrivain)
    if signer is None:
        sortie = BytesIO()
        ecrivain.write(sortie)
        return sortie.getvalue()
    meta = signers.PdfSignatureMetadata(
        field_name=champ, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES
    )
    return signers.sign_pdf(ecrivain, meta, signer=signer).getvalue()


def ajouter_annotation(ecrivain) -> None:
    """A note annotation on the first page: « Montant porté à 2 000 000 € »."""
    from pyhanko.pdf_utils import generic

    page_ref = ecrivain.find_page_for_modification(0)[0]
    page = page_ref.get_object()
    note = ecrivain.add_object(
        generic.DictionaryObject(
            {
                generic.NameObject("/Type"): generic.NameObject("/Annot"),
                generic.NameObject("/Subtype"): generic.NameObject("/FreeText"),
                generic.NameObject("/Rect"): generic.ArrayObject(
                    [generic.NumberObject(n) for n in (50, 50, 300, 90)]
                ),
                generic.NameObject("/Contents"): generic.TextStringObject(
                    "Montant porté à 2 000 000 €"
                ),
                generic.NameObject("/DA"): generic.TextStringObject("/Helv 12 Tf 0 g"),
            }
        )
    )
    existantes = page.raw_get("/Annots").get_object() if "/Annots" in page else []
    annotations = generic.ArrayObject(list(existantes))
    annotations.append(note)
    page[generic.NameObject("/Annots")] = annotations
    ecrivain.update_container(page)


def changer_texte(ecrivain) -> None:
    """The first page's content replaced by other words, drawn over nothing."""
    from pyhanko.pdf_utils import generic

    page_ref = ecrivain.find_page_for_modification(0)[0]
    page = page_ref.get_object()
    contenu = generic.StreamObject(stream_data=b"BT /F1 24 Tf 72 720 Td (Plan annule) Tj ET")
    page[generic.NameObject("/Contents")] = ecrivain.add_object(contenu)
    ecrivain.update_container(page)


def reconnaitre_horodateur(horodateur, settings, dossier) -> None:
    """Name HORODATEUR's certificate in SIGNATURE_TSA_TRUST_ROOTS, as a cabinet names its
    authority's chain when the system does not know it."""
    chemin = dossier / "horodatage.der"
    chemin.write_bytes(horodateur.tsa_cert.dump())
    settings.SIGNATURE_TSA_TRUST_ROOTS = [str(chemin)]
