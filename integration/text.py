"""Small text helpers that know no domain."""

import re
import unicodedata

from django.utils.html import escape


def fold(text: str) -> str:
    """Lower-case TEXT and strip its accents, so "Évreux" matches "evreux". Control
    characters go too: no name holds one, and PostgreSQL refuses a NUL in a query."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    kept = (ch for ch in decomposed if not unicodedata.combining(ch))
    return "".join(ch for ch in kept if unicodedata.category(ch) != "Cc").lower().strip()


# What a search treats as equal beyond case and accents: hyphens, apostrophes and spaces
# ("saint andre d embrun" finds "Saint-André-d'Embrun"), and the ligatures.
_EQUIVALENCES = (("-", " "), ("'", " "), ("’", " "), ("œ", "oe"), ("æ", "ae"))


def search_key(text: str) -> str:
    """What a name is compared by in a search: folded, punctuation as spaces, one space."""
    text = fold(text)
    for before, after in _EQUIVALENCES:
        text = text.replace(before, after)
    return " ".join(text.split())


_VOYELLES = set("aeiouyhàâäéèêëîïôöùûüœæ")


def de(mot) -> str:
    """ "de Paul", "d'Anne", "d'agent@exemple.fr": the preposition with its elision."""
    texte = str(mot)
    return ("d'" if texte[:1].lower() in _VOYELLES else "de ") + texte


def une_ligne(text: str) -> str:
    """Every run of spaces, tabs and line breaks as one space, none at either end."""
    return " ".join((text or "").split())


def has_control_characters(text: str) -> bool:
    """True when TEXT holds an invisible control character (NUL, escape, bell…)."""
    return any(unicodedata.category(ch) == "Cc" for ch in text or "")


# French typography: a narrow no-break space (U+202F) before ; ! ? and a no-break space
# (U+00A0) before : and inside « », so a line never starts with the mark.
_FINE = "\u202f"
_INSECABLE = "\u00a0"
_AVANT_PONCTUATION = re.compile(r"(?<=\w)[ \u00a0\u202f]*([;!?])(?=\s|$|[»)\"'’!?])")
_AVANT_DEUX_POINTS = re.compile(r"(?<=\w)[ \u00a0\u202f]*:(?=\s|$)")
_APRES_GUILLEMET = re.compile(r"«[ \u00a0\u202f]*")
_AVANT_GUILLEMET = re.compile(r"[ \u00a0\u202f]*»")
_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")


def typographie(text: str) -> str:
    """TEXT with the French spaces before ; : ! ? and inside « », and the typographic
    apostrophe (l’État), as print requires.

    Only a mark that ends a word and is followed by a space or the end counts, so an
    address ("https://…", "?page=2") or a time ("14:30") is left alone."""
    text = _AVANT_PONCTUATION.sub(lambda m: _FINE + m.group(1), text or "")
    text = _AVANT_DEUX_POINTS.sub(_INSECABLE + ":", text)
    text = _APOSTROPHE.sub("’", text)
    text = _APRES_GUILLEMET.sub("«" + _INSECABLE, text)
    return _AVANT_GUILLEMET.sub(_INSECABLE + "»", text)


def chiffres(texte: str) -> bool:
    """Whether TEXTE is ASCII digits only. « ² » and « ٣ » pass str.isdigit(), yet are no
    digit of a code, a year or an id (int() refuses the first)."""
    return texte.isascii() and texte.isdigit()


BIGINT = 2**63 - 1  # the largest id a database column holds


def identifiant(texte) -> int | None:
    """TEXTE as a database id (1 to 2^63 - 1), or None: a query parameter or a cell that
    is no id never reaches int() or the database."""
    texte = str(texte if texte is not None else "").strip()
    if not chiffres(texte):
        return None
    valeur = int(texte)
    return valeur if 0 < valeur <= BIGINT else None


_PUCE = re.compile(r"^\s*[-–•*]\s+(.*)$")


def paragraphes_html(texte: str) -> str:
    """Plain TEXTE as HTML: a blank line starts a paragraph, lines opening with « - » make a
    list, other line breaks stay. Every piece is escaped after its French spacing, so what
    a user typed never becomes a tag. One function for the page and the PDF."""
    sortie = []
    for bloc in re.split(r"\n[ \t]*\n", (texte or "").replace("\r\n", "\n").strip()):
        lignes, puces = [], []
        for ligne in (l.strip() for l in bloc.split("\n") if l.strip()):  # noqa: E741
            if puce := _PUCE.match(ligne):
                if lignes:
                    sortie.append(_paragraphe(lignes))
                    lignes = []
                puces.append(puce.group(1))
            else:
                if puces:
                    sortie.append(_liste(puces))
                    puces = []
                lignes.append(ligne)
        if lignes:
            sortie.append(_paragraphe(lignes))
        if puces:
            sortie.append(_liste(puces))
    return "\n".join(sortie)


def _paragraphe(lignes: list[str]) -> str:
    return "<p>" + "<br>".join(escape(typographie(l)) for l in lignes) + "</p>"  # noqa: E741


def _liste(puces: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{escape(typographie(p))}</li>" for p in puces) + "</ul>"
