"""PAdES signatures: signing a generated PDF for its signer, and checking any PDF.

    pdf = signer_pdf(pdf, cadre, Signataire(nom=…, qualite=…, lieu="Rouen", date=…))
    archive = prolonger_pdf(pdf)  # validation data and a document timestamp (B-LTA)
    verification = verifier_pdf(donnees)  # in a limited child process: statut, signataire…

The signature is added as an incremental update (the rendered bytes stay as they are, so a
PDF/A-2a document stays PDF/A: that standard allows it), with `subfilter` PAdES, as a
certification (DocMDP P=2), B-T with a timestamp authority, and a visible stamp in the
template's blank box (`Cadre`), its widget tagged for PDF/UA. The stamp is laid out by
WeasyPrint with Marianne, like the document itself, and placed as the signature's
appearance: the accents render and the text can be read back, with the font embedded.

The certificate comes from the settings (`SIGNATURE_*`): a PKCS#12 file and its
passphrase, or a PKCS#11 token. The embedded mode defaults to a demo certificate made by
`manage.py create_demo_certificate`. Anything missing is an `ErreurDocument`, whose French
message the document's page shows.
"""

import asyncio
import atexit
import base64
import hashlib
import json
import logging
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from functools import cache, cached_property
from io import BytesIO
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from pyhanko.pdf_utils import content, generic, layout
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.metadata import model as metadata_model
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import load_cert_from_pemder
from pyhanko.sign.timestamps import HTTPTimeStamper, TimestampRequestError
from pyhanko.sign.validation import add_validation_info
from pyhanko.stamp import StaticStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from integration.documents import verificateur
from integration.documents.registre import Signataire
from integration.documents.rendu import ORIGINE, Cadre
from integration.documents.services import ErreurDocument
from integration.text import date_longue  # noqa: F401  (re-exported)

logger = logging.getLogger(__name__)

NOM_CHAMP = "Signature"


def _hors_boucle(fonction, *args, **kwargs):
    """FONCTION(*ARGS), which runs its own asyncio loop (pyHanko's synchronous API does):
    in a thread of its own when this thread already runs a loop (an ASGI server, a
    browser-driving test), where a second loop may not start."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fonction(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as executeur:
        return executeur.submit(fonction, *args, **kwargs).result()


# --- The certificate ----------------------------------------------------------------------


def _pkcs12() -> tuple[Path, bytes]:
    chemin = settings.SIGNATURE_PKCS12_FILE
    if not chemin:
        raise ErreurDocument(
            "Aucun certificat de signature n'est configuré : renseignez "
            "SIGNATURE_PKCS12_FILE et SIGNATURE_PKCS12_PASSPHRASE (ou un jeton PKCS#11)."
        )
    fichier = Path(chemin)
    if not fichier.is_file():
        raise ErreurDocument(
            f"Le certificat de signature est introuvable ({fichier.name}). "
            "En démonstration, créez-le avec « manage.py create_demo_certificate »."
        )
    return fichier, settings.SIGNATURE_PKCS12_PASSPHRASE.encode()


class SignataireCleChargee(signers.SimpleSigner):
    """pyHanko's SimpleSigner with its private key loaded once.

    pyHanko loads the key again from DER, RSA consistency check included (36 ms for a
    2048-bit key), at every raw signature, and signs twice per PDF (a dry run sizes the
    signature): a fifth of the time to sign a 100-page feuille de route. RSA PKCS#1 v1.5,
    the usual mechanism, signs with the loaded key; any other goes to pyHanko."""

    @classmethod
    def de(cls, signer: signers.SimpleSigner) -> "SignataireCleChargee":
        return cls(
            signing_cert=signer.signing_cert,
            signing_key=signer.signing_key,
            cert_registry=signer.cert_registry,
            signature_mechanism=signer.signature_mechanism,
        )

    @cached_property
    def cle(self):
        return serialization.load_der_private_key(self.signing_key.dump(), password=None)

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        try:
            mecanisme = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        except ValueError:  # a mechanism asn1crypto cannot name: pyHanko knows what to do
            mecanisme = None
        if mecanisme != "rsassa_pkcs1v15":
            return super().sign_raw(data, digest_algorithm)
        return self.cle.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))


@cache
def _signataire_pkcs12(chemin: str, modifie_le: int, phrase: bytes) -> SignataireCleChargee:
    """The PKCS#12 signer, loaded once per file version (its mtime is in the key)."""
    signer = signers.SimpleSigner.load_pkcs12(chemin, passphrase=phrase or None)
    if signer is None:  # pyHanko logs the cause and returns None
        raise ErreurDocument(
            "Le certificat de signature ne peut pas être lu : fichier PKCS#12 invalide "
            "ou phrase de passe erronée (SIGNATURE_PKCS12_PASSPHRASE)."
        )
    return SignataireCleChargee.de(signer)


def _charger_pkcs12() -> SignataireCleChargee:
    fichier, phrase = _pkcs12()
    try:
        return _signataire_pkcs12(str(fichier), fichier.stat().st_mtime_ns, phrase)
    except OSError as exc:
        raise ErreurDocument(
            f"Le certificat de signature ne peut pas être lu ({fichier.name}) : {exc.strerror}."
        ) from exc


@contextmanager
def _signataire_pkcs11():
    """A signer on the configured PKCS#11 token, its session closed afterwards."""
    # Imported here: only a cabinet with a token loads python-pkcs11.
    from pkcs11.exceptions import PKCS11Error
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign import pkcs11

    try:
        session = pkcs11.open_pkcs11_session(
            settings.SIGNATURE_PKCS11_MODULE,
            token_criteria=TokenCriteria(label=settings.SIGNATURE_PKCS11_TOKEN_LABEL or None),
            user_pin=settings.SIGNATURE_PKCS11_PIN or None,
        )
    except Exception as exc:
        logger.exception("Signature : ouverture du jeton PKCS#11 impossible")
        raise ErreurDocument(
            "Le jeton de signature (PKCS#11) ne peut pas être ouvert : vérifiez le module, "
            "le libellé du jeton et le code PIN configurés."
        ) from exc
    try:
        signer = pkcs11.PKCS11Signer(
            session,
            key_label=settings.SIGNATURE_PKCS11_KEY_LABEL or None,
            cert_label=settings.SIGNATURE_PKCS11_CERT_LABEL or None,
        )
        try:
            # pyHanko would look for the certificate and the key in the middle of
            # signing; looked for now, a wrong label gets its own French message.
            _certificat = signer.signing_cert
        except PKCS11Error as exc:
            logger.exception("Signature : clé ou certificat introuvable sur le jeton PKCS#11")
            raise ErreurDocument(
                "La clé ou le certificat de signature est introuvable sur le jeton (PKCS#11) "
                ": vérifiez les libellés configurés (SIGNATURE_PKCS11_KEY_LABEL, "
                "SIGNATURE_PKCS11_CERT_LABEL)."
            ) from exc
        yield signer
    finally:
        session.close()


@contextmanager
def signataire_configure():
    """The configured signer: the PKCS#11 token when a module is named, else PKCS#12."""
    if settings.SIGNATURE_PKCS11_MODULE:
        with _signataire_pkcs11() as signer:
            yield signer
    else:
        yield _charger_pkcs12()


# --- Signing ------------------------------------------------------------------------------


@cache
def _polices_tampon():
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    from integration.documents.moteur import StaticOnlyFetcher

    polices = FontConfiguration()
    feuille = CSS(
        url=f"{ORIGINE}{settings.STATIC_URL}documents/tampon.css",
        url_fetcher=StaticOnlyFetcher(),
        font_config=polices,
    )
    return polices, feuille


atexit.register(_polices_tampon.cache_clear)  # as integration.documents.moteur does


def tampon_pdf(cadre: Cadre, signataire: Signataire) -> bytes:
    """The stamp's text laid out on a one-page PDF the size of CADRE."""
    from weasyprint import HTML

    from integration.documents.moteur import StaticOnlyFetcher

    html = render_to_string(
        "documents/tampon.html",
        {
            "signataire": signataire,
            "date": date_longue(signataire.date),
            "largeur": f"{cadre.x2 - cadre.x1:.2f}",
            "hauteur": f"{cadre.y2 - cadre.y1:.2f}",
        },
    )
    polices, feuille = _polices_tampon()
    document = HTML(string=html, base_url=f"{ORIGINE}/", url_fetcher=StaticOnlyFetcher())
    return document.write_pdf(stylesheets=[feuille], font_config=polices)


class _PageImportee(content.PdfContent):
    """The first page of a PDF held in memory, drawn as a form XObject."""

    def __init__(self, pdf: bytes):
        super().__init__()
        self.pdf = pdf

    def render(self) -> bytes:
        xobjet = self._ensure_writer.import_page_as_xobject(PdfFileReader(BytesIO(self.pdf)))
        self.resources.xobject["/Tampon"] = xobjet
        x1, y1, x2, y2 = xobjet.get_object()["/BBox"]
        self.box = layout.BoxConstraints(width=abs(x2 - x1), height=abs(y2 - y1))
        return b"/Tampon Do"


