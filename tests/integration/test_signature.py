"""PAdES signatures: a real PDF rendered by WeasyPrint, signed with a demo certificate made
by the command, then read back by pyHanko, poppler's pdfsig and pdftotext."""

import asyncio
import socket
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from io import BytesIO

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from integration.documents.services import ErreurDocument
from integration.models import DocumentFige, DocumentRequest
from integration.signature import (
    HORODATAGE_INDISPONIBLE,
    HorodatageIndisponible,
    Statut,
    _hors_boucle,
    signer_pdf,
    verifier_pdf,
)
from tests.integration.documents_signes import PHRASE, SIGNATAIRE
from tests.integration.horodatage import HEURE_TSA, ServiceHorodatage
from tests.poppler import poppler

NOM_CERTIFICAT = "Préfecture — certificat de démonstration"


def _altere(pdf: bytes) -> bytes:
    """PDF with one byte changed inside the signed part (the producer's name)."""
    position = pdf.index(b"pyHanko")
    return pdf[:position] + b"X" + pdf[position + 1 :]


# --- Signing ------------------------------------------------------------------------------


def test_signature_is_pades_intact_and_covers_the_whole_file(pdf_signe, rendu_essai):
    # An incremental update: the rendered bytes are kept as they are.
    assert pdf_signe.startswith(rendu_essai.pdf)
    signatures = PdfFileReader(BytesIO(pdf_signe)).embedded_signatures
    assert len(signatures) == 1
    assert signatures[0].sig_object["/SubFilter"] == "/ETSI.CAdES.detached"

    contexte = ValidationContext(trust_roots=[], allow_fetching=False)
    etat = _hors_boucle(validate_pdf_signature, signatures[0], signer_validation_context=contexte)

    assert etat.intact and etat.valid
    assert etat.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert len(PdfReader(BytesIO(pdf_signe)).pages) == rendu_essai.pages == 1


def test_poppler_finds_the_signature_valid_and_its_signer(pdf_signe):
    sortie = poppler("pdfsig", pdf_signe, verifier=False)

    assert "Signature Validation: Signature is Valid." in sortie
    assert f"Signer Certificate Common Name: {NOM_CERTIFICAT}" in sortie
    assert "Total document signed" in sortie


def test_one_changed_byte_is_detected_by_pyhanko_and_poppler(pdf_signe):
    altere = _altere(pdf_signe)

    assert verifier_pdf(altere).statut == Statut.MODIFIE
    sortie = poppler("pdfsig", altere, verifier=False)
    assert "Signature is Valid." not in sortie
    assert "Signature Validation: Digest Mismatch." in sortie


def test_stamp_shows_name_qualite_place_and_date_with_accents_in_an_embedded_font(pdf_signe):
    texte = poppler("pdftotext", pdf_signe, "-layout")
    assert "Signé électroniquement par Élodie Dupré-Léger" in texte
    assert "Préfète de la Seine-Maritime" in texte
    assert "Rouen, le 1er juin 2026" in texte

    polices = poppler("pdffonts", pdf_signe).splitlines()[2:]
    assert any("Marianne" in ligne for ligne in polices)
    for ligne in polices:  # name type encoding emb sub uni object
        assert ligne.split()[-5:-3] == ["yes", "yes"], ligne


def test_signed_pdf_keeps_its_pdfa_2a_declaration(pdf_signe):
    xmp = PdfReader(BytesIO(pdf_signe)).xmp_metadata

    assert xmp is not None
    assert (xmp.pdfaid_part, xmp.pdfaid_conformance) == ("2", "A")


def test_missing_certificate_is_a_french_document_error(settings, rendu_essai, tmp_path):
    settings.SIGNATURE_PKCS11_MODULE = ""
    settings.SIGNATURE_PKCS12_FILE = str(tmp_path / "absent.p12")

    with pytest.raises(ErreurDocument, match="certificat de signature est introuvable"):
        signer_pdf(rendu_essai.pdf, rendu_essai.cadre_signature, SIGNATAIRE)


