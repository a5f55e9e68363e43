"""The document pipeline, which knows no domain.

An app declares each kind of document it produces (`registre.TypeDocument`: its template
and context, who may read it, whether it is signed) from its AppConfig; a view asks for one
with `services.demander()`; a Celery task (`integration.tasks.render_document`) renders
the PDF with WeasyPrint (`rendu`), signs it when the kind is signed (`integration.signature`),
stores it in the configured storage and records how it went on a `DocumentRequest`.
The pages of `views` follow its progress and serve the file after an access check.
"""
