"""Shared look of every chart, and the one way text reaches a figure.

Plotly reads a subset of HTML (``<a href>``, ``<b>``, ``<br>``...) and character references in every
text it draws, and ``%{...}`` in hover templates. Builders hand every title, axis title, category
label, legend name, hover or annotation text to Plotly through :func:`text`/:func:`texts`
(``hub.escape.plotly_text``); ``style`` and ``empty_figure`` do it for their arguments.
"""
from __future__ import annotations

from collections.abc import Iterable

import plotly.graph_objects as go

from hub.escape import plotly_text as text

PALETTE = ["#1f4e79", "#e07b39", "#3a8f5c", "#b83b5e", "#7a5195", "#c9a227", "#4c9bb8", "#8c564b"]
NEED_SCALE = "YlOrRd"   # sequential: higher = more need
# One colour per fund measure on every page, chart, map and PDF (approved and disbursed were swapped
# between pages).
MEASURE_COLOURS = {"requested": "#9aa5b1", "approved": PALETTE[0], "committed": PALETTE[0],
                   "disbursed": PALETTE[2], "open": PALETTE[1], "resolved": PALETTE[2]}


def measure_colour(name: str) -> str:
    """The colour of a measure (``approved_eur``, ``disbursed_cum``, ``fund_approved_eur``...)."""
    for key, colour in MEASURE_COLOURS.items():
        if key in name:
            return colour
    return PALETTE[0]


def localise(fig: go.Figure, lang: str | None) -> go.Figure:
    """Axis and hover numbers with the language's decimal and group separators (Plotly's ``separators``)."""
    from hub.display import _symbols
    dec, group, _ = _symbols(lang or "en")
    fig.update_layout(separators=dec + group)
    return fig


def texts(values: Iterable) -> list[str]:
    """Labels from data (names, categories) as Plotly text, in order."""
    return [text(v) for v in values]


AXIS_TITLE_CHARS = 34   # an axis title: a vertical one longer ran into the chart's title, a horizontal one off a phone
TITLE_CHARS = 38        # what a chart's title fits on a phone (390 px); longer ones were cut at the right
CATEGORY_CHARS = 28     # a bar's name longer than this squeezed the bars to a sliver on a phone


def _lines(value: str, width: int) -> list[str]:
    import textwrap
    return textwrap.wrap(value, width, break_long_words=False, break_on_hyphens=False) or [value]


def wrapped(value, width: int = AXIS_TITLE_CHARS) -> str:
    """``value`` as Plotly text on lines of at most ``width`` characters (broken between words)."""
    return "<br>".join(text(line) for line in _lines(str(value), width))


def _wrap_bar_names(fig: go.Figure, width: int = CATEGORY_CHARS) -> None:
    """Names of horizontal bars (already Plotly text) longer than ``width`` on two or more lines, drawn
    through the axis's tick texts: the traces keep their categories (hovers, order, tests)."""
    names = list(dict.fromkeys(v for tr in fig.data if getattr(tr, "orientation", None) == "h" and tr.y is not None
                               for v in tr.y if isinstance(v, str)))
    if any(len(n) > width for n in names):
        fig.update_yaxes(tickmode="array", tickvals=names, ticktext=["<br>".join(_lines(n, width)) for n in names])


def style(fig: go.Figure, title: str, x_title: str | None = None, y_title: str | None = None,
          height: int = 380) -> go.Figure:
    head = wrapped(title, TITLE_CHARS)          # a long title on lines (a phone cut it), the top margin grown
    fig.update_layout(
        title={"text": head, "x": 0, "xanchor": "left"},
        height=height, margin={"l": 10, "r": 10, "t": 50 + 20 * head.count("<br>"), "b": 10},
        # the legend under everything (the x axis's names, turned on a phone, ran into it at y=-0.2)
        colorway=PALETTE, legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom"},
        font={"family": "Source Sans Pro, DejaVu Sans, sans-serif"},
    )
    if x_title is not None:
        fig.update_xaxes(title_text=wrapped(x_title))
    _wrap_bar_names(fig)
    if y_title is not None:     # a long one on two lines (e.g. an indicator's name with its unit)
        fig.update_yaxes(title_text=wrapped(y_title, max(AXIS_TITLE_CHARS, (height - 100) // 8)))
    return fig


def signed_bars(values, names: list[str], lang: str, *, hover: str, title: str, x_title: str,
                min_height: int) -> go.Figure:
    """Horizontal bars of a signed change, one per name in order: rises red, falls blue.
    ``hover`` is the Plotly format of the value (e.g. ``%{x:+.1f}``)."""
    colors = [PALETTE[3] if v > 0 else PALETTE[0] for v in values]
    fig = go.Figure(go.Bar(x=list(values), y=texts(names), orientation="h", marker_color=colors,
                           hovertemplate="%{y}: " + hover + "<extra></extra>"))
    fig.update_yaxes(autorange="reversed", type="category")
    localise(fig, lang)
    return style(fig, title, x_title, None, height=max(min_height, 26 * len(names) + 120))


def empty_figure(message: str) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=text(message), showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig
