"""Right after a sign-in, while the browser is still loading the app (about a second), read what the
role's first page reads first, so that its first run finds it in the cache: ``serve.py`` registers
``after_sign_in`` in ``hub.web.SIGNED_IN_HOOKS``. The reads are the page's own functions, called with
the same arguments (``ui.alerts`` and ``ui.map`` for the overview, ``ui.city_profile`` for a mayor's
city page), so they land under the very keys the page asks for (the viewer's scope, the filters, the
language, the data version). A page run that starts before they end waits for them instead of
computing them twice (Streamlit locks each key while it computes)."""
from __future__ import annotations

import logging
import threading

from hub.access import Viewer, pages_for

log = logging.getLogger(__name__)


def after_sign_in(viewer: Viewer, lang: str) -> None:
    """Runs in a thread of its own (``hub.web``); ``lang`` is the language the app opens in."""
    first = pages_for(viewer)[:1]
    if first == ("overview",):
        _logged(overview, viewer, lang)
    elif first == ("city",):
        from ui import city_profile
        _logged(city_profile.prefetch, viewer, lang)


def _logged(fn, *args) -> None:
    try:
        fn(*args)
    except Exception:    # only a head start: the page computes what is missing itself
        log.exception("prefetch after sign-in failed")


def overview(viewer: Viewer, lang: str) -> None:
    """The overview's headline, its lists and the map tab it opens on (built, and rendered for its
    component: ``ui.map.prerender``). The lists, the heaviest reads (~0.6 s at 100x), go in a second
    thread, so that the headline and the map, which the page asks for first and last, are not queued
    behind them (SQLite and pandas let two threads overlap)."""
    from hub.queries import overview as q
    from ui import map as ui_map
    from ui.alerts import overview_lists
    from ui.cache import cached_query
    lists = threading.Thread(target=_logged, args=(overview_lists, viewer), name="hub-prefetch-lists", daemon=True)
    lists.start()
    periods = list(cached_query(q.periods, viewer)["period"])
    period = periods[-1] if periods else None
    cached_query(q.headline, viewer, period=period)
    cached_query(q.map_layers, viewer)
    _, m = ui_map.layer_map(viewer, period, ui_map.DEFAULT_LAYER, lang)
    if m is not None:
        ui_map.prerender(m)
    lists.join()    # returns when all is read
