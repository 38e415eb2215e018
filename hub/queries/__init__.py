"""Viewer-scoped reads returning DataFrames. One module per area; every function's first
argument is the viewer, and each filters rows through ``hub.queries.scope`` (a role the hub does
not know gets nothing). ``hub.queries.base`` is the one way to read (``read``, ``scalar``,
``as_list``, the period helpers)."""
