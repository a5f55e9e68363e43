"""The actions' forms, one module per subject, like `actions.views` and `actions.services`."""
