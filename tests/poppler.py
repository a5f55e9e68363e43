"""What poppler's tools (pdftotext, pdfinfo, pdffonts, pdfimages, pdfsig) say of a PDF.

The one way the tests run them (Debian's poppler-utils, which `make test` installs).
"""

import subprocess
import tempfile


def poppler(outil: str, pdf: bytes, *options: str, verifier: bool = True) -> str:
    """OUTIL's report on PDF, with OPTIONS before the file (pdftotext writes to stdout).

    A tool that fails raises with its message, unless VERIFIER is false: pdfsig exits
    non-zero on a broken signature, and then its report is what a test reads.
    """
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fichier:
        fichier.write(pdf)
        fichier.flush()
        arguments = [outil, *options, fichier.name] + (["-"] if outil == "pdftotext" else [])
        resultat = subprocess.run(  # noqa: S603 (a poppler tool on our own file)
            arguments, capture_output=True, text=True, encoding="utf-8", timeout=120
        )
    if verifier and resultat.returncode != 0:
        raise AssertionError(f"{outil} a échoué ({resultat.returncode}) : {resultat.stderr}")
    return resultat.stdout
