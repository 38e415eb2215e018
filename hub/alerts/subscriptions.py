"""Who receives the digest: one ``alert_subscriptions`` row per user who opted in or out."""
from __future__ import annotations

from sqlmodel import Session

from hub.db import get_engine
from hub.models import AlertSubscription, User


class SubscriptionError(ValueError):
    pass


def subscribe(username: str, *, enabled: bool = True, rules: list[str] | None = None, email: str | None = None,
              feed: bool = True, engine=None) -> AlertSubscription:
    """Switch a user's digest on or off; ``rules`` narrows the rules of their role (None: all of them)."""
    from hub.access import Viewer
    from hub.queries.alerts import role_rules
    with Session(engine or get_engine()) as s:
        u = s.get(User, username)
        if u is None:
            raise SubscriptionError(f"no user {username!r}")
        allowed = role_rules(Viewer(u.username, u.role, u.municipality_code))
        unknown = sorted(set(rules or ()) - set(allowed))
        if unknown:
            raise SubscriptionError(f"rules not available to the {u.role} role: {', '.join(unknown)} "
                                    f"(available: {', '.join(allowed)})")
        row = s.get(AlertSubscription, username) or AlertSubscription(username=username)
        row.enabled, row.rules, row.email, row.feed = enabled, ",".join(rules) if rules else None, email, feed
        s.add(row)
        s.commit()
        s.refresh(row)
        return row
