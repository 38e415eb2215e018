"""The house rules (docs/architecture.md, "Rules the tests enforce") hold for the repository, and
the checker catches each kind of breach in a deliberately broken tree."""
from __future__ import annotations

from pathlib import Path

from tests.house_rules import violations

ROOT = Path(__file__).resolve().parents[2]


def test_the_repository_keeps_the_house_rules():
    assert [str(b) for b in violations(ROOT)] == []


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


GOOD_PAGE = '"""A page."""\nimport ui\n\nviewer = ui.require_viewer("good")\n\nimport streamlit as st  # noqa: E402\n'


def test_a_well_formed_tree_passes(tmp_path):
    root = _tree(tmp_path, {
        "pages/good.py": GOOD_PAGE,
        "hub/queries/area.py": "from hub.db import get_engine\n\ndef rows(viewer, *, engine=None):\n    return []\n",
        "hub/queries/base.py": "def read(stmt, engine):\n    return stmt\n",
    })
    assert violations(root) == []


def test_a_deliberately_broken_page_fails(tmp_path):
    root = _tree(tmp_path, {"pages/broken.py": (
        '"""A page that reads the store itself and forgets its guard."""\n'
        "import streamlit as st\n"
        "from sqlalchemy import text\n"
        "from hub.db import get_engine\n"
        "import ui\n"
        'viewer = ui.require_viewer("broken")\n')})
    found = [str(b) for b in violations(root)]
    assert any("pages/broken.py:3: imports sqlalchemy" in f for f in found), found
    assert any("pages/broken.py:4: imports hub.db" in f for f in found), found
    assert any("pages/broken.py" in f and "does not start with" in f for f in found), found


def test_a_guard_for_another_page_id_fails(tmp_path):
    root = _tree(tmp_path, {"pages/fund.py": GOOD_PAGE})
    assert [b.what for b in violations(root)] == [
        'does not start with: import ui / viewer = ui.require_viewer("fund")']


def test_hub_importing_streamlit_or_ui_fails_even_inside_a_function(tmp_path):
    root = _tree(tmp_path, {
        "hub/widget.py": "import streamlit as st\n",
        "hub/helper.py": "def f():\n    from ui import t\n    return t\n",
        "hub/charts/fund.py": "from hub.queries.fund import headline\n",
    })
    found = sorted(str(b) for b in violations(root))
    assert found == [
        "hub/charts/fund.py:1: imports hub.queries.fund (hub/charts may not import hub.queries)",
        "hub/helper.py:2: imports ui (hub may not import ui)",
        "hub/widget.py:1: imports streamlit (hub may not import streamlit)",
    ]


def test_upward_imports_across_layers_fail(tmp_path):
    root = _tree(tmp_path, {
        "hub/uploads.py": "def handle():\n    import loaders\n",
        "hub/db.py": "from hub.queries import overview\n",
        "loaders/cli.py": "import ui\n",
        "ui/menu.py": "from pages import overview\n",
    })
    found = sorted(b.path for b in violations(root))
    assert found == ["hub/db.py", "hub/uploads.py", "loaders/cli.py", "ui/menu.py"]


def test_a_query_without_the_viewer_first_fails(tmp_path):
    root = _tree(tmp_path, {"hub/queries/area.py": (
        "def rows(engine=None, *, viewer=None):\n    return []\n\n"
        "def _helper(engine):\n    return []\n\n"
        "def band(population):\n    return population // 1000\n")})
    assert [str(b) for b in violations(root)] == ["hub/queries/area.py:1: query rows() does not take viewer first"]
