"""Regenerate docs/screenshot.png: the real server on a fresh demo store, headless Chromium.

``.venv/bin/python docs/screenshot.py [page] [user] [out.png]`` (default: overview as hub.admin).
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(page_id: str = "overview", user: str = "hub.admin", out: str | None = None) -> Path:
    from playwright.sync_api import sync_playwright

    from loaders.demo import build_demo
    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, fill_sign_in, launch, wait_for_app

    target = Path(out) if out else ROOT / "docs" / "screenshot.png"
    with tempfile.TemporaryDirectory() as d:
        url = f"sqlite:///{Path(d) / 'hub.db'}"
        build_demo(url)
        server = launch(url, Path(d))
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
                pg = browser.new_page(viewport={"width": 1440, "height": 1100}, locale="en-GB")
                pg.set_default_timeout(90_000)
                fill_sign_in(pg, server.url, user, next=f"/{page_id}")
                pg.wait_for_url(lambda u: "/signin" not in u)
                wait_for_app(pg)
                pg.wait_for_timeout(4000)   # let the map iframe draw
                pg.screenshot(path=str(target), full_page=False)
                browser.close()
        finally:
            server.stop()
    return target


if __name__ == "__main__":
    print(main(*sys.argv[1:]))
