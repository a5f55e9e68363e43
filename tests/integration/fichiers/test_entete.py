"""Matching a header row to the expected fields, whatever the case, accents or punctuation."""

from integration.fichiers.entete import cle, enumerer, lire_entete

COLONNES = {
    "libelle": ("Libellé", ("intitule", "indicateur")),
    "valeur": ("Valeur", ("valeur mesuree", "resultat")),
    "unite": ("Unité", ("unite de mesure",)),
}


def test_usual_names_are_recognised_and_the_first_column_wins():
    entete = lire_entete(
        ["  INTITULÉ ", "", "Résultat", "Unité de mesure", "Libellé", "Commentaire"],
        COLONNES,
        ("libelle", "valeur"),
    )
    assert entete.champs == {0: "libelle", 2: "valeur", 3: "unite"}
    assert entete.reconnues == [
        ("INTITULÉ", "Libellé"), ("Résultat", "Valeur"), ("Unité de mesure", "Unité"),
    ]  # fmt: skip
    assert entete.ignorees == ["Libellé", "Commentaire"]
    assert entete.erreur == ""


def test_missing_required_columns_get_one_message():
    entete = lire_entete(["Unité", "Notes"], COLONNES, ("libelle", "valeur"))
    assert entete.erreur == (
        "Colonnes obligatoires introuvables sur la première ligne : « Libellé » et « Valeur ». "
        "Colonnes reconnues : « Unité » (Unité). Colonnes non reconnues : « Notes »."
    )
    seule = lire_entete(["x"], COLONNES, ("libelle",))
    assert seule.erreur == (
        "Colonne obligatoire introuvable sur la première ligne : « Libellé ». "
        "Aucune colonne reconnue. Colonnes non reconnues : « x »."
    )


def test_keys_and_long_lists():
    assert cle("N° Siret") == cle("n siret") == "nsiret"
    assert enumerer(["a", "b"]) == "« a », « b »"
    assert enumerer([str(i) for i in range(12)]).endswith("« 9 » et 2 autres")
    assert enumerer([str(i) for i in range(11)]).endswith("« 9 » et 1 autre")
