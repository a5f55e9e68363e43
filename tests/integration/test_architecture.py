"""What docs/architecture.md promises about views, checked on their source.

Every view reaches its objects through its app's access module (none fetches a model by an
id the request brings), asks a verb rather than testing a role, and writes only through a
service. A new view that breaks one of these fails here, naming the file and the line.
"""

import ast
import re
from pathlib import Path

import pytest

RACINE = Path(__file__).resolve().parents[2]
VUES = sorted(
    [
        *RACINE.glob("acteurs/views/*.py"),
        *RACINE.glob("actions/views/*.py"),
        *RACINE.glob("comites/views/*.py"),
        RACINE / "integration/views.py",
        RACINE / "integration/vues.py",
        RACINE / "integration/documents/views.py",
        RACINE / "portal/dashboard.py",  # the portal's views; echelle.py is a data generator
    ]
)

# Names under which a request brings an object's identity (URL arguments, query strings).
IDENTIFIANT = re.compile(r"^(pk|id|jeton|version|.+_pk|.+_id)$")
LECTURES = {"get", "filter", "exclude", "first", "get_or_create"}
ECRITURES_GESTIONNAIRE = {"create", "create_user", "get_or_create", "update_or_create",
                          "bulk_create", "bulk_update", "update", "delete"}  # fmt: skip
ROLE = re.compile(r"\bis_pilotage\b|\.is_staff\b|\.is_superuser\b|\.role\s*==")

# Justified exceptions: (file relative to the root, the line's code, why).
PERMIS: set[tuple[str, str]] = set()


def _relatif(chemin: Path) -> str:
    return str(chemin.relative_to(RACINE))


def _sur_le_gestionnaire(appel: ast.Call) -> bool:
    """`Model.objects.<method>(…)`."""
    fonction = appel.func
    return (
        isinstance(fonction, ast.Attribute)
        and isinstance(fonction.value, ast.Attribute)
        and fonction.value.attr == "objects"
    )


def _cherche_un_objet(appel: ast.Call) -> bool:
    """`get_object_or_404(…)` or `Model.objects.get(…)`: the access module's job."""
    if isinstance(appel.func, ast.Name):
        return appel.func.id == "get_object_or_404"
    return _sur_le_gestionnaire(appel) and appel.func.attr == "get"


def _porte_un_identifiant_de_la_requete(appel: ast.Call) -> bool:
    for argument in [*appel.args, *(k.value for k in appel.keywords)]:
        for noeud in ast.walk(argument):
            if isinstance(noeud, ast.Name) and IDENTIFIANT.match(noeud.id):
                return True
            if isinstance(noeud, ast.Attribute) and noeud.attr in {"GET", "POST"}:
                return True
    return False


def _ecrit(appel: ast.Call) -> bool:
    fonction = appel.func
    if not isinstance(fonction, ast.Attribute):
        return False
    if _sur_le_gestionnaire(appel) and fonction.attr in ECRITURES_GESTIONNAIRE:
        return True
    if fonction.attr == "delete":
        return True
    if fonction.attr == "save":  # a form's save(commit=False) only builds the object
        return not any(
            k.arg == "commit" and isinstance(k.value, ast.Constant) and k.value.value is False
            for k in appel.keywords
        )
    return False


def ecarts(chemin: Path, source: str) -> list[str]:
    """Each line of SOURCE that breaks the views' rules, with the rule it breaks."""
    trouves = []
    lignes = source.splitlines()

    def signaler(numero: int, regle: str) -> None:
        code = lignes[numero - 1].strip()
        if (_relatif(chemin), code) not in PERMIS:
            trouves.append(f"{_relatif(chemin)}:{numero}: {regle} — {code}")

    for noeud in ast.walk(ast.parse(source)):
        if not isinstance(noeud, ast.Call):
            continue
        if _cherche_un_objet(noeud):
            signaler(noeud.lineno, "objet cherché hors du module d'accès")
        elif (
            _sur_le_gestionnaire(noeud)
            and noeud.func.attr in LECTURES
            and _porte_un_identifiant_de_la_requete(noeud)
        ):
            signaler(noeud.lineno, "objet cherché par l'identifiant de la requête")
        elif _ecrit(noeud):
            signaler(noeud.lineno, "écriture hors d'un service")
    for numero, ligne in enumerate(lignes, start=1):
        if ROLE.search(ligne.split("#")[0]):
            signaler(numero, "rôle testé au lieu d'un verbe")
    return trouves


def test_les_fichiers_de_vues_existent():
    """A move that forgets this list must not make the checks below pass on nothing."""
    assert all(chemin.is_file() for chemin in VUES)
    assert len(VUES) > 20


@pytest.mark.parametrize("chemin", VUES, ids=_relatif)
def test_une_vue_passe_par_l_acces_demande_un_verbe_et_ecrit_par_un_service(chemin):
    assert ecarts(chemin, chemin.read_text()) == []


@pytest.mark.parametrize(
    "code",
    [
        "def vue(request, pk):\n    return Seance.objects.get(pk=pk)\n",
        "def vue(request, pk):\n    return get_object_or_404(Seance, pk=pk)\n",
        "def vue(request, pk, decision_pk):\n    return Decision.objects.filter(pk=decision_pk)\n",
        "def vue(request):\n    return Acteur.objects.filter(pk=request.GET['acteur'])\n",
        "def vue(request):\n    if not request.user.is_staff:\n        raise PermissionDenied\n",
        "def vue(request):\n    return access.is_pilotage(request.user, request.departement)\n",
        "def vue(request):\n    JetonCalendrier.objects.create(user=request.user)\n",
        "def vue(request):\n    JetonCalendrier.objects.filter(user=request.user).delete()\n",
        "def vue(request):\n    form.save()\n",
    ],
)
def test_chaque_regle_reconnait_l_ecart_qu_elle_interdit(code):
    assert ecarts(RACINE / "comites/views/exemple.py", code)


def test_une_lecture_sans_identifiant_de_la_requete_et_un_formulaire_non_enregistre_passent():
    code = (
        "def vue(request):\n"
        "    mes = Membre.objects.filter(user=request.user)\n"
        "    objet = form.save(commit=False)\n"
        "    context.update(a=1)\n"
    )
    assert ecarts(RACINE / "comites/views/exemple.py", code) == []