class HorodatageIndisponible(ErreurDocument, ConnectionError):
    """The timestamp authority did not answer, or refused. Usually a passing outage: as a
    ConnectionError, the document task retries it with its backoff; as an ErreurDocument,
    its French message is what the page shows once the retries are spent."""


HORODATAGE_INDISPONIBLE = (
    "Le service d'horodatage de la signature (SIGNATURE_TSA_URL) n'a pas répondu ; "
    "le document n'est pas signé. Relancez la génération dans quelques minutes."
)


def _horodateur():
    return _horodateur_de(settings.SIGNATURE_TSA_URL) if settings.SIGNATURE_TSA_URL else None


@cache
def _horodateur_de(url: str) -> HTTPTimeStamper:
    """One client per authority: pyHanko sizes the signature with a first timestamp that
    the client keeps, so each later signature asks the authority once, not twice. It holds
    no connection (a session per request), so any thread and event loop may use it."""
    return HTTPTimeStamper(url, timeout=10)


def signer_pdf(pdf: bytes, cadre: Cadre, signataire: Signataire) -> bytes:
    """PDF signed for SIGNATAIRE, the stamp drawn in CADRE: a PAdES certification signature
    (DocMDP, P=2: form filling and signatures allowed, content changes forbidden), B-T when
    a timestamp authority is configured, added as an incremental update."""
    style = StaticStampStyle(
        background=_PageImportee(tampon_pdf(cadre, signataire)), border_width=0
    )
    meta = signers.PdfSignatureMetadata(
        field_name=NOM_CHAMP,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        name=signataire.nom,
        location=signataire.lieu,
        reason=signataire.qualite,
        certify=True,
        docmdp_permissions=fields.MDPPerm.FILL_FORMS,
    )
    ecrivain = IncrementalPdfFileWriter(BytesIO(pdf))
    _accorder_metadonnees(ecrivain)
    _ajouter_champ_balise(ecrivain, cadre, signataire)
    with signataire_configure() as signer:
        pdf_signer = signers.PdfSigner(
            meta, signer=signer, timestamper=_horodateur(), stamp_style=style
        )
        try:
            sortie = _hors_boucle(pdf_signer.sign_pdf, ecrivain)
        except TimestampRequestError as exc:
            logger.warning("Signature : l'horodatage a échoué (%s)", exc)
            raise HorodatageIndisponible(HORODATAGE_INDISPONIBLE) from exc
    return sortie.getvalue()


def _accorder_metadonnees(ecrivain: IncrementalPdfFileWriter) -> None:
    """Make the update's document information say what its XMP says (PDF/A-2, 6.6.3).

    pyHanko writes its own name as the XMP's producer, but appends it to the information
    dictionary's: the producer becomes pyHanko's in both. The modification date is one
    value for both, written in both."""
    ecrivain.document_meta.last_modified = timezone.now().replace(microsecond=0)
    if "/Info" not in ecrivain.trailer:  # pyHanko writes the XMP alone
        return
    info = ecrivain.trailer["/Info"]
    info[generic.NameObject("/Producer")] = generic.TextStringObject(metadata_model.VENDOR)
    info[generic.NameObject("/ModDate")] = generic.TextStringObject("")  # pyHanko fills it


def _ajouter_champ_balise(ecrivain: IncrementalPdfFileWriter, cadre: Cadre, signataire) -> None:
    """The signature field in CADRE, its widget tagged in the structure tree (PDF/UA-1, 7.18:
    every annotation belongs to the structure; a widget in a Form element, with a
    description for screen readers)."""
    fields.append_signature_field(
        ecrivain,
        fields.SigFieldSpec(
            NOM_CHAMP, on_page=cadre.page, box=(cadre.x1, cadre.y1, cadre.x2, cadre.y2)
        ),
    )
    champs = ecrivain.root["/AcroForm"]["/Fields"]
    widget_ref = next(
        champs.raw_get(i) for i in range(len(champs)) if champs[i].get("/T") == NOM_CHAMP
    )
    description = f"Signature électronique : {signataire.nom}, {signataire.qualite}"
    widget_ref.get_object()[generic.NameObject("/TU")] = generic.TextStringObject(description)
    # A tagged document (all of ours are) whose parent tree is one flat list, as
    # WeasyPrint writes it.
    racine = ecrivain.root.get("/StructTreeRoot")  # pyHanko's get: not resolved
    racine = racine.get_object() if racine is not None else {}
    if "/ParentTree" in racine and "/Nums" in racine["/ParentTree"]:
        _baliser_widget(ecrivain, widget_ref, description)


