"""A document kind that knows no domain, on the département model, for the pipeline's tests."""

import pytest

from integration.documents import registre

CODE = "essai.fiche"
# Who may read the test kind's documents: filled by the tests.
AUTORISES: set[int] = set()


def contexte(departement) -> dict:
    return {
        "emetteur": departement.titre_prefet,
        "lignes_bloc_marque": departement.lignes_bloc_marque,
        "texte": getattr(departement, "_texte", "Bienvenue ! Voici la fiche : « essai »."),
        "paragraphes": range(getattr(departement, "_paragraphes", 3)),
        "piege": "",
    }


registre.enregistrer(
    registre.TypeDocument(
        code=CODE,
        libelle="Fiche d'essai",
        modele="acteurs.Departement",
        gabarit="documents_essai/fiche.html",
        contexte=contexte,
        visible=lambda user, departement: user.pk in AUTORISES,
        nom_fichier=lambda departement: f"fiche-{departement.code}.pdf",
        titre=lambda departement: f"Fiche d'essai {departement.du_nom}",
    )
)


@pytest.fixture
def autorise(pilotage):
    AUTORISES.add(pilotage.pk)
    yield pilotage
    AUTORISES.discard(pilotage.pk)
