"""Small text helpers that know no domain."""

import unicodedata


def fold(text: str) -> str:
    """Lower-case TEXT and strip its accents, so "Évreux" matches "evreux"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower().strip()


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
