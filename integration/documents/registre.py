"""The kinds of documents the apps produce, declared from their AppConfig.ready().

registre.enregistrer(TypeDocument(
    code="comites.communique", libelle="Communiqué de presse", modele="comites.Communique",
    gabarit="comites/documents/communique.html", contexte=contexte_communique,
    visible=lambda user, communique: …, nom_fichier=lambda c: f"communique-{c.pk}.pdf",
))
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from integration.documents.rendu import VARIANTE_ACCESSIBLE


@dataclass(frozen=True)
class Signataire:
    """Who signs, as French administrative law wants it shown: name and qualité."""

    nom: str
    qualite: str
    lieu: str
    date: datetime


@dataclass(frozen=True)
class TypeDocument:
    code: str  # "app.nom", stored on every request
    libelle: str  # "Feuille de route", shown on the pages
    modele: str  # "app_label.Model" of the object the document is about
    gabarit: str  # the HTML template, extending documents/base.html
    contexte: Callable[[object], dict]  # the template's context for one object
    visible: Callable[[object, object], bool]  # (user, obj): may this user read it?
    nom_fichier: Callable[[object], str]  # the PDF's name, without folder
    titre: Callable[[object], str] = str  # the PDF's title, and the pages' heading
    variante: str = VARIANTE_ACCESSIBLE
    # When set, the PDF is signed for this person (a PAdES signature with a visible stamp
    # in the template's blank box), and the object keeps only one document, ever.
    signataire: Callable[[object], Signataire] | None = None
    # What the public verification page may say of a signed document it recognises.
    description_publique: Callable[[object], str] | None = None


_TYPES: dict[str, TypeDocument] = {}


class TypeInconnu(LookupError):
    pass


def enregistrer(type_document: TypeDocument) -> None:
    _TYPES[type_document.code] = type_document


def type_document(code: str) -> TypeDocument:
    try:
        return _TYPES[code]
    except KeyError:
        raise TypeInconnu(f"Type de document inconnu : {code}") from None
