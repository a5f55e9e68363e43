"""The top layer: the URL conf, the home dashboard and the demo loader compose every app.

Nothing imports this package; it imports whatever it composes (see docs/architecture.md).
"""
