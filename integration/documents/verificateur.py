"""The judgement of an uploaded PDF, run in a child process of its own (/verifier/).

    python -I verificateur.py --cpu 8 --memoire 768 < demande > verdict.json

A PDF is attacker's input, and pyHanko's reading and difference analysis can take minutes
and gigabytes on a small hostile file. The web process therefore never reads it: it starts
this script (`integration.signature.verifier_pdf`) with a wall-clock limit, and the script
first caps its own CPU time (RLIMIT_CPU) and address space (RLIMIT_AS). Beyond a limit the
child dies, and the page says the document is too complex to be checked online.

The script knows neither Django nor the project (it runs with `python -I`, which imports
nothing from the current folder): its input is one JSON line, the certificates to trust
(base64 DER), then the PDF's bytes; its output, one JSON verdict on stdout.

The verdict, as PAdES means it:
- the préfecture's signature is the first one made with a trusted certificate (one of the
  given certificates, or chaining to one of them), wherever it stands among the others;
- what was added after it is judged by pyHanko's difference analysis: only the additions
  that long-term archiving makes (document security store, document timestamps) are
  allowed; any other change, a later signature included, means « modifié »;
- a file whose signatures are all by unknown certificates is « signature non reconnue »,
  whatever name those certificates copy;
- the fingerprint a produced document is recognised by is the hash of the revision the
  préfecture signed, so a timestamp added for archiving does not hide where it came from.
"""

import argparse
import base64
import enum
import hashlib
import json
import logging
import os
import resource
import sys
from io import BytesIO

MEGA_OCTET = 1024 * 1024
CODE_MEMOIRE = 3  # the exit code that says the memory limit was reached


class Statut(enum.StrEnum):
    INTACT = "intact"  # the préfecture signed it, nothing but archiving data added since
    MODIFIE = "modifie"  # the préfecture signed it, and it was changed afterwards
    NON_RECONNUE = "non_reconnue"  # signed, but by no certificate this service trusts
    NON_SIGNE = "non_signe"
    PAS_UN_PDF = "pas_un_pdf"
    ILLISIBLE = "illisible"  # a PDF that cannot be read
    TROP_COMPLEXE = "trop_complexe"  # the check went beyond its time or memory limit


def limiter(cpu_secondes: int, memoire_mo: int) -> None:
    """Cap this process: killed by SIGXCPU past its CPU time, MemoryError past its memory."""
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_secondes, cpu_secondes + 1))
    octets = memoire_mo * MEGA_OCTET
    resource.setrlimit(resource.RLIMIT_AS, (octets, octets))


def _nom_commun(certificat) -> str:
    return certificat.subject.native.get("common_name", "") or certificat.subject.human_friendly


def _fin_revision(signature) -> int:
    """Where the revision a signature covers ends: the last byte its ByteRange names."""
    plage = signature.sig_object["/ByteRange"]
    return int(plage[2]) + int(plage[3])


def _est_reconnu(signature, etat, confiance_der: set[bytes]) -> bool:
    return bool(etat.trusted) or signature.signer_cert.dump() in confiance_der


def _date(etat) -> tuple[str | None, bool]:
    """When it was signed, and whether a timestamp authority says so (not the signer)."""
    horodatage = getattr(etat, "timestamp_validity", None)
    if horodatage is not None and horodatage.intact and horodatage.valid:
        return horodatage.timestamp.isoformat(), True
    date = etat.signer_reported_dt
    return (date.isoformat() if date else None), False


def analyser(data: bytes, confiance: list[bytes]) -> dict:
    """The verdict on DATA, a PDF, given the DER certificates to trust."""
    # Imported here: the limits are set before pyHanko takes its share of memory.
    from asn1crypto import x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import ModificationLevel
    from pyhanko_certvalidator import ValidationContext

    if b"%PDF-" not in data[:1024]:
        return {"statut": Statut.PAS_UN_PDF}
    try:
        lecteur = PdfFileReader(BytesIO(data), strict=False)
        signatures = list(lecteur.embedded_regular_signatures)
        horodatages = list(lecteur.embedded_timestamp_signatures)
    except MemoryError:
        raise
    except Exception:  # any reading failure: the file is not a usable PDF
        return {"statut": Statut.ILLISIBLE}
    if not signatures and not horodatages:
        return {"statut": Statut.NON_SIGNE}

    certificats = [x509.Certificate.load(der) for der in confiance]
    contexte = ValidationContext(
        trust_roots=certificats, allow_fetching=False, revocation_mode="soft-fail"
    )
    confiance_der = set(confiance)
    inconnus = []
    for signature in signatures:
        try:
            etat = validate_pdf_signature(
                signature, signer_validation_context=contexte, skip_diff=True
            )
        except MemoryError:
            raise
        except Exception:  # a signature that does not even parse: nobody's
            logging.getLogger(__name__).info("signature illisible", exc_info=True)
            continue
        if _est_reconnu(signature, etat, confiance_der):
            return _juger_prefecture(data, signature, contexte, inconnus, ModificationLevel)
        inconnus.append(_nom_commun(signature.signer_cert))
    if not inconnus and horodatages:  # only document timestamps: nobody signed it
        inconnus.append(_nom_commun(horodatages[0].signer_cert))
    return {"statut": Statut.NON_RECONNUE, "signataire": inconnus[0] if inconnus else ""}


def _juger_prefecture(data, signature, contexte, inconnus, niveaux) -> dict:
    """The verdict once the préfecture's SIGNATURE is found: is what follows allowed?"""
    from pyhanko.sign.validation import validate_pdf_signature

    etat = validate_pdf_signature(signature, signer_validation_context=contexte)
    niveau = etat.modification_level
    intacte = bool(etat.intact and etat.valid)
    # NONE: not a byte added (or only blank lines after the end); LTA_UPDATES: the
    # document security store and document timestamps of long-term archiving.
    suite_permise = niveau is not None and niveau <= niveaux.LTA_UPDATES
    suite_permise = suite_permise and etat.docmdp_ok is not False
    signe_le, horodate = _date(etat)
    nom = signature.sig_object.get("/Name")
    return {
        "statut": Statut.INTACT if intacte and suite_permise else Statut.MODIFIE,
        "signataire": _nom_commun(signature.signer_cert),
        "nom": str(nom) if nom is not None else "",
        "signe_le": signe_le,
        "horodate": horodate,
        "certificat_reconnu": True,
        "sha256_signe": hashlib.sha256(data[: _fin_revision(signature)]).hexdigest(),
        # Unknown certificates that signed before it (after it, they count as changes).
        "autres_signataires": inconnus,
    }


def _lire_demande(flux) -> tuple[list[bytes], bytes]:
    entete = json.loads(flux.readline())
    return [base64.b64decode(c) for c in entete["confiance"]], flux.read()


def main(arguments=None) -> None:
    parseur = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parseur.add_argument("--cpu", type=int, required=True, help="secondes de processeur")
    parseur.add_argument("--memoire", type=int, required=True, help="Mo d'espace d'adressage")
    options = parseur.parse_args(arguments)
    limiter(options.cpu, options.memoire)
    # pyHanko logs every suspicious change with its traceback: the verdict says it.
    logging.disable(logging.CRITICAL)
    confiance, data = _lire_demande(sys.stdin.buffer)
    try:
        verdict = analyser(data, confiance)
    except MemoryError:  # past RLIMIT_AS: say so by the exit code, with what memory is left
        os._exit(CODE_MEMOIRE)
    json.dump(verdict, sys.stdout)


if __name__ == "__main__":
    main()
