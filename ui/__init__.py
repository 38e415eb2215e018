"""Shared Streamlit pieces: the viewer guard, translation, cached queries, downloads.

Every page script starts with::

    import ui
    viewer = ui.require_viewer("fund")
"""
from ui.session import current_viewer, lang, refuse, require_viewer, t  # noqa: F401
from ui.cache import cached_query, clear_caches  # noqa: F401
from ui.widgets import demo_notice, download_buttons, empty_state, kosovo_caption  # noqa: F401
from ui import filters  # noqa: F401,E402
from ui.tables import paged_dataframe  # noqa: F401,E402
