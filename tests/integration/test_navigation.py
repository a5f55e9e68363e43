"""The header's navigation marks the section of the page one is on, and only it: the plan's
dashboard (`actions:tableau_de_bord`) is not the home page (`tableau_de_bord`), whose
names differ only by their namespace."""

import lxml.html
import pytest
from django.urls import reverse

SECTIONS = {
    "tableau_de_bord": "Tableau de bord",
    "acteurs:liste": "Acteurs",
    "comites:index": "Comités",
    "actions:index": "Plan d'actions",
    "actions:liste": "Plan d'actions",
    "actions:tableau_de_bord": "Plan d'actions",
}


@pytest.mark.parametrize(("page", "section"), SECTIONS.items())
def test_one_navigation_link_is_the_current_page(client, pilotage, page, section):
    client.force_login(pilotage)
    html = lxml.html.fromstring(client.get(reverse(page)).content.decode())
    courants = html.xpath("//*[@id='navigation-principale']//a[@aria-current='page']")
    assert [lien.text_content().strip() for lien in courants] == [section]
