"""Evaluate the rules for every recipient and deliver one digest each: e-mail, HTML file, Atom feed.

Recipients: users with an ``alert_subscriptions`` row switched on, and hub staff without a row
(hub management receives everything unless they switch it off). Each recipient's items are
computed through the query layer with that user's own ``Viewer`` (``hub.queries.alerts.news``),
so a digest carries exactly what the pages would show that user; a subscription's ``rules``
narrows the role's rules further. ``alert_sent`` remembers what each recipient was told (item
key and fingerprint), so a digest carries only news and a run with nothing new sends nothing.

SMTP settings come from ``hub.settings``: ``HUB_SMTP_HOST``, ``HUB_SMTP_PORT`` (25, or 587 with
STARTTLS), ``HUB_SMTP_USER``, ``HUB_SMTP_PASSWORD``, ``HUB_SMTP_FROM``, ``HUB_SMTP_STARTTLS``
(1/0). Without ``HUB_SMTP_HOST`` no mail is sent and the digests go to the files only.
"""
from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime, timezone
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from pathlib import Path

import pandas as pd
from sqlalchemy import delete, select
from sqlmodel import Session

from hub.access import Viewer, viewer_of
from hub.alerts.digest import Digest, write_feed
from hub.alerts.settings import AlertSettings, load_settings
from hub.db import get_engine
from hub.models import AlertSent, AlertSubscription, User
from hub.queries import alerts as qa
from hub.settings import Settings, settings


@dataclass(frozen=True)
class Recipient:
    viewer: Viewer
    email: str | None
    rules: tuple[str, ...]
    feed: bool


def recipients(engine=None, usernames: list[str] | None = None) -> list[Recipient]:
    """Everyone who receives a digest, with the rules they receive (role rules, narrowed by the
    subscription's own list)."""
    engine = engine or get_engine()
    with Session(engine) as s:
        subs = {x.username: x for x in s.exec(select(AlertSubscription)).scalars()}
        users = list(s.exec(select(User).order_by(User.username)).scalars())
    out = []
    for u in users:
        if usernames and u.username not in usernames:
            continue
        sub = subs.get(u.username)
        if not (sub.enabled if sub is not None else u.role == "hub"):
            continue
        viewer = viewer_of(u)
        rules = qa.role_rules(viewer)
        if sub is not None and sub.rules:
            wanted = {r.strip() for r in sub.rules.split(",") if r.strip()}
            rules = tuple(r for r in rules if r in wanted)
        email = (sub.email if sub is not None and sub.email else None) or u.email
        out.append(Recipient(viewer, email, rules, sub.feed if sub is not None else True))
    return out


def _told(engine, username: str) -> dict[str, str]:
    with engine.connect() as conn:
        rows = conn.execute(select(AlertSent.item_key, AlertSent.fingerprint)
                            .where(AlertSent.username == username)).all()
    return {k: f for k, f in rows}


def fresh_items(engine, recipient: Recipient, *, today=None, settings_path=None) -> pd.DataFrame:
    """The recipient's items that they were not told yet (or that changed since)."""
    items = qa.news(recipient.viewer, engine=engine, today=today, settings_path=settings_path)
    items = items[items["rule"].isin(recipient.rules)]
    told = _told(engine, recipient.viewer.username)
    keep = [told.get(k) != f for k, f in zip(items["key"], items["fingerprint"])]
    return items[keep].reset_index(drop=True)


def remember(engine, username: str, items: pd.DataFrame) -> None:
    """Record that ``username`` was told ``items`` (replacing older fingerprints of the same keys)."""
    if items.empty:
        return
    keys = list(items["key"])
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    with engine.begin() as conn:
        for i in range(0, len(keys), 500):
            conn.execute(delete(AlertSent.__table__).where(AlertSent.username == username,
                                                           AlertSent.item_key.in_(keys[i:i + 500])))
        conn.execute(AlertSent.__table__.insert(), [
            {"username": username, "item_key": k, "fingerprint": f, "rule": r, "sent_at": now}
            for k, f, r in zip(items["key"], items["fingerprint"], items["rule"])])


