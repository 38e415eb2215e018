"""Run AppTest the way serve.py serves the app: every run goes through app.py.

AppTest resets ``PagesManager.uses_pages_directory`` before every run, so with our ``pages/``
folder each run after the first page switch executes the page script on its own (Streamlit's
legacy multipage mode), without app.py's navigation, language selector or sign-out. serve.py
switches legacy mode off for the real server; ``served_like_the_browser`` (a context manager,
or the ``as_served`` fixture) does the same for AppTest so the shell itself can be tested.
"""
from __future__ import annotations

from contextlib import contextmanager

import pytest
from streamlit.runtime import pages_manager
from streamlit.runtime.scriptrunner import script_runner


class _NoLegacyPagesManager(pages_manager.PagesManager):
    uses_pages_directory = False      # shadows the value AppTest writes on the base class


@contextmanager
def served_like_the_browser():
    saved = script_runner.PagesManager
    script_runner.PagesManager = _NoLegacyPagesManager
    try:
        yield
    finally:
        script_runner.PagesManager = saved


@pytest.fixture
def as_served():
    with served_like_the_browser():
        yield
