"""The régions and the départements each one holds (INSEE codes, since 2016).

Regional readers (a DREETS) hold a habilitation for a région: this is how it maps to
départements. Reference data that changes by law only, hence kept in code.
"""

REGIONS = {
    "84": "Auvergne-Rhône-Alpes",
    "27": "Bourgogne-Franche-Comté",
    "53": "Bretagne",
    "24": "Centre-Val de Loire",
    "94": "Corse",
    "44": "Grand Est",
    "32": "Hauts-de-France",
    "11": "Île-de-France",
    "28": "Normandie",
    "75": "Nouvelle-Aquitaine",
    "76": "Occitanie",
    "52": "Pays de la Loire",
    "93": "Provence-Alpes-Côte d'Azur",
    "01": "Guadeloupe",
    "02": "Martinique",
    "03": "Guyane",
    "04": "La Réunion",
    "06": "Mayotte",
}

_DEPARTEMENTS_PAR_REGION = {
    "84": "01 03 07 15 26 38 42 43 63 69 73 74",
    "27": "21 25 39 58 70 71 89 90",
    "53": "22 29 35 56",
    "24": "18 28 36 37 41 45",
    "94": "2A 2B",
    "44": "08 10 51 52 54 55 57 67 68 88",
    "32": "02 59 60 62 80",
    "11": "75 77 78 91 92 93 94 95",
    "28": "14 27 50 61 76",
    "75": "16 17 19 23 24 33 40 47 64 79 86 87",
    "76": "09 11 12 30 31 32 34 46 48 65 66 81 82",
    "52": "44 49 53 72 85",
    "93": "04 05 06 13 83 84",
    "01": "971",
    "02": "972",
    "03": "973",
    "04": "974",
    "06": "976",
}

REGION_DU_DEPARTEMENT = {
    departement: region
    for region, departements in _DEPARTEMENTS_PAR_REGION.items()
    for departement in departements.split()
}

CHOIX_REGIONS = sorted(REGIONS.items(), key=lambda item: item[1])


def region_du_departement(code: str) -> str:
    """The région code of a département code, "" for a code we do not know."""
    return REGION_DU_DEPARTEMENT.get(code.upper(), "")
