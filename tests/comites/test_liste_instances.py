"""The comités list names its instances from their columns, written in Python
(comites/templatetags/instances.py): each text escaped, each linked once, the type's label
and the parent said as the model says them."""

from django.urls import reverse

from comites.models import Instance
from tests.comites.factories import InstanceFactory


def test_les_instances_de_la_liste_sont_echappees_et_liees(client, pilotage, copil):
    groupe = InstanceFactory(
        departement=copil.departement,
        type=Instance.Type.GROUPE_TRAVAIL,
        nom='Groupe <b>"Langue"</b> & co',
        theme="Français <i>écrit</i>",
        parent=copil,
    )
    client.force_login(pilotage)
    page = client.get(reverse("comites:index")).content.decode()
    assert (
        f'<li><a href="/comites/instances/{groupe.pk}/">Groupe &lt;b&gt;&quot;Langue&quot;'
        "&lt;/b&gt; &amp; co</a> — Groupe de travail (Français &lt;i&gt;écrit&lt;/i&gt;), "
        "rattaché à COPIL intégration</li>"
    ) in page
    assert f'<li><a href="/comites/instances/{copil.pk}/">COPIL intégration</a> — ' in page
    assert "<b>" not in page.split("<h2", 2)[-1]
