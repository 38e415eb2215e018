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