def test_no_certificate_configured_is_a_french_document_error(settings, rendu_essai):
    settings.SIGNATURE_PKCS11_MODULE = ""
    settings.SIGNATURE_PKCS12_FILE = ""  # production defaults to nothing

    with pytest.raises(ErreurDocument, match="Aucun certificat de signature n'est configuré"):
        signer_pdf(rendu_essai.pdf, rendu_essai.cadre_signature, SIGNATAIRE)


def test_wrong_passphrase_is_a_french_document_error(certificat, settings, rendu_essai):
    settings.SIGNATURE_PKCS12_PASSPHRASE = "pas la bonne"

    with pytest.raises(ErreurDocument, match="phrase de passe erronée"):
        signer_pdf(rendu_essai.pdf, rendu_essai.cadre_signature, SIGNATAIRE)


def test_signing_and_checking_work_where_an_event_loop_runs(certificat, rendu_essai):
    # pyHanko's synchronous calls start their own loop: an ASGI server or a browser test
    # already runs one in the thread.
    async def dans_la_boucle():
        pdf = signer_pdf(rendu_essai.pdf, rendu_essai.cadre_signature, SIGNATAIRE)
        return verifier_pdf(pdf).statut

    with ThreadPoolExecutor(max_workers=1) as fil:  # a thread of its own: no loop runs there
        assert fil.submit(asyncio.run, dans_la_boucle()).result() == Statut.INTACT


# --- Verifying ----------------------------------------------------------------------------


def test_verification_of_a_signed_pdf(pdf_signe):
    resultat = verifier_pdf(pdf_signe)

    assert resultat.statut == Statut.INTACT
    assert resultat.signataire == NOM_CERTIFICAT
    assert resultat.nom == "Élodie Dupré-Léger"
    assert resultat.signe_le is not None
    assert resultat.certificat_reconnu


def test_a_signature_by_another_certificate_is_not_recognised(pdf_signe, settings, tmp_path):
    autre = tmp_path / "autre.p12"
    call_command("create_demo_certificate", path=str(autre), passphrase="autre")
    settings.SIGNATURE_PKCS12_FILE = str(autre)
    settings.SIGNATURE_PKCS12_PASSPHRASE = "autre"

    resultat = verifier_pdf(pdf_signe)

    assert resultat.statut == Statut.NON_RECONNUE
    assert resultat.signataire == NOM_CERTIFICAT
    assert not resultat.certificat_reconnu
    assert resultat.signe_le is None  # a date it chose is not repeated


def test_a_certificate_chaining_to_a_configured_root_is_recognised(
    pdf_signe, settings, fichier_certificat, tmp_path
):
    # The configured certificate out of the way: only SIGNATURE_TRUST_ROOTS may say.
    _cle, certificat, _autres = pkcs12.load_key_and_certificates(
        fichier_certificat.read_bytes(), PHRASE.encode()
    )
    racine = tmp_path / "racine.pem"
    racine.write_bytes(certificat.public_bytes(serialization.Encoding.PEM))
    settings.SIGNATURE_PKCS12_FILE = ""
    settings.SIGNATURE_TRUST_ROOTS = [str(racine)]

    assert verifier_pdf(pdf_signe).statut == Statut.INTACT


def test_an_update_added_after_the_signature_is_a_modification(pdf_signe):
    ecrivain = IncrementalPdfFileWriter(BytesIO(pdf_signe))
    ecrivain.root["/Lang"] = ecrivain.root["/Lang"].__class__("en")
    ecrivain.update_root()
    sortie = BytesIO()
    ecrivain.write(sortie)

    assert verifier_pdf(sortie.getvalue()).statut == Statut.MODIFIE


def test_verification_of_what_is_not_a_signed_pdf(rendu_essai):
    assert verifier_pdf(rendu_essai.pdf).statut == Statut.NON_SIGNE
    assert verifier_pdf(b"Bonjour, ceci est un texte.").statut == Statut.PAS_UN_PDF
    assert verifier_pdf(b"%PDF-1.7\n%\xe2\xe3\n1 0 obj <<").statut == Statut.ILLISIBLE
    assert verifier_pdf(b"").statut == Statut.PAS_UN_PDF


