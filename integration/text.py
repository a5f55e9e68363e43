"""Small text helpers that know no domain."""

import re
import unicodedata

from django.utils import timezone
from django.utils.formats import date_format
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


# The article a structure's name takes when it starts with one of these common nouns
# (« au nom de l'Association… », « du Conseil départemental », « de la Ville de Rouen »).
# A proper name or an acronym takes none: « de France Travail », « d'Emmaüs ».
_ARTICLES = {
    **dict.fromkeys(
        ("association", "agence", "amicale", "entreprise", "etablissement", "espace",
         "institut", "ecole", "office", "observatoire", "union"),
        "l'",
    ),
    **dict.fromkeys(
        ("caisse", "chambre", "communaute", "commune", "croix-rouge", "direction",
         "federation", "fondation", "ligue", "maison", "mairie", "metropole", "mission",
         "plateforme", "prefecture", "region", "residence", "ville"),
        "la ",
    ),
    **dict.fromkeys(
        ("cabinet", "centre", "collectif", "comite", "conseil", "departement", "foyer",
         "groupe", "groupement", "ministere", "pole", "reseau", "secours", "service",
         "syndicat"),
        "le ",
    ),
}  # fmt: skip


def de_structure(nom) -> str:
    """ "de l'Association Accueil Rouen", "du Conseil départemental", "de la Ville de Gap",
    "d'Emmaüs", "de France Travail": a structure's name after « de », as French writes it."""
    texte = str(nom).strip()
    premier = fold(texte.split(" ", 1)[0]) if texte else ""
    article = _ARTICLES.get(premier)
    if article == "le ":
        return "du " + texte
    if article:
        return "de " + article + texte
    return de(texte)


def date_longue(valeur, *, jour_de_la_semaine: bool = False) -> str:
    """ "1er janvier 2026", "23 novembre 2026" ("lundi 1er janvier 2026" if asked): the first
    of the month is « 1er », as every French administrative text writes it."""
    if hasattr(valeur, "hour"):  # a datetime: the day where the user lives
        valeur = timezone.localtime(valeur) if timezone.is_aware(valeur) else valeur
    jour = "1er" if valeur.day == 1 else str(valeur.day)
    texte = f"{jour} {date_format(valeur, 'F Y')}"
    return f"{date_format(valeur, 'l')} {texte}" if jour_de_la_semaine else texte


def date_courte(valeur) -> str:
    """ "07/12/2026": a day as tables, exports and logs write it (a datetime: the day where
    the user lives). Written from its numbers: `strftime` took 2.6 times as long, on each of
    a national export's 28,000 dates."""
    if hasattr(valeur, "hour") and timezone.is_aware(valeur):
        valeur = timezone.localtime(valeur)
    return f"{valeur.day:02d}/{valeur.month:02d}/{valeur.year}"


def heure(valeur) -> str:
    """ "9 h 30", "14 h": the French way, no leading zero, spaces around the « h »."""
    if timezone.is_aware(valeur):
        valeur = timezone.localtime(valeur)
    return f"{valeur.hour} h" + (f" {valeur.minute:02d}" if valeur.minute else "")


def date_et_heure(valeur, *, jour_de_la_semaine: bool = False) -> str:
    """ "1er janvier 2026 à 9 h 30"."""
    return f"{date_longue(valeur, jour_de_la_semaine=jour_de_la_semaine)} à {heure(valeur)}"


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
