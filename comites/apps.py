from django.apps import AppConfig


class ComitesConfig(AppConfig):
    name = "comites"
    verbose_name = "Comités"

    def ready(self):
        from actions.extensions import ajouter_section
        from comites import journal
        from comites.access import decisions_de_l_action
        from comites.documents import enregistrer_types
        from comites.verrou import SEANCES_CLOSES
        from integration import verrou

        journal.declarer()
        verrou.declarer(SEANCES_CLOSES)  # installed after every migrate (integration.verrou)
        ajouter_section(decisions_de_l_action)
        enregistrer_types()
