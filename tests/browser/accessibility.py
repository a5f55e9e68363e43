"""axe-core in the browser tests: a page fails on any serious or critical violation.

axe-core comes with the dev dependencies (axe-playwright-python ships its axe.min.js): the
script is injected into the page under test, nothing is fetched at run time. Every check
writes its full report to test-results/axe/NAME.json, minor violations included, so a
reviewer can read what axe saw even when the test passes.
"""

import hashlib
import inspect
import json
import os
import re
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import RESULTS_DIR

GRAVES = ("critical", "serious")
AXE_DIR = RESULTS_DIR / "axe"
# WCAG 2.1 A and AA, which the RGAA follows, plus axe's best practices.
OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
# The dark theme changes colours only (the DSFR swaps its colour variables; the document and
# its layout stay the same): the rules that read colours are the ones whose answer can
# change, and the other rules, run on the same page in the light theme, are not run twice.
REGLES_DES_COULEURS = ["color-contrast", "link-in-text-block"]
OPTIONS_COULEURS = {
    "runOnly": {"type": "rule", "values": REGLES_DES_COULEURS},
    "resultTypes": ["violations"],
}

_axe = Axe()
# A page of the live server loads axe from there (tests/browser/conftest.py serves it, under
# the static files' prefix, cached): Chromium then compiles the half megabyte once, not on
# every page of a crawl as when the script's text is sent to each page.
FICHIER_D_AXE = Path(inspect.getfile(Axe)).with_name("axe.min.js")
ADRESSE_D_AXE = "/static/axe-core-des-tests.js"


def run_axe(page, options=OPTIONS) -> dict:
    """axe's violations for the page as it is now (after any typing or clicking). The
    script is loaded once per document: a page checked again at another width or in the
    dark theme reuses it."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        if page.url.startswith("http"):
            page.add_script_tag(url=ADRESSE_D_AXE)
        else:  # a page written by the test itself, served by nobody
            page.evaluate(_axe.axe_script)
    # Only what is read comes back: axe's whole answer (every rule that passed or did not
    # apply) took as long to send to the test as the check took to run.
    return page.evaluate(
        "options => axe.run(document, options).then(r => ({url: r.url, violations: r.violations}))",
        options,
    )


def serious_violations(results: dict) -> list[dict]:
    return [v for v in results["violations"] if v["impact"] in GRAVES]


def describe(violations: list[dict]) -> str:
    """One paragraph per rule: its id, impact and help, then each offending element."""
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}) : {violation['help']}")
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            lines.append(f"    {target}\n      {node['html'][:200]}")
    return "\n".join(lines)


def save_report(results: dict, name: str) -> Path:
    AXE_DIR.mkdir(parents=True, exist_ok=True)
    path = AXE_DIR / f"{re.sub(r'[^a-z0-9_-]+', '-', name.lower())}.json"
    report = {"url": results.get("url"), "violations": results["violations"]}
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def check_page(page, name: str, options=OPTIONS) -> str:
    """Run axe and save its report; return the serious violations described ('' if none)."""
    results = run_axe(page, options)
    path = save_report(results, name)
    graves = serious_violations(results)
    if not graves:
        return ""
    return f"{name} ({page.url}, rapport : {path.name}) :\n{describe(graves)}"


def assert_no_serious_violations(page, name: str) -> None:
    """Fail listing every serious or critical axe violation of PAGE, with its targets."""
    problem = check_page(page, name)
    assert not problem, f"Violations d'accessibilité graves sur {problem}"


# WCAG 1.4.10 (reflow): at 320 CSS px nothing but a table's own region scrolls sideways.
# The page's width is measured, and the widest elements that stick out are named, the
# deepest first, so the report points at the culprit rather than at <body>.
_DEBORDEMENT = """() => {
  const largeur = window.innerWidth;
  if (document.documentElement.scrollWidth <= largeur) return null;
  // Inside a table's scrolling region, unless positioned against something outside it
  // (an absolute label escapes the region's clipping and widens the page).
  const region = '.fr-table__wrapper, .fr-table__content, [role=region][tabindex="0"]';
  const dedans = (e) => {
    const zone = e.parentElement && e.parentElement.closest(region);
    const position = getComputedStyle(e).position;
    if (!zone || position === 'fixed') return false;
    return position !== 'absolute' || zone.contains(e.offsetParent);
  };
  const fautifs = [...document.body.querySelectorAll('*')]
    .filter((e) => e.getBoundingClientRect().right > largeur + 1 && !dedans(e))
    .filter((e) => ![...e.children].some((c) => c.getBoundingClientRect().right > largeur + 1));
  const nom = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
    + [...e.classList].slice(0, 3).map((c) => '.' + c).join('');
  return {largeur: document.documentElement.scrollWidth,
          fautifs: fautifs.slice(0, 5).map((e) => nom(e) + ' ('
            + Math.round(e.getBoundingClientRect().right) + ' px)')};
}"""

# On a phone the main navigation sits in the closed menu: a skip link to it must lead to
# something one can see (the button that opens it).
_LIEN_D_EVITEMENT_CACHE = """() => [...document.querySelectorAll('.fr-skiplinks a')]
  .filter((a) => a.checkVisibility())
  .map((a) => [a.textContent.trim(), document.querySelector(a.getAttribute('href'))])
  .filter(([, cible]) => !cible || !cible.checkVisibility({visibilityProperty: true}))
  .map(([texte]) => texte)"""


# A button whose text the DSFR clips to its icon (an icon button in a group without its
# icon modifier became an unlabelled 32 px square). The header's menu button is icon-only
# on a phone by design, named by its title.
_BOUTONS_MUETS = """() => [...document.querySelectorAll('.fr-btn:not(.fr-btn--menu)')]
  .filter((b) => b.checkVisibility() && b.textContent.trim()
    && b.scrollWidth > b.clientWidth + 1)
  .map((b) => b.textContent.trim().slice(0, 60))"""


def boutons_muets(page, name: str) -> str:
    """'' when every visible button shows its whole text; else the clipped ones."""
    if muets := page.evaluate(_BOUTONS_MUETS):
        largeur = page.viewport_size["width"]
        return f"{name} à {largeur} px ({page.url}) : boutons réduits à leur icône : " + (
            ", ".join(f"« {m} »" for m in muets)
        )
    return ""


def defile_de_cote(page, name: str) -> str:
    """'' when the page fits its viewport's width; else what sticks out, described."""
    problemes = []
    if mesure := page.evaluate(_DEBORDEMENT):
        problemes.append(
            f"la page fait {mesure['largeur']} px de large : {', '.join(mesure['fautifs'])}"
        )
    if caches := page.evaluate(_LIEN_D_EVITEMENT_CACHE):
        problemes.append(f"lien d'évitement vers une cible cachée : {', '.join(caches)}")
    largeur = page.viewport_size["width"]
    return f"{name} à {largeur} px ({page.url}) : " + " ; ".join(problemes) if problemes else ""


