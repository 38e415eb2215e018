"""``python -m hub.alerts run`` end to end: a subprocess against a local SMTP server (aiosmtpd)
started here, on a private copy of the demo store (``demo_copy_url``).

Checks: who gets mail, one digest each, in each recipient's language, a mayor's digest naming
no other city, data escaped in the HTML, the Atom feed valid, ``--dry-run`` sending and
recording nothing, and a second run with no change sending nothing.
"""
from __future__ import annotations

import email
import email.policy
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest
from aiosmtpd.controller import Controller
from sqlmodel import Session, select

from hub.alerts.subscriptions import subscribe
from hub.db import get_engine
from hub.i18n import t
from hub.models import AlertSent, Municipality
from tests.streamlit_server import free_port

ROOT = Path(__file__).resolve().parents[2]
TODAY = "2026-01-15"
ATOM = "{http://www.w3.org/2005/Atom}"


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append((list(envelope.rcpt_tos),
                              email.message_from_bytes(envelope.content, policy=email.policy.default)))
        return "250 OK"


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


def run_cli(url: str, port: int, out: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url, "HUB_SMTP_HOST": "127.0.0.1", "HUB_SMTP_PORT": str(port),
           "HUB_SMTP_FROM": "Hub alerts <alerts@example.org>", "HUB_SMTP_STARTTLS": "0",
           "HUB_BASE_URL": "https://hub.example.org"}
    env.pop("HUB_SMTP_USER", None)
    return subprocess.run([sys.executable, "-m", "hub.alerts", "run", "--today", TODAY, "--out", str(out), *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def parts(msg) -> tuple[str, str]:
    return (msg.get_body(("plain",)).get_content(), msg.get_body(("html",)).get_content())


def test_alerts_run_sends_one_digest_each_only_news(demo_copy_url, smtp, tmp_path):
    empty_url = demo_copy_url
    engine = get_engine(empty_url)
    inbox, port = smtp
    with Session(engine) as s:          # a hostile name in Tuzla's mayor's own digest
        tuzla = s.get(Municipality, "BA001")
        tuzla.name = tuzla.name_local = 'Tuzla <b>&"x"'
        s.add(tuzla)
        s.commit()
        cities = {m.code: (m.name, m.name_local) for m in s.exec(select(Municipality)).all()}
    for user in ("mayor.kumanovo", "mayor.tuzla", "donor.demo"):
        subscribe(user, engine=engine)             # hub.admin receives alerts without opting in
    out = tmp_path / "feeds"

    dry = run_cli(empty_url, port, out, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "== mayor.kumanovo <mayor.kumanovo@example.org> [mk]" in dry.stdout
    assert inbox.messages == [] and not out.exists()
    with Session(engine) as s:
        assert s.exec(select(AlertSent)).all() == []

    first = run_cli(empty_url, port, out)
    assert first.returncode == 0, first.stderr
    by_rcpt = {tuple(rcpt): msg for rcpt, msg in inbox.messages}
    assert sorted(r for (r,) in by_rcpt) == ["donor.demo@example.org", "hub.admin@example.org",
                                             "mayor.kumanovo@example.org", "mayor.tuzla@example.org"]
    assert len(inbox.messages) == 4                                # one digest per recipient
    langs = {"hub.admin": "en", "donor.demo": "en", "mayor.kumanovo": "mk", "mayor.tuzla": "sr-Latn"}
    for (rcpt,), msg in by_rcpt.items():
        user = rcpt.split("@")[0]
        assert msg["Content-Language"] == langs[user]
        assert msg.get_content_type() == "multipart/alternative"
    kumanovo = by_rcpt[("mayor.kumanovo@example.org",)]
    plain, html_part = parts(kumanovo)
    assert kumanovo["Subject"].startswith("Strong Cities хаб")
    assert t("alerts.digest.greeting", "mk", name="Mayor of Kumanovo (demo)") in plain
    assert "Куманово" in plain and "lang=mk" in plain
    for code, names in cities.items():                             # a mayor's digest names no other city
        if code == "MK001":
            continue
        for text in (plain, html_part):
            assert code not in text
            for name in filter(None, names):
                assert not re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text), (code, name)
    tuzla_plain, tuzla_html = parts(by_rcpt[("mayor.tuzla@example.org",)])
    assert 'Tuzla <b>&"x"' in tuzla_plain
    assert "Tuzla &lt;b&gt;&amp;&quot;x&quot;" in tuzla_html and "<b>" not in tuzla_html
    assert "zahtjev" in tuzla_plain                                # BCMS text
    donor_plain, _ = parts(by_rcpt[("donor.demo@example.org",)])
    assert t("alerts.rule.fund_stalled", "en") in donor_plain
    assert t("alerts.rule.need_change", "en") not in donor_plain    # donors: fund news only
    hub_plain, _ = parts(by_rcpt[("hub.admin@example.org",)])
    assert "https://hub.example.org/fund?app=" in hub_plain

    # the same digest as files: an HTML page and a valid Atom feed per recipient
    for user in langs:
        assert (out / f"{user}.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
        feed_path = out / f"{user}.atom"
        parsed = feedparser.parse(str(feed_path))
        assert not parsed.bozo and parsed.version == "atom10"
        root = ET.parse(feed_path).getroot()
        assert root.tag == f"{ATOM}feed"
        for tag in ("id", "title", "updated", "author"):
            assert root.find(f"{ATOM}{tag}") is not None
        (entry,) = root.findall(f"{ATOM}entry")
        for tag in ("id", "title", "updated", "content"):
            assert entry.find(f"{ATOM}{tag}") is not None
    tuzla_feed = ET.parse(out / "mayor.tuzla.atom").getroot().find(f"{ATOM}entry/{ATOM}content").text
    assert "Tuzla &lt;b&gt;" in tuzla_feed                           # HTML content, escaped once more in XML

    second = run_cli(empty_url, port, out)                          # nothing changed: nothing sent
    assert second.returncode == 0, second.stderr
    assert len(inbox.messages) == 4 and "nothing new for anyone" in second.stdout
