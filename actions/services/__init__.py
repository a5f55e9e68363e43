"""Operations on the plan that touch several models, record history and notify: one module
per part (feuilles, fiches, circuit, suivi, contexte). Views call these, nothing else writes.

Every operation that changes what a feuille de route says first calls
`actions.verrou.exiger_modifiable()`: a signed version is frozen.
"""
