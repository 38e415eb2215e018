"""Right after a sign-in, while the browser is still loading the app (about a second), fill the
caches the role's first page reads first, so its first run finds them: ``serve.py`` registers
``after_sign_in`` in ``hub.web.SIGNED_IN_HOOKS``. The reads are the page's own (``ui.alerts``), through
the same cache keys (the viewer's scope, the data version), so a page run that starts before they
end waits for them instead of computing them twice (Streamlit locks each key while it computes)."""
from __future__ import annotations

import logging

from hub.access import Viewer, pages_for

log = logging.getLogger(__name__)


def after_sign_in(viewer: Viewer) -> None:
    """Runs in a thread of its own (``hub.web``)."""
    try:
        if pages_for(viewer)[:1] == ("overview",):
            from ui.alerts import overview_lists
            overview_lists(viewer)
    except Exception:    # only a head start: the page computes what is missing itself
        log.exception("prefetch after sign-in failed")
