"""The floor for ``bench.browser``: a bare two-page Streamlit app on the same machine, in the same run.

Started by the benchmark next to the hub (``streamlit run bench/bare_app.py``); each page is a title
and one line of text, so its click and load times are what Streamlit itself costs here.
"""
import streamlit as st


def one() -> None:
    st.title("Page one")
    st.write("A bare Streamlit page.")


def two() -> None:
    st.title("Page two")
    st.write("Another bare Streamlit page.")


st.navigation([st.Page(one, title="Page one", url_path="one", default=True),
               st.Page(two, title="Page two", url_path="two")]).run()
