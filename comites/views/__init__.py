"""The comités' pages, one module per subject; each view parses the request, calls a
service, renders."""