# --- The demo certificate -----------------------------------------------------------------


def test_command_writes_a_usable_pkcs12(tmp_path, capsys):
    chemin = tmp_path / "sous-dossier" / "demo.p12"

    call_command("create_demo_certificate", path=str(chemin), passphrase="secret")

    cle, cert, _autres = pkcs12.load_key_and_certificates(chemin.read_bytes(), b"secret")
    assert cle is not None
    nom = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    assert nom == NOM_CERTIFICAT
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment
    duree = cert.not_valid_after_utc - cert.not_valid_before_utc
    assert 3 * 365 <= duree.days <= 3 * 365 + 1
    assert chemin.stat().st_mode & 0o077 == 0  # readable by its owner only


def test_command_keeps_an_existing_certificate_unless_forced(tmp_path):
    chemin = tmp_path / "demo.p12"
    call_command("create_demo_certificate", path=str(chemin), passphrase=PHRASE)
    premier = chemin.read_bytes()

    call_command("create_demo_certificate", path=str(chemin), passphrase=PHRASE)
    assert chemin.read_bytes() == premier

    call_command("create_demo_certificate", path=str(chemin), passphrase=PHRASE, force=True)
    assert chemin.read_bytes() != premier


# --- The pipeline, and the frozen signed file ---------------------------------------------


def test_pipeline_signs_the_document_and_records_its_hash(document_signe):
    pdf = document_signe.file.read()

    assert document_signe.signed
    resultat = verifier_pdf(pdf)
    assert resultat.statut == Statut.INTACT
    assert resultat.sha256 == document_signe.sha256


def test_pipeline_without_certificate_records_the_french_message(
    type_signe, seine_maritime, pilotage, apres_commit, settings, tmp_path
):
    from integration.documents import services

    settings.SIGNATURE_PKCS12_FILE = str(tmp_path / "absent.p12")
    with apres_commit():
        document = services.demander(type_signe.code, seine_maritime, by=pilotage)

    document.refresh_from_db()
    assert document.status == DocumentRequest.Status.FAILED
    assert "certificat de signature est introuvable" in document.error


def test_signed_document_refuses_orm_changes(document_signe):
    document_signe.filename = "autre.pdf"
    with pytest.raises(DocumentFige):
        document_signe.save()
    with pytest.raises(DocumentFige):
        document_signe.delete()
    with pytest.raises(DocumentFige):
        DocumentRequest.objects.filter(pk=document_signe.pk).update(filename="autre.pdf")
    with pytest.raises(DocumentFige):
        DocumentRequest.objects.filter(pk=document_signe.pk).delete()

    document_signe.refresh_from_db()
    assert document_signe.filename != "autre.pdf"


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE integration_documentrequest SET filename = 'autre.pdf' WHERE id = %s",
        "UPDATE integration_documentrequest SET status = 'echec' WHERE id = %s",
        "DELETE FROM integration_documentrequest WHERE id = %s",
    ],
)
def test_signed_document_refuses_raw_sql(document_signe, sql):
    with (
        pytest.raises(DatabaseError, match="document signé"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [document_signe.pk])

    assert DocumentRequest.objects.filter(pk=document_signe.pk, filename="essai-76.pdf").exists()


def test_unsigned_or_unfinished_documents_stay_writable(document_signe):
    # The triggers hold only produced signed documents: others move through their states.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE integration_documentrequest SET error = 'x' WHERE id <> %s",
            [document_signe.pk],
        )
    copie = DocumentRequest.objects.create(
        kind="essai.autre",
        content_type=document_signe.content_type,
        object_id=document_signe.object_id,
        version="v1",
        html="<p>x</p>",
        signed=True,
        filename="x.pdf",
    )
    DocumentRequest.objects.filter(pk=copie.pk).update(status=DocumentRequest.Status.RUNNING)
    copie.delete()


