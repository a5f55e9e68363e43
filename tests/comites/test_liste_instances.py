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


def test_les_seances_de_la_liste_sont_echappees_comptees_et_liees(client, pilotage, copil):
    """A séance's row: its date linked to it, its instance, its place (« Visioconférence »
    when it has none), its status and its number of convocations, every text escaped; two
    séances at the same hour keep their order, by creation."""
    from datetime import datetime

    from django.utils import timezone

    from tests.comites.factories import ConvocationFactory, SeanceFactory

    copil.nom = "COPIL <b>&</b>"
    copil.save()
    debut = timezone.make_aware(datetime(2031, 3, 1, 9, 30))
    salle = SeanceFactory(instance=copil, debut=debut, lieu="Salle <i>A</i> & B")
    visio = SeanceFactory(instance=copil, debut=debut, lieu="")
    for _ in range(3):
        ConvocationFactory(seance=salle)
    client.force_login(pilotage)
    page = client.get(reverse("comites:index")).content.decode()
    date = "1er mars 2031 à 9 h 30"
    assert (
        f'<tr><td><a href="/comites/seances/{salle.pk}/">{date}</a></td>'
        "<td>COPIL &lt;b&gt;&amp;&lt;/b&gt;</td><td>Salle &lt;i&gt;A&lt;/i&gt; &amp; B</td>"
        "<td>Planifiée</td><td>3</td></tr>\n"
        f'<tr><td><a href="/comites/seances/{visio.pk}/">{date}</a></td>'
        "<td>COPIL &lt;b&gt;&amp;&lt;/b&gt;</td><td>Visioconférence</td>"
        "<td>Planifiée</td><td>0</td></tr>"
    ) in page


def test_un_departement_sans_instance_le_dit_a_un_lecteur_national(client, copil):
    """Across France, a département chosen that has no instance says so, not that the
    reader « sits in none »."""
    from tests.acteurs.factories import DepartementFactory, HabilitationFactory

    vide = DepartementFactory(hautes_alpes=True)
    lecteur = HabilitationFactory(departement=None, perimetre="france", role="lecteur").user
    client.force_login(lecteur)
    page = client.get(reverse("comites:index"), {"departement": vide.pk}).content.decode()
    assert f"Instances : {vide.nom} ({vide.code})</h2>" in page
    assert "<p>Aucune instance dans ce département.</p>" in page
    assert "siégez" not in page