def _baliser_widget(ecrivain: IncrementalPdfFileWriter, widget_ref, description: str) -> None:
    """A Form structure element for the widget, under the document's first element, and
    the widget's entry in the parent tree (StructParent ↔ ParentTree)."""
    racine = ecrivain.root["/StructTreeRoot"]
    cles = racine["/ParentTree"]["/Nums"]
    cle = int(racine.get("/ParentTreeNextKey", 0)) or 1 + max(
        (int(cles[i]) for i in range(0, len(cles), 2)), default=-1
    )
    parent_ref = (
        racine["/K"].raw_get(0)
        if isinstance(racine["/K"], list)
        else ecrivain.root.raw_get("/StructTreeRoot")
    )
    widget = widget_ref.get_object()
    formulaire_ref = ecrivain.add_object(
        generic.DictionaryObject(
            {
                generic.NameObject("/Type"): generic.NameObject("/StructElem"),
                generic.NameObject("/S"): generic.NameObject("/Form"),
                generic.NameObject("/P"): parent_ref,
                generic.NameObject("/Alt"): generic.TextStringObject(description),
                generic.NameObject("/Pg"): widget.raw_get("/P"),
                generic.NameObject("/K"): generic.DictionaryObject(
                    {
                        generic.NameObject("/Type"): generic.NameObject("/OBJR"),
                        generic.NameObject("/Obj"): widget_ref,
                    }
                ),
            }
        )
    )
    _ajouter_enfant(ecrivain, parent_ref, formulaire_ref)
    widget[generic.NameObject("/StructParent")] = generic.NumberObject(cle)
    cles.extend([generic.NumberObject(cle), formulaire_ref])
    _marquer(ecrivain, racine.raw_get("/ParentTree"))
    racine[generic.NameObject("/ParentTreeNextKey")] = generic.NumberObject(cle + 1)
    _marquer(ecrivain, ecrivain.root.raw_get("/StructTreeRoot"))
    ecrivain.update_root()


def _ajouter_enfant(ecrivain: IncrementalPdfFileWriter, parent_ref, enfant_ref) -> None:
    """ENFANT_REF appended to the kids (/K) of the structure element PARENT_REF."""
    parent = parent_ref.get_object()
    enfants = parent.get("/K")
    if not isinstance(enfants, list):
        enfants = generic.ArrayObject([parent.raw_get("/K")] if "/K" in parent else [])
        parent[generic.NameObject("/K")] = enfants
    enfants.append(enfant_ref)
    _marquer(ecrivain, parent_ref)


def _marquer(ecrivain: IncrementalPdfFileWriter, objet) -> None:
    """Write OBJET again in the update, when it is an object of its own (not inline)."""
    if isinstance(objet, generic.IndirectObject):
        ecrivain.mark_update(objet)


# --- Long-term validation (PAdES B-LT, B-LTA) ----------------------------------------------


class HorodatageNonConfigure(ErreurDocument):
    pass


def prolonger_pdf(pdf: bytes, horodateur=None) -> bytes:
    """PDF with what keeps its signatures checkable after their certificates expire: the
    validation data (certificates and revocation information, in a document security
    store: B-LT) and a document timestamp over the whole (B-LTA), from HORODATEUR or the
    configured authority. Incremental updates that /verifier/ accepts after the
    préfecture's signature; run again before the last timestamp's certificate expires."""
    horodateur = horodateur or _horodateur()
    if horodateur is None:
        raise HorodatageNonConfigure(
            "Aucune autorité d'horodatage n'est configurée (SIGNATURE_TSA_URL) : "
            "la signature ne peut pas être prolongée."
        )
    # Our roots and the authority's, named in the settings (never the system's list);
    # revocation information is fetched from the certificates' own addresses (OCSP, CRL).
    racines = _certificats_de_confiance() + _certificats(settings.SIGNATURE_TSA_TRUST_ROOTS)
    contexte = ValidationContext(
        trust_roots=racines, allow_fetching=True, revocation_mode="soft-fail"
    )
    nombre = len(PdfFileReader(BytesIO(pdf)).embedded_regular_signatures)
    for rang in range(nombre):  # each one read again from the update before
        signature = PdfFileReader(BytesIO(pdf)).embedded_regular_signatures[rang]
        pdf = _hors_boucle(add_validation_info, signature, contexte).getvalue()
    horodatage = signers.PdfTimeStamper(horodateur, field_name="Horodatage-archivage")
    try:
        sortie = _hors_boucle(
            horodatage.timestamp_pdf,
            IncrementalPdfFileWriter(BytesIO(pdf)),
            "sha256",
            validation_context=contexte,
        )
    except TimestampRequestError as exc:
        raise HorodatageIndisponible(HORODATAGE_INDISPONIBLE) from exc
    return sortie.getvalue()


