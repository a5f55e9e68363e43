"""Long-term validation of a signed PDF (PAdES B-LT, then B-LTA), for archiving.

    python manage.py prolonger_signature feuille.pdf feuille-archivee.pdf

Adds, as incremental updates, the signatures' validation data (certificates, revocation
information) and a document timestamp from the configured authority (SIGNATURE_TSA_URL).
The signed revision stays as it is: /verifier/ still finds the préfecture's signature
intact and recognises the document. Run it again on its own output before the last
timestamp's certificate expires.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from integration.documents.services import ErreurDocument


class Command(BaseCommand):
    help = "Ajoute à un PDF signé ses données de validation et un horodatage d'archivage."

    def add_arguments(self, parser):
        parser.add_argument("entree", help="le PDF signé")
        parser.add_argument("sortie", help="le PDF prolongé à écrire")

    def handle(self, *args, entree, sortie, **options):
        from integration.signature import prolonger_pdf  # pyHanko, only when needed

        try:
            pdf = Path(entree).read_bytes()
        except OSError as exc:
            raise CommandError(f"Lecture de {entree} impossible : {exc.strerror}.") from exc
        try:
            prolonge = prolonger_pdf(pdf)
        except ErreurDocument as exc:
            raise CommandError(str(exc)) from exc
        Path(sortie).write_bytes(prolonge)
        self.stdout.write(f"Signature prolongée (données de validation et horodatage) : {sortie}")
