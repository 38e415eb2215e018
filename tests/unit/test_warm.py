"""hub.warm: the start-up warm-up imports the pages' libraries and nothing of Streamlit (a
component declared before Streamlit's runtime exists hung the first page run)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_warm_up_imports_the_libraries_but_not_streamlit():
    code = ("import sys, hub.warm; hub.warm.warm_up(); "
            "missing = [m for m in ('pandas', 'plotly.graph_objects', 'folium', 'hub.queries.overview', "
            "'hub.charts.fund', 'hub.maps') if m not in sys.modules]; "
            "assert not missing, missing; "
            "assert not [m for m in sys.modules if m.split('.')[0] in ('streamlit', 'streamlit_folium', 'ui')]")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "warm-up failed" not in out.stderr


def test_warm_up_reads_the_migration_scripts_and_shipped_boundaries_but_opens_no_store():
    code = ("import hub.warm; hub.warm.warm_up(); from hub import db, maps; "
            "assert db.head_revision.cache_info().currsize == 1; "
            "assert maps._read_geojson.cache_info().currsize == 2; "
            "assert not db.cached_engines()")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300,
                         env={"PATH": "/usr/bin:/bin", "DATABASE_URL": "sqlite:////nonexistent/never.db"})
    assert out.returncode == 0, out.stderr[-2000:]
    assert "warm-up failed" not in out.stderr


def test_the_warm_up_thread_starts_once_per_process():
    # `streamlit run serve.py` executes serve.py twice; the second start must not warm up again
    code = ("import threading, ui.warm as w; first, second = w.start_warm_up(), w.start_warm_up(); "
            "names = [t.name for t in threading.enumerate()]; "
            "assert (first, second) == (True, False), (first, second); "
            "assert names.count('hub-warm-up') == 1, names")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]


def test_the_map_module_does_not_import_streamlit_folium_until_a_map_is_shown():
    # ui.warm imports ui.map before Streamlit's runtime exists; a component declared then hung the first
    # page run (ui.map imports streamlit_folium on first use, once the server runs: _streamlit_folium)
    code = ("import sys, ui.warm, ui.prefetch, ui.map, ui.city_profile; "
            "assert 'streamlit_folium' not in sys.modules")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]


def test_no_collection_after_each_run_and_the_warmed_heap_is_frozen():
    import tomllib
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["runner"]["postScriptGC"] is False
    code = ("import gc, hub.warm, ui.warm; hub.warm.warm_up(); n = ui.warm.freeze_heap(); "
            "assert n > 50000 and gc.get_freeze_count() == n, n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]


def test_magic_is_off_and_no_page_relies_on_it():
    # magic rewrote each page's syntax tree at its first run in a process; with it off, a bare
    # expression on a page (which magic would have shown) would silently show nothing
    import ast
    import tomllib
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["runner"]["magicEnabled"] is False
    scripts = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]
    assert len(scripts) > 10
    bare = [f"{path.name}:{node.lineno}" for path in scripts for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, ast.Expr)
            and not isinstance(node.value, (ast.Call, ast.Await, ast.Yield, ast.YieldFrom))
            and not (isinstance(node.value, ast.Constant) and isinstance(node.value.value, str))]
    assert not bare, bare
