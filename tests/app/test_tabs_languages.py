"""ui.tabs keeps the open tab in the URL by its label; a label of another language (a link shared by
someone reading another language, or the language switched on the page) opens the same tab."""
from __future__ import annotations

from hub.i18n import t
from tests.app.helpers import app_as, open_tab


def _open_label(at) -> str:
    return at.session_state["tab"]


def _heatmap_cities(at, lang: str) -> int | None:
    """How many cities the heat map's caption names (None: the heat-map tab is not what is shown)."""
    captions = {c.value for c in at.caption}
    return next((n for n in range(1, 600) if t("needs.heatmap_caption", lang, n=n) in captions), None)


def test_switching_the_language_keeps_the_open_tab(demo_env):
    at = app_as("hub.admin", "pages/needs.py")
    open_tab(at, t("needs.tab.heatmap", "en"))
    shown = _heatmap_cities(at, "en")
    assert shown
    at.query_params["lang"] = "mk"
    at.run()
    assert not at.exception
    assert _open_label(at) == t("needs.tab.heatmap", "mk")
    assert _heatmap_cities(at, "mk") == shown


def test_a_link_with_another_languages_tab_opens_that_tab(demo_env):
    at = app_as("hub.admin", "pages/youth.py")
    at.session_state["tab"] = t("youth.tab.economies", "en")      # what the session had open
    at.query_params["tab"] = t("youth.tab.council", "sq")           # the link, from an Albanian reader
    at.run()
    assert not at.exception
    assert _open_label(at) == t("youth.tab.council", "en")
