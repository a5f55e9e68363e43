#!/usr/bin/env python3
"""Build the reference territories shipped with the app from @etalab/decoupage-administratif.

Usage: python acteurs/data/build_territoires.py /path/to/extracted/package

Reads data/communes.json, data/epci.json and data/departements.json from the npm package
and writes, next to this script:

- territoires.csv.gz: every current commune, EPCI and département of the 101 départements
  (metropolitan France and the five DROM; not the overseas collectivities);
- departements.csv: code, name, chef-lieu and the default title of the préfet.

Python standard library only, so it runs anywhere; the output is deterministic (sorted
rows, gzip without timestamp), so a rebuild from the same package changes no byte.
"""

import csv
import gzip
import io
import json
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ZONES = {"metro", "drom"}  # the 101 départements; "com" are overseas collectivities
TYPES_ORDRE = {"departement": 0, "epci": 1, "commune": 2}

# INSEE "type de nom en clair" (TNCC) -> the "charnière" that follows "Préfet".
CHARNIERES = {
    0: "de ",  # no article, consonant: Paris, Maine-et-Loire
    1: "d'",  # no article, vowel: Eure-et-Loir, Ille-et-Vilaine
    2: "du ",  # le: Nord, Calvados
    3: "de la ",  # la: Seine-Maritime
    4: "des ",  # les: Hautes-Alpes
    5: "de l'",  # l': Ain, Essonne
    6: "des ",  # aux
    7: "de las ",  # las
    8: "de los ",  # los
}


def titre_prefet(nom: str, tncc: int) -> str:
    return "Préfet " + CHARNIERES[tncc] + nom


def lire(package: Path, nom: str):
    with open(package / "data" / nom, encoding="utf-8") as f:
        return json.load(f)


def construire(package: Path):
    departements = [d for d in lire(package, "departements.json") if d["zone"] in ZONES]
    codes_departements = {d["code"] for d in departements}
    communes = [
        c
        for c in lire(package, "communes.json")
        if c["type"] == "commune-actuelle" and c["departement"] in codes_departements
    ]
    commune_par_code = {c["code"]: c for c in communes}

    # Each commune belongs to at most one EPCI à fiscalité propre.
    epci_de_commune: dict[str, str] = {}
    epcis = []
    for epci in lire(package, "epci.json"):
        deps = sorted(
            {
                commune_par_code[m["code"]]["departement"]
                for m in epci["membres"]
                if m["code"] in commune_par_code
            }
        )
        if not deps:
            continue
        for membre in epci["membres"]:
            precedent = epci_de_commune.setdefault(membre["code"], epci["code"])
            if precedent != epci["code"]:
                raise SystemExit(f"{membre['code']} est membre de {precedent} et {epci['code']}")
        epcis.append((epci, deps))

    population_departement: dict[str, int] = defaultdict(int)
    lignes = []
    for c in communes:
        population_departement[c["departement"]] += c.get("population") or 0
        lignes.append(
            {
                "type": "commune",
                "code": c["code"],
                "siren": c.get("siren", ""),
                "nom": c["nom"],
                "departements": c["departement"],
                "epci": epci_de_commune.get(c["code"], ""),
                "codes_postaux": "|".join(sorted(set(c.get("codesPostaux", [])))),
                "population": c.get("population", ""),
            }
        )
    for epci, deps in epcis:
        lignes.append(
            {
                "type": "epci",
                "code": epci["code"],
                "siren": epci["code"],
                "nom": epci["nom"],
                "departements": "|".join(deps),
                "epci": "",
                "codes_postaux": "",
                "population": epci.get("populationMunicipale", epci.get("populationTotale", "")),
            }
        )
    for d in departements:
        lignes.append(
            {
                "type": "departement",
                "code": d["code"],
                "siren": "",
                "nom": d["nom"],
                "departements": d["code"],
                "epci": "",
                "codes_postaux": "",
                "population": population_departement[d["code"]] or "",
            }
        )
    lignes.sort(key=lambda ligne: (TYPES_ORDRE[ligne["type"]], ligne["code"]))

    fiches = [
        {
            "code": d["code"],
            "nom": d["nom"],
            "chef_lieu": commune_par_code[d["chefLieu"]]["nom"],
            "titre_prefet": titre_prefet(d["nom"], d["typeLiaison"]),
        }
        for d in sorted(departements, key=lambda d: d["code"])
    ]
    return lignes, fiches


def ecrire(lignes, fiches, dossier: Path = HERE) -> None:
    texte = io.StringIO(newline="")
    writer = csv.DictWriter(texte, fieldnames=list(lignes[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(lignes)
    # mtime=0 and no file name: the same input always gives the same bytes.
    with (
        open(dossier / "territoires.csv.gz", "wb") as brut,
        gzip.GzipFile(filename="", mode="wb", fileobj=brut, mtime=0, compresslevel=9) as gz,
    ):
        gz.write(texte.getvalue().encode("utf-8"))
    with open(dossier / "departements.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(fiches[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(fiches)


def main(argv: list[str]) -> None:
    if len(argv) != 2:
        raise SystemExit(__doc__.split("\n\n")[1])
    package = Path(argv[1])
    version = json.loads((package / "package.json").read_text(encoding="utf-8"))["version"]
    lignes, fiches = construire(package)
    ecrire(lignes, fiches)
    compte = defaultdict(int)
    for ligne in lignes:
        compte[ligne["type"]] += 1
    print(
        f"decoupage-administratif {version} : {compte['commune']} communes, "
        f"{compte['epci']} EPCI, {compte['departement']} départements écrits dans {HERE}"
    )


if __name__ == "__main__":
    main(sys.argv)
