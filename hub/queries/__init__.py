"""Viewer-scoped reads returning DataFrames. One module per area; every function's
first argument is the viewer, and each filters rows itself (see hub.access)."""