# A page's structure, as axe reads it: every element with its attributes, in order, the
# text only as present or not. The values that name this world's objects (addresses,
# field values, a token) count as empty or not, digits elsewhere as any number (ids and
# counts differ from one role's world to the next), and a run of identical siblings as
# one or several (a list of 5 rows and one of 7 are the same to axe; of 1 and 2 are not,
# duplicate ids needing two). Two pages of the same structure get the same answer from
# axe; a button shown to one role only makes that role's page another structure.
_STRUCTURE = """() => {
  const sansValeur = new Set(['href', 'action', 'value', 'src', 'nonce']);
  // An empty value names nothing (a submit button without text): it counts apart.
  const attribut = (a) => !sansValeur.has(a.name)
    ? a.name + '=' + a.value.replace(/[0-9]+/g, '#')
    : a.value ? a.name : a.name + '=';
  const decrire = (noeud) => {
    if (noeud.nodeType === Node.TEXT_NODE) return noeud.data.trim() ? 'T' : '';
    if (noeud.nodeType !== Node.ELEMENT_NODE) return '';
    const attributs = [...noeud.attributes].map(attribut).sort().join(' ');
    const enfants = [];
    let precedent = null, repetitions = 0;
    for (const enfant of noeud.childNodes) {
      const description = decrire(enfant);
      if (!description) continue;
      if (description !== precedent) {
        precedent = description; repetitions = 1; enfants.push(description);
      } else if (++repetitions === 2) enfants.push('*');
    }
    return noeud.localName + '[' + attributs + '](' + enfants.join(',') + ')';
  };
  return decrire(document.documentElement);
}"""


def structure(page) -> str:
    """A digest of the page's structure as it stands (`_STRUCTURE`)."""
    return hashlib.sha256(page.evaluate(_STRUCTURE).encode()).hexdigest()


class DejaVerifie:
    """What one run of the suite has already checked, shared by its processes: a file per
    key in a folder of the run's temporary directory, created by whoever checks it first
    (creation with O_EXCL succeeds once, whichever process asks)."""

    def __init__(self, dossier: Path):
        self.dossier = dossier
        dossier.mkdir(parents=True, exist_ok=True)

    def premier(self, cle: str) -> bool:
        """True for the first to ask about CLE in this run, who must then check it."""
        nom = re.sub(r"[^A-Za-z0-9_-]+", "-", cle)
        try:
            os.close(os.open(self.dossier / nom, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return False
        return True
