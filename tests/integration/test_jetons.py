"""The secret links' tokens: only a hash is kept, and it finds the token again."""

from integration.jetons import empreinte, nouveau_jeton


def test_un_jeton_neuf_se_met_dans_une_adresse_et_seule_son_empreinte_est_gardee():
    jeton, gardee = nouveau_jeton()
    assert len(jeton) >= 43
    assert jeton.replace("-", "").replace("_", "").isalnum()  # URL-safe, nothing to escape
    assert gardee == empreinte(jeton) and len(gardee) == 64 and jeton not in gardee


def test_deux_jetons_ne_se_ressemblent_jamais():
    assert len({nouveau_jeton()[0] for _ in range(100)}) == 100


def test_l_empreinte_est_celle_du_jeton_et_de_lui_seul():
    jeton, gardee = nouveau_jeton()
    assert empreinte(jeton) == gardee
    assert empreinte(jeton + "x") != gardee
