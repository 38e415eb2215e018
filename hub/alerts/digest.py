"""One recipient's digest as plain text, HTML and an Atom feed entry.

All data is escaped where it lands: ``hub.escape.html_text`` for the HTML body, ElementTree (which
escapes text and attributes) for the Atom XML, after ``hub.escape.xml_text`` (characters XML cannot
carry). The feed keeps the latest digests as entries
(``AlertSettings.digest_feed_entries``) and is valid Atom 1.0 (RFC 4287): feed id, title,
updated, author and self link; each entry id, title, updated, link and HTML content.
"""
from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from hub import i18n
from hub.alerts import text
from hub.escape import html_text, xml_text
from hub.labels import kosovo_footnote, mentions_kosovo

ATOM = "http://www.w3.org/2005/Atom"
ET.register_namespace("", ATOM)


@dataclass
class Digest:
    username: str
    name: str
    lang: str
    items: pd.DataFrame
    created: datetime = field(default_factory=lambda: datetime.now(timezone.utc).replace(microsecond=0))
    max_per_rule: int = 50

    @property
    def count(self) -> int:
        return len(self.items)

    def sections(self):
        """(rule title, [(sentence, link)], how many more) per rule, in the items' order."""
        for rule in dict.fromkeys(self.items["rule"]):
            rows = self.items[self.items["rule"] == rule]
            shown = [(text.describe(r, self.lang), text.link(r, self.lang))
                     for r in rows.head(self.max_per_rule).to_dict("records")]
            yield text.rule_title(rule, self.lang), shown, max(0, len(rows) - self.max_per_rule)

    def subject(self) -> str:
        return i18n.t("alerts.digest.subject", self.lang, n=i18n.fmt_number(self.count, self.lang))

    def footnote(self) -> str:
        return kosovo_footnote(self.lang) if mentions_kosovo(self.items["country"].dropna()) else ""

    def plain(self) -> str:
        t = lambda k, **p: i18n.t(f"alerts.digest.{k}", self.lang, **p)  # noqa: E731
        lines = [t("greeting", name=self.name), t("lead", n=i18n.fmt_number(self.count, self.lang)), ""]
        for title, rows, more in self.sections():
            lines += [title, "-" * len(title)]
            for sentence, url in rows:
                lines.append(f"* {sentence}")
                if url:
                    lines.append(f"  {url}")
            if more:
                lines.append(i18n.t("alerts.more", self.lang, n=i18n.fmt_number(more, self.lang)))
            lines.append("")
        if self.footnote():
            lines += [self.footnote(), ""]
        lines.append(t("footer"))
        return "\n".join(lines) + "\n"

    def html_body(self) -> str:
        """The digest's HTML fragment (every piece of data escaped)."""
        e = html_text
        t = lambda k, **p: i18n.t(f"alerts.digest.{k}", self.lang, **p)  # noqa: E731
        out = [f"<p>{e(t('greeting', name=self.name))}<br>{e(t('lead', n=i18n.fmt_number(self.count, self.lang)))}</p>"]
        for title, rows, more in self.sections():
            out.append(f"<h2>{e(title)}</h2><ul>")
            for sentence, url in rows:
                link = f' <a href="{e(url)}">{e(t("open_in_app"))}</a>' if url else ""
                out.append(f"<li>{e(sentence)}{link}</li>")
            if more:
                out.append(f"<li>{e(i18n.t('alerts.more', self.lang, n=i18n.fmt_number(more, self.lang)))}</li>")
            out.append("</ul>")
        if self.footnote():
            out.append(f"<p><small>{e(self.footnote())}</small></p>")
        out.append(f"<p><small>{e(t('footer'))}</small></p>")
        return "\n".join(out)

    def html_page(self) -> str:
        e = html_text
        return (f'<!DOCTYPE html>\n<html lang="{e(self.lang)}"><head><meta charset="utf-8">'
                f'<meta name="viewport" content="width=device-width, initial-scale=1">'
                f"<title>{e(self.subject())}</title></head>\n<body>\n<h1>{e(self.subject())}</h1>\n"
                f"{self.html_body()}\n</body></html>\n")


def _stamp(when: datetime) -> str:
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_feed(path: Path, digest: Digest, *, self_url: str, keep: int = 20) -> None:
    """Add ``digest`` as the newest entry of the Atom feed at ``path`` (created when missing),
    keeping the latest ``keep`` entries."""
    q = lambda tag: f"{{{ATOM}}}{tag}"  # noqa: E731
    old_entries = []
    if path.exists():
        try:
            old_entries = ET.parse(path).getroot().findall(q("entry"))
        except ET.ParseError:
            old_entries = []
    feed = ET.Element(q("feed"), {"xml:lang": digest.lang})
    ET.SubElement(feed, q("id")).text = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'hub-alerts:' + digest.username)}"
    ET.SubElement(feed, q("title")).text = xml_text(i18n.t("alerts.digest.feed_title", digest.lang, name=digest.name))
    ET.SubElement(feed, q("updated")).text = _stamp(digest.created)
    author = ET.SubElement(feed, q("author"))
    ET.SubElement(author, q("name")).text = i18n.t("common.app_title", digest.lang)
    ET.SubElement(feed, q("link"), {"rel": "self", "href": self_url})
    ET.SubElement(feed, q("link"), {"rel": "alternate", "href": text.base_url() + "/"})
    entry = ET.SubElement(feed, q("entry"))
    ET.SubElement(entry, q("id")).text = f"urn:uuid:{uuid.uuid4()}"
    ET.SubElement(entry, q("title")).text = xml_text(digest.subject())
    ET.SubElement(entry, q("updated")).text = _stamp(digest.created)
    ET.SubElement(entry, q("link"), {"rel": "alternate", "href": text.base_url() + "/"})
    ET.SubElement(entry, q("content"), {"type": "html"}).text = xml_text(digest.html_body())   # escaped by ElementTree
    for old in old_entries[: max(0, keep - 1)]:
        feed.append(old)
    ET.indent(feed)
    path.parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(feed).write(path, encoding="utf-8", xml_declaration=True)