def test_stamp_date_is_read_in_the_project_time_zone():
    from integration.signature import date_longue

    # 23:31 UTC on 23 November is 00:31 in Paris, on the 24th: the date the page shows.
    assert date_longue(datetime(2026, 11, 23, 23, 31, tzinfo=UTC)) == "24 novembre 2026"
    assert date_longue(datetime(2026, 6, 1, 10, 0, tzinfo=UTC)) == "1er juin 2026"


def test_signer_loads_its_private_key_once(certificat, monkeypatch):
    """pyHanko would load (and check) the key again at each raw signature, twice per PDF."""
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from pyhanko.sign import signers

    from integration.signature import SignataireCleChargee

    charge = signers.SimpleSigner.load_pkcs12(str(certificat), passphrase=PHRASE.encode())
    signer = SignataireCleChargee.de(charge)
    chargements = []
    charger = serialization.load_der_private_key
    monkeypatch.setattr(
        serialization,
        "load_der_private_key",
        lambda *args, **kwargs: chargements.append(1) or charger(*args, **kwargs),
    )

    signatures = [signer.sign_raw(donnees, "sha256") for donnees in (b"premier", b"second")]

    assert len(chargements) == 1
    cle_publique = x509.load_der_x509_certificate(signer.signing_cert.dump()).public_key()
    for donnees, signee in zip((b"premier", b"second"), signatures, strict=True):
        cle_publique.verify(signee, donnees, PKCS1v15(), hashes.SHA256())  # raises if wrong


# --- Timestamp authority (RFC 3161) -------------------------------------------------------


@pytest.fixture
def horodatage(service_horodatage, settings):
    """SIGNATURE_TSA_URL set to the loopback authority, working and with no request yet."""
    settings.SIGNATURE_TSA_URL = service_horodatage
    ServiceHorodatage.remettre_a_zero()
    yield ServiceHorodatage
    ServiceHorodatage.remettre_a_zero()


def _port_ferme() -> int:
    with socket.socket() as prise:
        prise.bind(("127.0.0.1", 0))
        return prise.getsockname()[1]


def test_a_configured_authority_timestamps_the_signature(horodatage, rendu_essai):
    signer_pdf(rendu_essai.pdf, rendu_essai.cadre_signature, SIGNATAIRE)
    avant = horodatage.requetes
    pdf = signer_pdf(rendu_essai.pdf, rendu_essai.cadre_signature, SIGNATAIRE)

    # The first signature also asked for a timestamp to size itself; the next ones need not.
    assert horodatage.requetes - avant == 1
    signature = PdfFileReader(BytesIO(pdf)).embedded_signatures[0]
    contexte = ValidationContext(trust_roots=[], allow_fetching=False)
    etat = _hors_boucle(validate_pdf_signature, signature, signer_validation_context=contexte)
    # The token in the signature: intact, over this signature, at the authority's time.
    assert etat.timestamp_validity is not None and etat.timestamp_validity.intact
    assert etat.timestamp_validity.timestamp == HEURE_TSA
    # /verifier/ gives the authority's time, not the one the signer's machine declared.
    resultat = verifier_pdf(pdf)
    assert resultat.statut == Statut.INTACT
    assert resultat.signe_le == HEURE_TSA
    assert "Signature is Valid." in poppler("pdfsig", pdf, verifier=False)


def test_an_authority_in_error_is_a_french_error_the_task_retries(horodatage, rendu_essai):
    horodatage.en_panne = True

    with pytest.raises(HorodatageIndisponible, match="service d'horodatage") as erreur:
        signer_pdf(rendu_essai.pdf, rendu_essai.cadre_signature, SIGNATAIRE)

    assert horodatage.requetes >= 1
    # What the document task retries with backoff (an OSError), then shows (its message).
    assert isinstance(erreur.value, OSError) and isinstance(erreur.value, ErreurDocument)


