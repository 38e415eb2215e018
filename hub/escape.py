"""Data shown as text: one escape per output kind, applied where the text is handed to that output.

Names, titles, topics and URL values come from files the cities send or from a link anyone can
edit: they are untrusted. Every builder that puts such a value into an output that interprets
markup escapes it here, for the context it lands in, so that it is shown exactly as written:

- :func:`html_text` HTML text or a quoted attribute value (legends, sign-in page, any HTML we build);
- :func:`leaflet_text` text inside a folium ``Tooltip``/``Popup``: folium writes that HTML into a
  JavaScript template literal (`` `...${...}...` ``) inside a ``<script>``, and Leaflet then inserts
  it as HTML, so the text is HTML-escaped and backtick, ``$`` and backslash become character
  references (no template substitution, no early end of the literal or of the script);
- :func:`script_json` a value handed to our own map script as a JSON literal inside ``<script>``
  (the city markers' data, the place labels): nothing in a string can end the script or the string;
- :func:`geojson_value` a ``GeoJsonTooltip``/``GeoJsonPopup`` field value or alias (Leaflet inserts
  the feature's property as HTML on hover);
- :func:`markdown_text` text in Streamlit elements that parse Markdown (``st.markdown``/``caption``/
  ``title``/``header``/``subheader``/``info``/``warning``/``error``/``success``, metric, tab, expander,
  button and widget labels): no link, image, HTML, ``$`` maths, ``:colour[...]`` directive or emoji
  shortcode survives;
- :func:`plotly_text` text Plotly draws (titles, axis and category labels, legend names, hover text,
  annotations): Plotly reads a subset of HTML (``<a href>``, ``<b>``, ``<br>``...) and character
  references in them, and ``%{...}`` in hover templates;
- :func:`mpl_text` text in a matplotlib figure (the PDF's charts): ``$...$`` is maths there;
- :func:`pdf_text` text written by fpdf2 without ``markdown=True`` (nothing is interpreted; control
  characters are replaced so a line is one line);
- :func:`xml_text` text of an XML element or attribute written by ElementTree (the alerts' Atom feed):
  ElementTree escapes ``&<>"``, but characters XML 1.0 cannot carry at all (control characters) would
  make the whole file unreadable, so they become U+FFFD.

Rule: pages and builders never concatenate a data value into markup without the escape of that
markup's kind; catalog strings (our own translations) are trusted and may carry markup.
"""
from __future__ import annotations

import html
import json
import re
import string

__all__ = ["html_text", "leaflet_text", "script_json", "geojson_value", "markdown_text", "plotly_text", "mpl_text",
           "pdf_text", "xml_text"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_BREAK = re.compile(r"\r\n|[\r\n\u2028\u2029\x85]")


def _str(value) -> str:
    return "" if value is None else str(value)


def html_text(value) -> str:
    """``value`` as HTML text or as a double- or single-quoted attribute value."""
    return html.escape(_str(value), quote=True)


# Characters that mean something inside a JavaScript template literal; as character references
# they mean nothing there, and the HTML parser turns them back into the characters.
_TEMPLATE_LITERAL = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;"})


def leaflet_text(value) -> str:
    """``value`` inside the HTML of a folium Tooltip or Popup (a JS template literal holding HTML)."""
    return html_text(value).translate(_TEMPLATE_LITERAL)


def leaflet_markup(markup: str) -> str:
    """Our own tooltip/popup markup, made safe for folium's template literal as a whole (the data in
    it already went through :func:`leaflet_text`; this guards the catalog text around it)."""
    return markup.translate(_TEMPLATE_LITERAL)


# Inside a <script>, "</script", "<!--" and "]]>" mean something to the HTML parser even within a JS
# string: as \u escapes (valid only inside JSON strings, where these characters can only occur) they
# are the same characters to JavaScript and nothing to the parser. U+2028/2029 end a line in older JS.
_SCRIPT_JSON = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "'": "\\u0027",
                              "\u2028": "\\u2028", "\u2029": "\\u2029"})


def script_json(value) -> str:
    """``value`` (JSON-able) as a JavaScript literal inside an HTML ``<script>``: Jinja's ``tojson``
    escapes, but other text stays UTF-8 (a Cyrillic letter costs 2 bytes, not 6) and no spaces."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":")).translate(_SCRIPT_JSON)


def geojson_value(value) -> str:
    """A feature property (or alias) shown by ``folium.GeoJsonTooltip``/``GeoJsonPopup`` (inserted as
    HTML). ``None`` shows as empty."""
    return html_text(value)


# CommonMark lets any ASCII punctuation character be backslash-escaped; escaped, none starts a link,
# image, emphasis, code span, HTML tag, entity, autolink, table cell, maths (remark-math) or
# directive (``:red[...]``, remark-directive). Two plugins match in the text *after* parsing, so
# escapes do not stop them: emoji shortcodes (``:smile:``, remark-emoji) and GFM's bare links
# (``https://…``, ``www.…``, ``name@host.tld``). A WORD JOINER (U+2060: invisible, zero-width, no
# line break) after each colon and "@" and inside "www." breaks their patterns (measured in Chromium
# with Streamlit 1.67: tests/e2e/test_hostile_text.py).
_MD_PUNCT = frozenset(string.punctuation)
_WJ = "\u2060"
_AFTER_PARSE = re.compile(r"(\\[:@])|(?<=www)(?=\\\.)", re.IGNORECASE)


def markdown_text(value) -> str:
    """``value`` as literal text inside a Streamlit element that parses Markdown (one line)."""
    text = _CONTROL.sub("\ufffd", _LINE_BREAK.sub(" ", _str(value))).lstrip(" \t")
    text = "".join("\\" + ch if ch in _MD_PUNCT else ch for ch in text)
    return _AFTER_PARSE.sub(lambda m: (m.group(1) or "") + _WJ, text)


def plotly_text(value) -> str:
    """``value`` as text Plotly draws (title, axis/category label, legend, hover, annotation)."""
    return html.escape(_str(value), quote=False).replace("%{", "&#37;{")


def mpl_text(value) -> str:
    """``value`` as text in a matplotlib figure: every ``$`` escaped, so it is never mathtext
    (outside maths matplotlib shows ``\\$`` as ``$`` and other backslashes as they are)."""
    return _str(value).replace("$", r"\$")


def pdf_text(value) -> str:
    """``value`` as one line of fpdf2 text (no markup is parsed: ``markdown`` stays off)."""
    return _CONTROL.sub("\ufffd", _LINE_BREAK.sub(" ", _str(value)))


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(value) -> str:
    """``value`` as XML 1.0 text for ElementTree (which escapes markup itself): characters XML cannot
    carry, even escaped, become U+FFFD, so one name cannot make a whole feed unreadable."""
    return _NOT_XML.sub("\ufffd", _str(value))
