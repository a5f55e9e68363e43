"""Every form of the plan reads and shows amounts and numbers the same French way."""

from decimal import Decimal

import pytest

from actions.forms.contexte import AvenantForm, ContratForm
from actions.forms.fiches import FinancementForm, IndicateurForm
from actions.forms.suivi import MesuresForm, VersementsForm
from tests.actions.factories import FinancementFactory, IndicateurFactory


@pytest.fixture
def champs(db):
    """Each form's amount or number field, as the page builds it."""
    financement = FinancementFactory(
        montant_demande=Decimal("20000"), montant_accorde=Decimal("20000")
    )
    indicateur = IndicateurFactory(action=financement.action)
    mesures = MesuresForm(action=indicateur.action, indicateurs=[indicateur])
    versements = VersementsForm(financements=[financement])
    return {
        "fiche, montant demandé": FinancementForm().fields["montant_demande"],
        "fiche, cible d'un indicateur": IndicateurForm().fields["cible"],
        "suivi, montant versé": versements.fields[f"verse_{financement.pk}"],
        "suivi, valeur d'un indicateur": mesures.fields[mesures.cases[0][0]],
        "contrat, engagement de l'État": ContratForm(
            departement=financement.action.feuille.departement
        ).fields["montant_etat"],
        "avenant, variation": AvenantForm().fields["variation_etat"],
    }


@pytest.mark.parametrize("saisie", ["12 500,50 €", "12500.5", "12\u202f500,50", "12 500,5"])
def test_chaque_formulaire_lit_un_montant_tape_a_la_francaise(champs, saisie):
    lus = {nom: champ.clean(saisie) for nom, champ in champs.items()}
    assert lus == dict.fromkeys(champs, Decimal("12500.50"))


def test_chaque_formulaire_affiche_un_nombre_de_la_meme_facon(champs):
    affiches = {nom: champ.prepare_value(Decimal("12500.5")) for nom, champ in champs.items()}
    assert affiches == dict.fromkeys(champs, "12\u00a0500,50")


def test_une_saisie_illisible_est_refusee_en_francais_partout(champs):
    from django import forms

    for nom, champ in champs.items():
        with pytest.raises(forms.ValidationError) as refus:
            champ.clean("douze mille")
        assert "par exemple 12 500" in refus.value.messages[0], nom
