"""Work the first visitor of a freshly started server would otherwise wait for, done at start-up.

``serve.py`` runs :func:`warm_up` in a background thread when the server starts (``ui.warm.start_warm_up``,
once per process): it imports what the pages import below Streamlit (pandas, SQLAlchemy, Plotly, folium
and the hub modules over them: seconds on a busy 2-core machine, paid by the first sign-in otherwise) and
touches the lazily loaded parts of Plotly and Babel, Alembic's migration scripts (the head revision
``hub.db.get_engine`` compares the store with: ~0.4 s, inside the first sign-in's wait otherwise), the
store's SQLAlchemy dialect (no connection) and the shipped boundary files the map draws. Nothing
Streamlit is imported here (a component declared before the runtime exists hangs the first page run;
``ui.warm`` does the Streamlit side), the store is not opened and no data cache is filled.
"""
from __future__ import annotations

import importlib
import logging
import pkgutil

log = logging.getLogger(__name__)


def warm_up() -> None:
    try:
        import hub.charts
        import hub.queries
        names = ["hub.maps", "hub.labels", "hub.exports"]
        for pkg in (hub.queries, hub.charts):
            names += [f"{pkg.__name__}.{m.name}" for m in pkgutil.iter_modules(pkg.__path__)]
        for name in names:
            importlib.import_module(name)
        import folium.plugins  # noqa: F401     (streamlit_folium imports it: ~0.1 s of the first map)
        import plotly.graph_objects as go
        go.Figure(go.Bar(x=["a"], y=[1])).update_layout(height=100).to_json()   # Plotly's lazy validators
        from hub import i18n
        for lang in i18n.LANGUAGES:
            i18n.fmt_number(1234.5, lang, 1)                                   # Babel's locale data
        from hub import db, maps
        db.head_revision()                                                     # files under hub/migrations
        from sqlalchemy.engine import make_url
        from hub.settings import settings
        make_url(settings().database_url).get_dialect()   # the store's dialect module (SQLite's compiles
                                                          # patterns on import: 0.13 s), no connection
        maps.shipped_units(), maps.country_outlines()                          # files under geo/
    except Exception:   # a warm-up must never stop the server; the first page run would fail loudly itself
        log.exception("warm-up failed")
