"""Secret tokens carried by links (an invitation, a convocation's answer, a calendar feed).

The link holds the token; the database keeps only its SHA-256 hash, so a leaked table
opens nothing. A token is found again by hashing what the link brings and looking the
hash up (a unique index): the secret itself is never compared.
"""

import hashlib
import secrets

# 32 random bytes: 43 URL-safe characters, beyond any guessing.
OCTETS = 32


def empreinte(jeton: str) -> str:
    """The SHA-256 hash kept in place of JETON (64 hex digits)."""
    return hashlib.sha256(jeton.encode()).hexdigest()


def nouveau_jeton() -> tuple[str, str]:
    """A fresh URL-safe secret for a link, and the hash to store."""
    jeton = secrets.token_urlsafe(OCTETS)
    return jeton, empreinte(jeton)
