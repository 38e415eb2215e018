"""Plotly builders: DataFrame in, figure out. One module per area; titles, axis labels and
units arrive translated (builders take ``lang`` and call ``hub.i18n.t``)."""
from hub.charts.base import PALETTE, empty_figure, style, text, texts  # noqa: F401