def test_pipeline_with_an_unreachable_authority_retries_then_says_why(
    type_signe, seine_maritime, pilotage, apres_commit, settings, tmp_path
):
    from integration.documents import services

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SIGNATURE_TSA_URL = f"http://127.0.0.1:{_port_ferme()}/"
    with apres_commit():
        document = services.demander(type_signe.code, seine_maritime, by=pilotage)

    document.refresh_from_db()
    assert document.status == DocumentRequest.Status.FAILED
    assert document.attempts == 4  # the first run and three retries
    assert document.error == HORODATAGE_INDISPONIBLE
    assert not document.file and not list((tmp_path / "media").rglob("*.pdf"))


# --- What the signed document promises: certification, PDF/A-2, PDF/UA ----------------------


def test_the_signature_certifies_the_document_allowing_form_filling_only(pdf_signe):
    from pyhanko.sign.fields import MDPPerm

    lecteur = PdfFileReader(BytesIO(pdf_signe))
    signature = lecteur.embedded_regular_signatures[0]

    assert signature.docmdp_level == MDPPerm.FILL_FORMS  # P=2
    assert "/DocMDP" in lecteur.root["/Perms"]
    reference = signature.sig_object["/Reference"][0]
    assert reference["/TransformMethod"] == "/DocMDP"
    assert reference["/TransformParams"]["/P"] == 2


# Document information entry -> how its XMP equivalent reads (PDF/A-2, 6.6.3).
_EQUIVALENTS_XMP = {
    "/Title": lambda x: (x.dc_title or {}).get("x-default"),
    "/Author": lambda x: ", ".join(x.dc_creator or []) or None,
    "/Subject": lambda x: (x.dc_description or {}).get("x-default"),
    "/Keywords": lambda x: x.pdf_keywords,
    "/Creator": lambda x: x.xmp_creator_tool,
    "/Producer": lambda x: x.pdf_producer,
    "/CreationDate": lambda x: x.xmp_create_date,
    "/ModDate": lambda x: x.xmp_modify_date,
}


def _valeur_info(lecteur: PdfReader, cle: str):
    if cle == "/CreationDate":
        return lecteur.metadata.creation_date
    if cle == "/ModDate":
        return lecteur.metadata.modification_date
    return str(lecteur.metadata[cle])


def _meme_instant(a, b) -> bool:
    """Two dates that name the same instant; pypdf reads an XMP date in naive UTC."""
    if a is None or b is None:
        return False
    a, b = (d if d.tzinfo else d.replace(tzinfo=UTC) for d in (a, b))
    return a == b


def test_signed_feuille_keeps_the_pdfa_2_rules_checkable_without_a_validator(pdf_signe):
    lecteur = PdfReader(BytesIO(pdf_signe))
    catalogue = lecteur.trailer["/Root"]

    # 6.2.3: an sRGB output intent for PDF/A, with its ICC profile.
    intention = catalogue["/OutputIntents"][0].get_object()
    assert intention["/S"] == "/GTS_PDFA1" and "/DestOutputProfile" in intention
    # 6.2.11.4: every font embedded, the stamp's included.
    for ligne in poppler("pdffonts", pdf_signe).splitlines()[2:]:
        assert ligne.split()[-5] == "yes", ligne
    # 6.1.3: no encryption.
    assert "/Encrypt" not in lecteur.trailer and not lecteur.is_encrypted
    assert "Encrypted:       no" in poppler("pdfinfo", pdf_signe)
    # 6.6.2.1 and 6.6.4: the XMP identifies the file as PDF/A-2a.
    xmp = lecteur.xmp_metadata
    assert (xmp.pdfaid_part, xmp.pdfaid_conformance) == ("2", "A")
    # 6.6.3: every document information entry agrees with its XMP equivalent.
    info = lecteur.trailer["/Info"].get_object()
    assert "/Producer" in info and "/ModDate" in info
    for cle in info:
        valeur, equivalent = _valeur_info(lecteur, cle), _EQUIVALENTS_XMP[cle](xmp)
        if cle.endswith("Date"):
            assert _meme_instant(valeur, equivalent), (cle, valeur, equivalent)
        else:
            assert valeur == equivalent, (cle, valeur, equivalent)
    # 6.3.2 and PDF/UA-1 7.18.1: every annotation printable, in the structure tree.
    _assert_annotations_in_the_structure_tree(lecteur)


