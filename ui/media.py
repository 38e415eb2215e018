"""Streamlit's media file manager, with every generated file bound to the user who made it.

serve.py installs ``OwnedMediaFileManager`` in place of Streamlit's own. It behaves the same
for Streamlit (files stay in its in-memory storage for the lifetime it manages), and in
addition writes each file, with the signed-in user who made it, to the store
(``hub.media``). ``hub.web.serve_media`` answers ``/media/...`` from the store: only to that
user, and from any app process (a download made on one replica can be fetched from another).

Deferred downloads (``st.download_button(data=callable)``, built when clicked) run outside
the page's script thread, so their owner is taken when the button is drawn.
"""
from __future__ import annotations

import threading
from collections import OrderedDict

from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from hub import media

_OWNERS_MAX = 2000                   # sessions remembered (an LRU: the oldest is forgotten first)


class OwnedMediaFileManager(MediaFileManager):
    def __init__(self, storage) -> None:
        super().__init__(storage)
        self._owner_lock = threading.Lock()
        self._deferred_owner: dict[str, str | None] = {}
        self._owner_by_session: OrderedDict[str, tuple[str, str | None]] = OrderedDict()

    # --- who is running this page -----------------------------------------------------------
    def _run_owner(self) -> str | None:
        """The signed-in user of the script run that is adding a file (None outside a run).

        The page guard checked the session against the store at the top of this run; a
        session credential always names the same user, so it is resolved once per credential."""
        from ui.session import SESSION_KEY, TOKEN_KEY, _cookie_token, current_viewer
        import streamlit as st

        ctx = get_script_run_ctx(suppress_warning=True)
        if ctx is None:
            return None
        credential = _cookie_token() or st.session_state.get(TOKEN_KEY) or st.session_state.get(SESSION_KEY)
        with self._owner_lock:
            hit = self._owner_by_session.get(ctx.session_id)
        if credential and hit is not None and hit[0] == credential:
            return hit[1]
        viewer = current_viewer()
        owner = viewer.username if viewer else None
        if credential:
            with self._owner_lock:
                self._owner_by_session[ctx.session_id] = (credential, owner)
                self._owner_by_session.move_to_end(ctx.session_id)
                while len(self._owner_by_session) > _OWNERS_MAX:
                    self._owner_by_session.popitem(last=False)
        return owner

    def _keep(self, url: str, owner: str | None, downloadable: bool) -> None:
        if not owner:
            return                       # nobody signed in: nobody may fetch it
        name = url.rsplit("/", 1)[-1]
        f = self._storage.get_file(name)
        media.save(name.split(".", 1)[0], owner, f.content, f.mimetype, f.filename, downloadable=downloadable)

    # --- Streamlit's interface ---------------------------------------------------------------
    def add(self, path_or_data, mimetype, coordinates, file_name=None, is_for_static_download=False) -> str:
        url = super().add(path_or_data, mimetype, coordinates, file_name, is_for_static_download)
        self._keep(url, self._run_owner(), is_for_static_download)
        return url

    def add_deferred(self, data_callable, mimetype, coordinates, file_name=None, *, element_id="") -> str:
        file_id = super().add_deferred(data_callable, mimetype, coordinates, file_name, element_id=element_id)
        owner = self._run_owner()
        with self._owner_lock:
            self._deferred_owner[file_id] = owner
        return file_id

    def execute_deferred(self, file_id: str) -> str:
        with self._owner_lock:
            owner = self._deferred_owner.get(file_id)
        url = super().execute_deferred(file_id)
        self._keep(url, owner, True)
        return url

    def _drop_deferred_id(self, file_id: str) -> None:
        super()._drop_deferred_id(file_id)
        self._deferred_owner.pop(file_id, None)          # (called with Streamlit's lock held)
