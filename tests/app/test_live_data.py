"""A load from the command line (another process) shows at the next rerun of an open session:
cached reads are keyed on the store's data version, not on time."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path


from hub.i18n import fmt_number, t
from tests.app.helpers import app_as

ROOT = Path(__file__).resolve().parents[2]
NEW_CITY = "code,name,country,member_since\nAL990,Live-data test city,AL,2026-01-15\n"



def members(at) -> str:
    return next(m.value for m in at.metric if m.label == t("overview.metric.members", "en"))


def cli_load(db_url: str, path: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "loaders", "municipalities", str(path), "--database-url", db_url],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr


def test_a_cli_load_shows_at_the_next_rerun(demo_copy_env, tmp_path):
    at = app_as("hub.admin", "pages/overview.py", query={"lang": "en"})
    before = members(at)
    at.run()
    assert members(at) == before                                  # cached: nothing changed
    path = tmp_path / "new_city.csv"
    path.write_text(NEW_CITY, encoding="utf-8")
    cli_load(demo_copy_env, path)
    at.run()                                                      # the next rerun, caches not cleared
    n = int(before.replace(",", "").replace(".", "").replace("\u202f", "").replace("\xa0", ""))
    assert members(at) == fmt_number(n + 1, "en")
    assert not at.exception


def test_pages_say_scores_are_stale_until_they_are_repaired(demo_copy_env, monkeypatch):
    """A load killed before its rescore leaves stale marks: every role's pages show the notice, and
    it goes once ``python -m loaders rescore`` has caught up."""
    import ui.cache
    from hub import state
    from hub.db import get_engine
    from loaders.cli import main
    monkeypatch.setattr(ui.cache, "REPAIR_AFTER", 1e9)        # the app's own repair is tested elsewhere
    with get_engine(demo_copy_env).begin() as conn:
        state.mark_stale(conn, {"2025"}, state.bump(conn))
    notice = t("freshness.scores_stale", "en")
    shown = {}
    for user, page in (("hub.admin", "pages/needs.py"), ("donor.demo", "pages/fund.py"),
                       ("mayor.kumanovo", "pages/city.py")):
        shown[user] = notice in [w.value for w in app_as(user, page, query={"lang": "en"}).warning]
    assert shown == {"hub.admin": True, "donor.demo": True, "mayor.kumanovo": True}
    assert main(["rescore", "--stale", "--database-url", demo_copy_env]) == 0
    at = app_as("mayor.kumanovo", "pages/city.py", query={"lang": "en"})
    assert notice not in [w.value for w in at.warning] and not at.exception
