"""The plan d'actions' pages, one module per part: feuilles (feuilles de route, axes,
consultation), fiches (fiches-actions and their review), suivi (follow-up, indicators,
bilans), contexte (statistiques, contrats), tableau (list, exports, dashboard)."""
