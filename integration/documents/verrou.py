"""A signed document, once produced, is locked: neither changed nor deleted, ever.

The model and its queryset refuse it (`DocumentRequest`); this verrou refuses whoever
connects (raw SQL, another client), a REPLACE that would swap its fingerprint included
(`integration.verrou`).
"""

from integration.verrou import Regle, Verrou

TABLE = "integration_documentrequest"


def produit_et_signe(vendor: str, ligne: str) -> str:
    return f"{ligne}.signed AND {ligne}.status = 'pret'"


VERROU = Verrou(
    nom="documents_signes",
    message="Un document signé ne se modifie ni ne se supprime.",
    regles=(Regle(TABLE, produit_et_signe),),
    anciens_triggers=(
        ("integration_document_signe", TABLE),
        ("integration_document_signe_update", TABLE),
        ("integration_document_signe_delete", TABLE),
    ),
    anciennes_fonctions=("integration_document_signe_refus()",),
)