def _assert_annotations_in_the_structure_tree(lecteur: PdfReader) -> None:
    racine = lecteur.trailer["/Root"]["/StructTreeRoot"]
    nombres = racine["/ParentTree"]["/Nums"]
    parents = {int(nombres[i]): nombres[i + 1] for i in range(0, len(nombres), 2)}
    annotations = 0
    for page in lecteur.pages:
        assert page.get("/Tabs") == "/S"
        for ref in page.get("/Annots", []):
            annotation = ref.get_object()
            annotations += 1
            assert int(annotation["/F"]) & 4, "annotation non imprimable"
            element = parents[int(annotation["/StructParent"])].get_object()
            objets = element["/K"] if isinstance(element["/K"], list) else [element["/K"]]
            assert any(o.get_object().raw_get("/Obj").idnum == ref.idnum for o in objets)
            if annotation["/Subtype"] == "/Widget":
                assert element["/S"] == "/Form"
                assert annotation["/TU"].startswith("Signature électronique : Élodie Dupré")
    assert annotations >= 1  # the signature's widget at least
    assert int(racine["/ParentTreeNextKey"]) > max(parents)


def test_signing_writes_the_same_producer_and_date_in_xmp_and_information(pdf_signe):
    lecteur = PdfReader(BytesIO(pdf_signe))

    assert lecteur.metadata.producer == lecteur.xmp_metadata.pdf_producer
    assert lecteur.metadata.producer.startswith("pyHanko ")
    assert _meme_instant(lecteur.metadata.modification_date, lecteur.xmp_metadata.xmp_modify_date)


# --- Long-term validation: the archiving command --------------------------------------------


def test_the_command_adds_validation_data_and_a_document_timestamp(
    horodatage, service_horodatage, rendu_essai, settings, tmp_path
):
    from tests.integration.documents_signes import reconnaitre_horodateur

    reconnaitre_horodateur(horodatage.horodateur, settings, tmp_path)
    entree, sortie = tmp_path / "feuille.pdf", tmp_path / "feuille-archivee.pdf"
    entree.write_bytes(signer_pdf(rendu_essai.pdf, rendu_essai.cadre_signature, SIGNATAIRE))

    call_command("prolonger_signature", str(entree), str(sortie))

    prolonge = sortie.read_bytes()
    assert prolonge.startswith(entree.read_bytes())  # the signed revision, untouched
    lecteur = PdfFileReader(BytesIO(prolonge))
    assert "/DSS" in lecteur.root
    [horodatage_document] = lecteur.embedded_timestamp_signatures
    assert horodatage_document.sig_object["/SubFilter"] == "/ETSI.RFC3161"
    resultat = verifier_pdf(prolonge)
    assert resultat.statut == Statut.INTACT
    assert resultat.signe_le == HEURE_TSA  # the signature's own timestamp (B-T)
    # pdfsig checks the signature (it leaves document timestamps unverified).
    signature, horodatage_pdfsig = poppler("pdfsig", prolonge, verifier=False).split("#2:")
    assert "Signature is Valid." in signature and "Not total document signed" in signature
    assert "Signature Field Name: Horodatage-archivage" in horodatage_pdfsig


def test_the_command_without_an_authority_says_so_in_french(pdf_signe, tmp_path):
    from django.core.management.base import CommandError

    entree = tmp_path / "feuille.pdf"
    entree.write_bytes(pdf_signe)

    with pytest.raises(CommandError, match="Aucune autorité d'horodatage n'est configurée"):
        call_command("prolonger_signature", str(entree), str(tmp_path / "sortie.pdf"))
    assert not (tmp_path / "sortie.pdf").exists()