# --- Verifying ----------------------------------------------------------------------------

Statut = verificateur.Statut
_SCRIPT_VERIFICATEUR = Path(verificateur.__file__)
# The signals that say the child went past its CPU time limit or was killed at the
# wall-clock limit.
_SIGNAUX_LIMITE = {-signal.SIGXCPU, -signal.SIGKILL}


@dataclass(frozen=True)
class Verification:
    statut: Statut
    sha256: str  # the whole file's
    signataire: str = ""  # the signer certificate's common name
    nom: str = ""  # the name the signature declares (/Name), if any
    signe_le: datetime | None = None
    horodate: bool = False  # signe_le is a timestamp authority's, not the signer's word
    # The préfecture's signature was made with the configured certificate, or one chaining
    # to a configured root.
    certificat_reconnu: bool = False
    # The hash of the revision the préfecture signed: what a produced document is found by.
    sha256_signe: str = ""
    autres_signataires: tuple[str, ...] = ()


def _certificats_de_confiance() -> list[asn1_x509.Certificate]:
    """The configured signing certificate (when it can be read here) and the roots."""
    certificats = []
    if not settings.SIGNATURE_PKCS11_MODULE:
        with suppress(ErreurDocument):  # not configured here: the roots may still say
            certificats.append(_charger_pkcs12().signing_cert)
    return certificats + _certificats(settings.SIGNATURE_TRUST_ROOTS)


def _certificats(chemins) -> list[asn1_x509.Certificate]:
    """The certificates in the files CHEMINS (PEM or DER); one unreadable is logged."""
    certificats = []
    for chemin in chemins:
        try:
            certificats.append(load_cert_from_pemder(chemin))
        except (OSError, ValueError):
            logger.warning("Signature : racine de confiance illisible %s", chemin)
    return certificats


def _demande(data: bytes) -> bytes:
    """What the child reads: the certificates to trust on one JSON line, then the PDF."""
    confiance = [base64.b64encode(c.dump()).decode() for c in _certificats_de_confiance()]
    return json.dumps({"confiance": confiance}).encode() + b"\n" + data


def _juger_a_part(data: bytes) -> dict:
    """The child's verdict on DATA, or TROP_COMPLEXE past one of its limits."""
    commande = [
        sys.executable,
        "-I",  # neither the environment nor the current folder: only pyHanko is imported
        str(_SCRIPT_VERIFICATEUR),
        f"--cpu={settings.VERIFICATION_CPU_SECONDES}",
        f"--memoire={settings.VERIFICATION_MEMOIRE_MO}",
    ]
    try:
        fini = subprocess.run(  # noqa: S603 (our own script, with the interpreter running us)
            commande,
            input=_demande(data),
            capture_output=True,
            timeout=settings.VERIFICATION_DUREE_SECONDES,
            env={},
            check=False,
        )
    except subprocess.TimeoutExpired:  # run() has killed it
        logger.warning("Vérification : durée maximale dépassée (%s octets)", len(data))
        return {"statut": Statut.TROP_COMPLEXE}
    if fini.returncode in _SIGNAUX_LIMITE or fini.returncode == verificateur.CODE_MEMOIRE:
        logger.warning("Vérification : limite atteinte (code %s)", fini.returncode)
        return {"statut": Statut.TROP_COMPLEXE}
    if fini.returncode != 0:
        logger.error("Vérification en échec : %s", fini.stderr.decode("utf-8", "replace"))
        return {"statut": Statut.ILLISIBLE}
    return json.loads(fini.stdout)


def verifier_pdf(data: bytes) -> Verification:
    """What can be said of DATA: is it a PDF, signed by the préfecture, unchanged since.

    The judgement runs in a child process with CPU, memory and wall-clock limits
    (`integration.documents.verificateur`): a hostile file cannot hold a web process."""
    verdict = _juger_a_part(data)
    signe_le = verdict.get("signe_le")
    return Verification(
        statut=Statut(verdict["statut"]),
        sha256=hashlib.sha256(data).hexdigest(),
        signataire=verdict.get("signataire", ""),
        nom=verdict.get("nom", ""),
        signe_le=datetime.fromisoformat(signe_le) if signe_le else None,
        horodate=verdict.get("horodate", False),
        certificat_reconnu=verdict.get("certificat_reconnu", False),
        sha256_signe=verdict.get("sha256_signe", ""),
        autres_signataires=tuple(verdict.get("autres_signataires", ())),
    )
