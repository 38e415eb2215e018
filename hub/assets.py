"""Leaflet served from the app's own origin, so the browser asks no CDN for anything.

``python -m hub.assets`` (run by ``make assets``/``make test``/``make run``) copies Leaflet's script,
stylesheet and images out of the installed PyPI package ``django-js-lib-leaflet`` (plain Leaflet
1.9.4, BSD-2-Clause; it has no dependencies and needs no Django) into the git-ignored ``static/vendor/``.
Streamlit's static serving (``server.enableStaticServing``) publishes ``static/`` beside the main script
under ``/app/static/``. ``hub.maps`` points folium's ``default_js``/``default_css`` at those URLs and
drops jQuery, Bootstrap and Font Awesome, which our maps do not use.
"""
from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATIC_DIR = ROOT / "static"
VENDOR_DIR = STATIC_DIR / "vendor" / "leaflet"
URL_PREFIX = "/app/static/vendor/leaflet"
LEAFLET_JS = [("leaflet", f"{URL_PREFIX}/leaflet.js")]
LEAFLET_CSS = [("leaflet_css", f"{URL_PREFIX}/leaflet.css")]
FILES = ("leaflet.js", "leaflet.css")


def source_dir() -> Path:
    """Leaflet's files inside the installed package (located without importing Django bits)."""
    spec = importlib.util.find_spec("js_lib_leaflet")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("django-js-lib-leaflet is not installed (pip install -r requirements.txt)")
    return Path(spec.submodule_search_locations[0]) / "static" / "js_lib_leaflet"


def install(target: Path = VENDOR_DIR) -> list[Path]:
    """Copy leaflet.js, leaflet.css and images/ into ``target``; returns the files written."""
    src = source_dir()
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name in FILES:
        shutil.copyfile(src / name, target / name)
        written.append(target / name)
    if (src / "images").is_dir():
        shutil.copytree(src / "images", target / "images", dirs_exist_ok=True)
        written.extend(sorted((target / "images").iterdir()))
    return written


def installed(target: Path = VENDOR_DIR) -> bool:
    return all((target / name).is_file() for name in FILES)


def main(argv: list[str] | None = None) -> int:
    files = install()
    print(f"Leaflet assets: {len(files)} files in {VENDOR_DIR.relative_to(ROOT)} (served at {URL_PREFIX}/)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
