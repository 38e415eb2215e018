"""ui.table(..., page=key): a long table reaches the browser a page at a time; short ones whole."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _script(rows: int) -> None:
    import pandas as pd

    import ui
    ui.table(pd.DataFrame({"n": range(rows)}), {"n": "count"}, page="things")


def _app(rows: int, **query) -> AppTest:
    at = AppTest.from_function(_script, args=(rows,), default_timeout=30)
    at.query_params["lang"] = "en"          # no viewer needed for the language
    for k, v in query.items():
        at.query_params[k] = v
    return at.run()


def test_short_table_is_shown_whole_without_a_picker():
    at = _app(40)
    assert not at.exception
    assert len(at.dataframe[0].value) == 40
    assert len(at.selectbox) == 0


def test_long_table_sends_one_page_and_says_which_rows():
    at = _app(250)
    assert not at.exception
    assert list(at.dataframe[0].value["n"]) == [str(i) for i in range(100)]
    assert at.selectbox(key="f-things_page").options == ["1", "2", "3"]
    assert "1–100" in at.caption[0].value and "250" in at.caption[0].value

    at.selectbox(key="f-things_page").set_value("3").run()
    assert list(at.dataframe[0].value["n"]) == [str(i) for i in range(200, 250)]
    assert "201–250" in at.caption[0].value
    assert at.query_params["things_page"] in ("3", ["3"])    # a shared link opens the same page


def test_page_from_the_link_and_translated_caption():
    at = _app(250, things_page="2", lang="mk")
    assert list(at.dataframe[0].value["n"]) == [str(i) for i in range(100, 200)]
    assert "Редови" in at.caption[0].value


def _script_rows(rows: int) -> None:
    import pandas as pd
    import streamlit as st

    import ui
    built = st.session_state.setdefault("built", [])

    def shown(part):                       # e.g. sentences made from raw items: only for the rows shown
        built.append(len(part))
        return pd.DataFrame({"what": [f"item {n}" for n in part["n"]], "n": part["n"]})
    ui.table(pd.DataFrame({"n": range(rows)}), {"n": "count"}, page="things", rows=shown)


def test_rows_are_built_for_the_page_shown_only():
    at = AppTest.from_function(_script_rows, args=(250,), default_timeout=30)
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    assert list(at.dataframe[0].value["what"])[:2] == ["item 0", "item 1"] and len(at.dataframe[0].value) == 100
    assert at.session_state["built"] == [100]
    at.selectbox(key="f-things_page").set_value("3").run()
    assert list(at.dataframe[0].value["n"]) == [str(i) for i in range(200, 250)]
    assert at.session_state["built"][-1] == 50
    short = AppTest.from_function(_script_rows, args=(30,), default_timeout=30)
    short.query_params["lang"] = "en"
    short.run()
    assert len(short.dataframe[0].value) == 30 and short.session_state["built"] == [30]
