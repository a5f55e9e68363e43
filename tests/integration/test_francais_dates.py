"""French as a careful agent writes it: « 1er janvier », « 9 h 30 », « de l'Association… »."""

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines

from integration.text import date_courte, date_et_heure, date_longue, de_structure, heure


@pytest.mark.parametrize(
    ("valeur", "attendu"),
    [
        (date(2026, 1, 1), "1er janvier 2026"),
        (date(2026, 1, 2), "2 janvier 2026"),
        (date(2026, 11, 23), "23 novembre 2026"),
        # 23:30 UTC on 31 May is already 1 June in Paris: the user's day.
        (datetime(2026, 5, 31, 23, 30, tzinfo=UTC), "1er juin 2026"),
    ],
)
def test_the_first_of_the_month_is_1er(valeur, attendu):
    assert date_longue(valeur) == attendu


@pytest.mark.parametrize(
    ("valeur", "attendu"),
    [
        (date(2026, 1, 1), "01/01/2026"),
        (date(2026, 12, 31), "31/12/2026"),
        (datetime(2026, 3, 2, 9, 30), "02/03/2026"),  # naive: as it is
        (datetime(2026, 5, 31, 23, 30, tzinfo=UTC), "01/06/2026"),  # Paris: the next day
    ],
)
def test_a_short_date_is_the_day_where_the_user_lives(valeur, attendu):
    assert date_courte(valeur) == attendu


def test_a_short_date_is_what_strftime_wrote():
    """The exports and imports wrote `strftime("%d/%m/%Y")`: the same text, every day of
    a leap year and of years with fewer than four digits."""
    jours = [date(2024, 1, 1) + timedelta(days=n) for n in range(366)]
    jours += [date(999, 12, 31), date(1, 1, 1), date(9999, 12, 31)]
    assert [date_courte(jour) for jour in jours] == [j.strftime("%d/%m/%Y") for j in jours]


def test_the_day_of_the_week_comes_first_when_asked():
    assert date_longue(date(2026, 6, 1), jour_de_la_semaine=True) == "lundi 1er juin 2026"


@pytest.mark.parametrize(
    ("valeur", "attendu"),
    [
        (datetime(2026, 3, 2, 9, 30), "9 h 30"),
        (datetime(2026, 3, 2, 14, 0), "14 h"),
        (datetime(2026, 3, 2, 8, 5), "8 h 05"),
        (datetime(2026, 3, 2, 8, 30, tzinfo=UTC), "9 h 30"),  # Paris, winter time
    ],
)
def test_hours_are_written_the_french_way(valeur, attendu):
    assert heure(valeur) == attendu


def test_date_and_hour_together():
    assert date_et_heure(datetime(2026, 1, 1, 9, 30)) == "1er janvier 2026 à 9 h 30"


@pytest.mark.parametrize(
    ("nom", "attendu"),
    [
        ("Association Accueil Rouen", "de l'Association Accueil Rouen"),
        (
            "Conseil départemental de la Seine-Maritime",
            "du Conseil départemental de la Seine-Maritime",
        ),
        ("Ville de Gap", "de la Ville de Gap"),
        ("Métropole Rouen Normandie", "de la Métropole Rouen Normandie"),
        ("Office français de l'immigration", "de l'Office français de l'immigration"),
        ("Emmaüs Solidarité", "d'Emmaüs Solidarité"),
        ("France Travail", "de France Travail"),
        ("OFII", "d'OFII"),
    ],
)
def test_a_structure_takes_its_article(nom, attendu):
    assert de_structure(nom) == attendu


def test_the_filters_work_in_any_template_without_a_load():
    gabarit = engines["django"].from_string(
        "{{ jour|date_longue }} ; {{ moment|date_heure:'jour' }} ; {{ moment|heure }} ; "
        "au nom {{ nom|de_structure }} ; fin du mandat {{ personne|de }} ; {{ vide|date_longue }}"
    )
    rendu = gabarit.render(
        {
            "jour": date(2027, 3, 1),
            "moment": datetime(2026, 6, 1, 9, 30),
            "nom": "Association <b>Accueil</b>",
            "personne": "Amina Diallo",
            "vide": None,
        }
    )
    assert rendu == (
        "1er mars 2027 ; lundi 1er juin 2026 à 9 h 30 ; 9 h 30 ; "
        "au nom de l&#x27;Association &lt;b&gt;Accueil&lt;/b&gt; ; "
        "fin du mandat d&#x27;Amina Diallo ; "
    )


# Django's own formats write « 1 janvier » and « 09h30 »: templates use the filters above.
FORMATS_BRUTS = re.compile(r'\|date:"[^"]*[jl][^"]*F|\|time:"H|\|date:"[^"]*H\\\\?h')


def test_no_template_writes_a_long_date_or_an_hour_with_django_formats():
    fautifs = [
        f"{gabarit.relative_to(settings.BASE_DIR)}: {m.group(0)}"
        for dossier in settings.TEMPLATES[0]["DIRS"]
        for gabarit in Path(dossier).rglob("*")
        if gabarit.suffix in {".html", ".txt", ".ics"}
        for m in FORMATS_BRUTS.finditer(gabarit.read_text(encoding="utf-8"))
    ]
    assert fautifs == []


def test_the_scan_finds_a_raw_format():
    assert FORMATS_BRUTS.search('{{ d|date:"j F Y" }}')
    assert FORMATS_BRUTS.search('{{ d|time:"H\\hi" }}')
    assert not FORMATS_BRUTS.search('{{ d|date:"d/m/Y" }}')
