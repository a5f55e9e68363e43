"""A self-signed signing certificate, for demos and tests: never for real documents.

    python manage.py create_demo_certificate [--path P] [--passphrase X] [--force]

Without options it writes the PKCS#12 file the settings point to (SIGNATURE_PKCS12_FILE,
var/signature/demo.p12 in the embedded mode) with their passphrase, and keeps an existing
file unless --force is given, so `make demo` may call it every time.
"""

from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

NOM_COMMUN = "Préfecture — certificat de démonstration"
VALIDITE = timedelta(days=3 * 365)


def certificat_de_demonstration(passphrase: str) -> bytes:
    """A PKCS#12 file: an RSA key and its self-signed certificate, valid three years."""
    cle = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    nom = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Préfecture (démonstration)"),
            x509.NameAttribute(NameOID.COMMON_NAME, NOM_COMMUN),
        ]
    )
    maintenant = datetime.now(UTC)
    certificat = (
        x509.CertificateBuilder()
        .subject_name(nom)
        .issuer_name(nom)
        .public_key(cle.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(maintenant - timedelta(minutes=5))
        .not_valid_after(maintenant + VALIDITE)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,  # non-repudiation
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(cle.public_key()), critical=False)
        .sign(cle, hashes.SHA256())
    )
    chiffrement = (
        serialization.BestAvailableEncryption(passphrase.encode())
        if passphrase
        else serialization.NoEncryption()
    )
    return pkcs12.serialize_key_and_certificates(
        NOM_COMMUN.encode(), cle, certificat, None, chiffrement
    )


class Command(BaseCommand):
    help = "Crée un certificat de signature auto-signé (PKCS#12) pour la démonstration."

    def add_arguments(self, parser):
        parser.add_argument("--path", help="Fichier à écrire (défaut : SIGNATURE_PKCS12_FILE).")
        parser.add_argument(
            "--passphrase", help="Phrase de passe (défaut : SIGNATURE_PKCS12_PASSPHRASE)."
        )
        parser.add_argument("--force", action="store_true", help="Remplacer un fichier existant.")

    def handle(self, *args, path=None, passphrase=None, force=False, **options):
        chemin = path or settings.SIGNATURE_PKCS12_FILE
        if not chemin:
            raise CommandError("Indiquez --path : SIGNATURE_PKCS12_FILE n'est pas renseignée.")
        if passphrase is None:
            passphrase = settings.SIGNATURE_PKCS12_PASSPHRASE
        fichier = Path(chemin)
        if fichier.exists() and not force:
            self.stdout.write(
                f"Le certificat {fichier} existe déjà ; conservé (--force pour le remplacer)."
            )
            return
        fichier.parent.mkdir(parents=True, exist_ok=True)
        fichier.write_bytes(certificat_de_demonstration(passphrase))
        fichier.chmod(0o600)
        self.stdout.write(self.style.SUCCESS(f"Certificat de démonstration écrit : {fichier}"))
