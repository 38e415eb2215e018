"""Shared Streamlit pieces: the viewer guard, translation, cached queries, downloads, tables, the
filter sidebar (``ui.filters``), words for codes (``ui.labels``), headline figures (``ui.metrics``).

Every page script starts with::

    import ui
    viewer = ui.require_viewer("fund")
"""
from ui.session import current_viewer, lang, md, refuse, require_viewer, t  # noqa: F401
from ui.cache import cached_query, clear_caches  # noqa: F401
from ui.widgets import chart, demo_notice, download_buttons, empty_state, kosovo_caption, page_header, tabs  # noqa: F401
from ui import filters  # noqa: F401,E402
from ui.tables import table  # noqa: F401,E402
from ui import labels  # noqa: F401,E402
from ui.figures import Figure, metrics  # noqa: F401,E402