# --- delivery ---------------------------------------------------------------------------------------
def message(digest: Digest, to: str, sender: str) -> EmailMessage:
    """The digest as one multipart/alternative e-mail: plain text and HTML."""
    msg = EmailMessage()
    msg["Subject"] = digest.subject()
    msg["From"] = sender
    msg["To"] = formataddr((digest.name, to))
    msg["Message-ID"] = make_msgid(domain="hub-alerts")
    msg.set_content(digest.plain())
    msg.add_alternative(digest.html_page(), subtype="html")
    msg["Content-Language"] = {"bcms": "sr-Latn"}.get(digest.lang, digest.lang)   # after set_content, which clears Content-*
    return msg


def send_all(smtp: Settings, messages: list[EmailMessage]) -> None:
    """Send through the ``HUB_SMTP_*`` server of ``smtp``, one connection for all."""
    if not messages:
        return
    with smtplib.SMTP(smtp.smtp_host, smtp.smtp_port, timeout=30) as conn:
        if smtp.smtp_starttls:
            conn.starttls(context=ssl.create_default_context())
        if smtp.smtp_user:
            conn.login(smtp.smtp_user, smtp.smtp_password or "")
        for msg in messages:
            conn.send_message(msg)


@dataclass
class Outcome:
    username: str
    email: str | None
    lang: str
    items: int
    mailed: bool
    files: tuple[str, ...]


def run(*, engine=None, dry_run: bool = False, today=None, out_dir: str | Path | None = None,
        usernames: list[str] | None = None, settings_path: str | None = None, echo=print) -> list[Outcome]:
    """Evaluate and deliver. ``dry_run``: print each digest, send and record nothing."""
    from hub.alerts.snapshots import record
    engine = engine or get_engine()
    thresholds: AlertSettings = load_settings(settings_path)
    env = settings()
    out_dir = Path(out_dir or env.alerts_dir)
    if not dry_run:
        record(engine)                      # scores after the latest load, for load-to-load changes
    smtp = env if env.smtp_host else None
    outcomes, mails = [], []
    for r in recipients(engine, usernames):
        items = fresh_items(engine, r, today=today, settings_path=settings_path)
        if items.empty:
            continue
        digest = Digest(r.viewer.username, r.viewer.display_name or r.viewer.username, r.viewer.language, items,
                        max_per_rule=thresholds.digest_max_items_per_rule)
        if dry_run:
            echo(f"== {r.viewer.username} <{r.email or '-'}> [{r.viewer.language}] {digest.subject()}")
            echo(digest.plain())
            outcomes.append(Outcome(r.viewer.username, r.email, r.viewer.language, len(items), False, ()))
            continue
        files = ()
        if r.feed:
            safe = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in r.viewer.username)
            html_path, feed_path = out_dir / f"{safe}.html", out_dir / f"{safe}.atom"
            out_dir.mkdir(parents=True, exist_ok=True)
            html_path.write_text(digest.html_page(), encoding="utf-8")
            write_feed(feed_path, digest, self_url=f"{env.alerts_feed_url or out_dir.as_uri()}/"
                                                   f"{feed_path.name}", keep=thresholds.digest_feed_entries)
            files = (str(html_path), str(feed_path))
        mailed = bool(smtp and r.email)
        if mailed:
            mails.append((r, items, message(digest, r.email, smtp.smtp_from)))
        else:
            remember(engine, r.viewer.username, items)
        outcomes.append(Outcome(r.viewer.username, r.email, r.viewer.language, len(items), mailed, files))
    if mails:
        send_all(smtp, [m for _, _, m in mails])
        for r, items, _ in mails:           # told only once the server took the mail
            remember(engine, r.viewer.username, items)
    return outcomes
