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
    return _lancer(outil, pdf, options, verifier).decode("utf-8")


def image_ppm(pdf: bytes, *options: str) -> bytes:
    """pdftoppm's drawing of PDF as one binary PPM image (OPTIONS: -r 30 -f 1 -l 1…)."""
    return _lancer("pdftoppm", pdf, options, verifier=True)


def _lancer(outil: str, pdf: bytes, options, verifier: bool) -> bytes:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fichier:
        fichier.write(pdf)
        fichier.flush()
        arguments = [outil, *options, fichier.name] + (["-"] if outil == "pdftotext" else [])
        resultat = subprocess.run(  # noqa: S603 (a poppler tool on our own file)
            arguments, capture_output=True, timeout=120
        )
    if verifier and resultat.returncode != 0:
        message = resultat.stderr.decode("utf-8", "replace")
        raise AssertionError(f"{outil} a échoué ({resultat.returncode}) : {message}")
    return resultat.stdout
