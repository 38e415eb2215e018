"""The floors for ``bench.browser``: a bare three-page Streamlit app on the same machine, in the same run.

Started by the benchmark next to the hub (``streamlit run bench/bare_app.py``). Pages one and two are a
title and one line of text each, so their click and load times are what Streamlit itself costs here.
The third, "elements", holds one of each kind of element the hub's pages draw (metrics, pickers in the
sidebar, a 200-row table, a Plotly chart), with nothing computed: what Streamlit and the browser cost
for those elements, a like-for-like floor for the hub's pages.
"""
import streamlit as st


def one() -> None:
    st.title("Page one")
    st.write("A bare Streamlit page.")


def two() -> None:
    st.title("Page two")
    st.write("Another bare Streamlit page.")


def elements() -> None:
    import pandas as pd                   # here, not at the top: the plain pages' first view imports neither
    import plotly.graph_objects as go
    st.title("Page with elements")
    st.sidebar.selectbox("Period", ["2024", "2025"], key="period")
    st.sidebar.multiselect("Economies", ["AL", "BA", "XK", "ME", "MK", "RS"], key="economies")
    for col, (label, value) in zip(st.columns(3), [("Members", 87), ("Open requests", 412), ("Approved", "€1.2m")]):
        col.metric(label, value)
    rows = pd.DataFrame({"city": [f"City {i}" for i in range(200)], "economy": ["MK"] * 200,
                         "score": [i / 3 for i in range(200)], "rank": range(1, 201),
                         "requests": range(200), "approved": [i * 1000.0 for i in range(200)]})
    st.dataframe(rows, hide_index=True)
    fig = go.Figure(go.Bar(x=[f"City {i}" for i in range(20)], y=list(range(20))))
    st.plotly_chart(fig, key="chart")


st.navigation([st.Page(one, title="Page one", url_path="one", default=True),
               st.Page(two, title="Page two", url_path="two"),
               st.Page(elements, title="Page with elements", url_path="elements")]).run()
