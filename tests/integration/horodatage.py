"""A timestamp authority (RFC 3161) on loopback, for the signature tests and the drills.

It stamps every request at HEURE_TSA, answers 503 while `en_panne`, and holds its answers
while `retenue` is an unset event: a signature is then known to be under way, and stays so.
"""

import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import ExtendedKeyUsageOID
from pyhanko.sign.timestamps import DummyTimeStamper

from tests.integration.documents_signes import certificat_auto_signe

HEURE_TSA = datetime(2026, 6, 1, 8, 31, 7, tzinfo=UTC)  # a minute after SIGNATAIRE.date
RETENUE_MAX = 60  # seconds a held answer waits at most: the server's threads always end


class ServiceHorodatage(BaseHTTPRequestHandler):
    """A timestamp authority on loopback, as pyHanko's own tests make one."""

    horodateur = None
    en_panne = False
    requetes = 0
    retenue: threading.Event | None = None
    recue = threading.Event()  # set at each request

    def do_POST(self):  # noqa: N802 - http.server's name
        demande = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requetes += 1
        self.recue.set()
        if self.retenue is not None:
            self.retenue.wait(RETENUE_MAX)
        if self.en_panne:
            self.send_error(503)
            return
        reponse = self.horodateur.request_tsa_response(demande).dump()
        self.send_response(200)
        self.send_header("Content-Type", "application/timestamp-reply")
        self.send_header("Content-Length", str(len(reponse)))
        self.end_headers()
        self.wfile.write(reponse)

    def log_message(self, *args):  # quiet
        pass

    @classmethod
    def remettre_a_zero(cls) -> None:
        cls.en_panne, cls.requetes, cls.retenue = False, 0, None
        cls.recue.clear()


def _certificat_tsa() -> tuple[asn1_x509.Certificate, asn1_keys.PrivateKeyInfo]:
    cle, certificat = certificat_auto_signe(
        "Horodatage d'essai",
        valide_de=HEURE_TSA - timedelta(days=1),
        usages=(ExtendedKeyUsageOID.TIME_STAMPING,),
    )
    der_cle = cle.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return (
        asn1_x509.Certificate.load(certificat.public_bytes(serialization.Encoding.DER)),
        asn1_keys.PrivateKeyInfo.load(der_cle),
    )


@pytest.fixture(scope="module")
def service_horodatage():
    """The authority's URL, on a free port of 127.0.0.1."""
    ServiceHorodatage.horodateur = DummyTimeStamper(*_certificat_tsa(), fixed_dt=HEURE_TSA)
    serveur = ThreadingHTTPServer(("127.0.0.1", 0), ServiceHorodatage)
    fil = threading.Thread(target=serveur.serve_forever, daemon=True)
    fil.start()
    yield f"http://127.0.0.1:{serveur.server_port}/horodatage"
    if ServiceHorodatage.retenue is not None:  # let a held answer go, so shutdown ends
        ServiceHorodatage.retenue.set()
    serveur.shutdown()
    serveur.server_close()
