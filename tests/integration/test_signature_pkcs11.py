"""Signing on a PKCS#11 token, as a cabinet with a hardware token or an HSM does: SoftHSM
(Debian's softhsm2) holds a key and its certificate, and the settings name the module, the
token, the labels and the PIN, as in production."""

import os
import subprocess
from datetime import UTC, datetime, timedelta

import pkcs11
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from pkcs11 import Attribute, CertificateType, ObjectClass
from pkcs11.util.rsa import decode_rsa_private_key

from integration.documents.services import ErreurDocument
from integration.signature import Statut, signer_pdf, verifier_pdf
from tests.integration.documents_signes import SIGNATAIRE, certificat_auto_signe
from tests.poppler import poppler

MODULE_SOFTHSM = "/usr/lib/softhsm/libsofthsm2.so"
JETON, CLE, PIN = "Cabinet du préfet", "signature-prefet", "246810"
NOM_CERTIFICAT = "Cabinet du préfet — jeton PKCS#11"


def _ranger_sur_le_jeton(cle: rsa.RSAPrivateKey, certificat: x509.Certificate) -> None:
    """The key (not extractable, as on a real token) and its certificate, under one label."""
    jeton = pkcs11.lib(MODULE_SOFTHSM).get_token(token_label=JETON)
    der_cle = cle.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.TraditionalOpenSSL,  # PKCS#1, what the decoder reads
        serialization.NoEncryption(),
    )
    with jeton.open(rw=True, user_pin=PIN) as session:
        session.create_object(
            {
                **decode_rsa_private_key(der_cle),
                Attribute.TOKEN: True,
                Attribute.PRIVATE: True,
                Attribute.SENSITIVE: True,
                Attribute.EXTRACTABLE: False,
                Attribute.LABEL: CLE,
                Attribute.ID: b"\x01",
            }
        )
        session.create_object(
            {
                Attribute.CLASS: ObjectClass.CERTIFICATE,
                Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                Attribute.TOKEN: True,
                Attribute.LABEL: CLE,
                Attribute.ID: b"\x01",
                Attribute.SUBJECT: certificat.subject.public_bytes(),
                Attribute.VALUE: certificat.public_bytes(serialization.Encoding.DER),
            }
        )


@pytest.fixture(scope="module")
def jeton(tmp_path_factory):
    """A SoftHSM token of this test run's own, with the signing key and its certificate;
    gives the certificate, as PEM, in a file (what SIGNATURE_TRUST_ROOTS would name)."""
    dossier = tmp_path_factory.mktemp("softhsm")
    (dossier / "jetons").mkdir()
    configuration = dossier / "softhsm2.conf"
    configuration.write_text(
        f"directories.tokendir = {dossier / 'jetons'}\nobjectstore.backend = file\n"
        "log.level = ERROR\n",
        encoding="utf-8",
    )
    # SoftHSM reads its configuration when the module is first loaded in the process.
    ancienne = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = str(configuration)
    subprocess.run(  # noqa: S603 - Debian's tool, fixed arguments
        ["softhsm2-util", "--init-token", "--free", "--label", JETON,  # noqa: S607
         "--so-pin", "13579135", "--pin", PIN],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    cle, certificat = certificat_auto_signe(
        NOM_CERTIFICAT, valide_de=datetime.now(UTC) - timedelta(days=1)
    )
    _ranger_sur_le_jeton(cle, certificat)
    racine = dossier / "cabinet.pem"
    racine.write_bytes(certificat.public_bytes(serialization.Encoding.PEM))
    yield racine
    if ancienne is None:
        os.environ.pop("SOFTHSM2_CONF", None)
    else:
        os.environ["SOFTHSM2_CONF"] = ancienne


@pytest.fixture
def sur_le_jeton(jeton, settings):
    """The settings of a cabinet that signs on the token (no PKCS#12 file at all)."""
    settings.SIGNATURE_PKCS12_FILE = ""
    settings.SIGNATURE_PKCS11_MODULE = MODULE_SOFTHSM
    settings.SIGNATURE_PKCS11_TOKEN_LABEL = JETON
    settings.SIGNATURE_PKCS11_KEY_LABEL = CLE
    settings.SIGNATURE_PKCS11_CERT_LABEL = CLE
    settings.SIGNATURE_PKCS11_PIN = PIN
    return settings


def test_the_token_signs_and_the_signature_holds(sur_le_jeton, jeton, rendu_essai):
    pdf = signer_pdf(rendu_essai.pdf, rendu_essai.cadre_signature, SIGNATAIRE)

    resultat = verifier_pdf(pdf)
    assert resultat.statut == Statut.INTACT
    assert resultat.signataire == NOM_CERTIFICAT
    # The token's certificate is not in the settings: only a trust root makes it known.
    assert not resultat.certificat_reconnu
    sur_le_jeton.SIGNATURE_TRUST_ROOTS = [str(jeton)]
    assert verifier_pdf(pdf).certificat_reconnu
    sortie = poppler("pdfsig", pdf)
    assert "Signature is Valid." in sortie and NOM_CERTIFICAT in sortie


@pytest.mark.parametrize(
    "reglage",
    [
        {"SIGNATURE_PKCS11_PIN": "000000"},
        {"SIGNATURE_PKCS11_TOKEN_LABEL": "Jeton absent"},
        {"SIGNATURE_PKCS11_MODULE": "/usr/lib/absent/pkcs11.so"},
    ],
    ids=["mauvais PIN", "jeton absent", "module absent"],
)
def test_a_token_that_cannot_be_opened_is_a_french_error(sur_le_jeton, rendu_essai, reglage):
    for nom, valeur in reglage.items():
        setattr(sur_le_jeton, nom, valeur)

    with pytest.raises(ErreurDocument, match="jeton de signature .PKCS#11. ne peut pas être"):
        signer_pdf(rendu_essai.pdf, rendu_essai.cadre_signature, SIGNATAIRE)


def test_a_key_label_not_on_the_token_is_a_french_error(sur_le_jeton, rendu_essai):
    sur_le_jeton.SIGNATURE_PKCS11_KEY_LABEL = "autre-cle"
    sur_le_jeton.SIGNATURE_PKCS11_CERT_LABEL = "autre-cle"

    with pytest.raises(ErreurDocument, match="introuvable sur le jeton .PKCS#11."):
        signer_pdf(rendu_essai.pdf, rendu_essai.cadre_signature, SIGNATAIRE)
