"""Preview, then confirm: only the file the user saw, only once, only where it was seen."""

import pytest

from integration.fichiers.apercu import ApercuEnSession, ConfirmationRefusee

APERCU = ApercuEnSession("import_essai")
LIGNES = [{"numero": 2, "valeurs": {"nom": "Association Relais"}}]


@pytest.fixture
def session():
    session = {}
    APERCU.garder(session, portee=76, nom_fichier="a.csv", empreinte="abc", lignes=LIGNES)
    return session


def test_the_same_file_is_confirmed_once(session):
    en_attente = APERCU.reprendre(session, portee=76, empreinte="abc")

    assert (en_attente.nom_fichier, en_attente.empreinte, en_attente.lignes) == (
        "a.csv", "abc", LIGNES,
    )  # fmt: skip
    with pytest.raises(ConfirmationRefusee, match="Aucun import en attente"):
        APERCU.reprendre(session, portee=76, empreinte="abc")


@pytest.mark.parametrize("empreinte", ["autre", "", None])
def test_another_file_is_refused_and_the_pending_one_stays(session, empreinte):
    with pytest.raises(ConfirmationRefusee, match="n'est pas le dernier déposé"):
        APERCU.reprendre(session, portee=76, empreinte=empreinte)
    assert APERCU.reprendre(session, portee=76, empreinte="abc").lignes == LIGNES


def test_a_preview_made_elsewhere_cannot_be_confirmed_here(session):
    with pytest.raises(ConfirmationRefusee, match="Aucun import en attente"):
        APERCU.reprendre(session, portee=5, empreinte="abc")


def test_forgetting_cancels_and_other_keys_are_left_alone(session):
    session["autre_chose"] = 1
    APERCU.oublier(session)
    APERCU.oublier(session)  # nothing pending: no error
    assert session == {"autre_chose": 1}
