"""The Streamlit side of the start-up warm-up (``hub.warm`` does the rest), run by ``serve.py`` in its
warm-up thread once Streamlit's runtime exists.

- imports the ``ui`` package, ``ui.alerts`` and ``ui.map`` (but never ``streamlit_folium``, which
  ``ui.map`` imports only to show a map: it declares its component when imported, and declared
  outside a page run, before or after the runtime starts, the map never drew; ``hub.warm`` imports
  ``folium.plugins``, most of that import's time);
- imports Streamlit's emoji and Material icon catalogs (``st.set_page_config(page_icon=...)`` and the
  menu's icons check against them; the emoji module compiles one large pattern: 0.34 s of the first
  page run);
- lets Streamlit do its one-off check of how it was started (``inspect.stack()`` on the first element
  a process draws; from the deep stack of a page run it cost the first visitor ~0.2 s);
- then moves everything imported so far out of the garbage collector's sight (``gc.freeze``: modules,
  Plotly's validators, Babel's locale data, ~215,000 objects that live as long as the process). A
  full collection walked them all in 0.1-0.2 s; with Streamlit's collection after every script run
  switched off (``runner.postScriptGC`` in .streamlit/config.toml: it held the lock the event loop
  needs, so every click waited for it), Python's own collections are the ones this keeps short.
"""
from __future__ import annotations

import logging
import threading
import time

log = logging.getLogger(__name__)
_started = threading.Event()


def start_warm_up() -> bool:
    """Start the warm-up thread (``hub.warm.warm_up``, then ``warm_up_ui``) unless this process
    already did; whether it started one."""
    if _started.is_set():
        return False
    _started.set()

    def run() -> None:
        from hub.warm import warm_up
        warm_up()
        warm_up_ui()
        freeze_heap()

    threading.Thread(target=run, name="hub-warm-up", daemon=True).start()
    return True


def warm_up_ui(wait: float = 60.0) -> bool:
    """Wait up to ``wait`` seconds for the runtime, then warm; whether it ran."""
    try:
        from streamlit.runtime import Runtime
        deadline = time.monotonic() + wait
        while not Runtime.exists():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        import streamlit.emojis  # noqa: F401
        import streamlit.material_icon_names  # noqa: F401
        import ui  # noqa: F401
        import ui.alerts  # noqa: F401
        import ui.map  # noqa: F401
        from streamlit import delta_generator
        delta_generator._maybe_print_use_warning()      # sets its once-per-process flag
        return True
    except Exception:   # a warm-up must never stop the server
        log.exception("ui warm-up failed")
        return False


def freeze_heap() -> int:
    """Collect what the warm-up left, then freeze what is left (``gc.freeze``); how many objects are frozen."""
    import gc
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
