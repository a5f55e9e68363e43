"""Preview, then confirm: a checked upload waits in the session for the user's go-ahead.

The preview keeps the parsed rows with the sha256 of the file they came from; the
confirmation page posts that sha256 back. Only the very file the user saw is written, only
once, and only where it was previewed (PORTEE: a département, a plan…): a second tab, a
later upload or a double click cannot confirm rows the user did not see.
"""

from dataclasses import dataclass


class ConfirmationRefusee(Exception):
    """Nothing to confirm, or not this; the message says what to do, in French."""


@dataclass
class EnAttente:
    nom_fichier: str
    empreinte: str  # sha256 of the file as uploaded
    lignes: list  # JSON-serialisable rows, as the app kept them


@dataclass(frozen=True)
class ApercuEnSession:
    cle: str  # the session key, one per kind of import

    def garder(self, session, *, portee, nom_fichier: str, empreinte: str, lignes: list) -> None:
        session[self.cle] = {
            "portee": portee, "nom_fichier": nom_fichier, "empreinte": empreinte,
            "lignes": lignes,
        }  # fmt: skip

    def oublier(self, session) -> None:
        session.pop(self.cle, None)

    def reprendre(self, session, *, portee, empreinte: str) -> EnAttente:
        """The rows waiting for this confirmation, taken out of the session: once only."""
        en_attente = session.get(self.cle)
        if not en_attente or en_attente.get("portee") != portee:
            raise ConfirmationRefusee(
                "Aucun import en attente de confirmation : déposez à nouveau le fichier."
            )
        if not empreinte or empreinte != en_attente["empreinte"]:
            raise ConfirmationRefusee(
                "Le fichier confirmé n'est pas le dernier déposé : vérifiez l'aperçu et "
                "déposez-le à nouveau."
            )
        self.oublier(session)
        return EnAttente(
            nom_fichier=en_attente["nom_fichier"],
            empreinte=en_attente["empreinte"],
            lignes=en_attente["lignes"],
        )
