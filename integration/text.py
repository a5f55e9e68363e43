"""Small text helpers that know no domain."""

import unicodedata


def fold(text: str) -> str:
    """Lower-case TEXT and strip its accents, so "Évreux" matches "evreux"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower().strip()
