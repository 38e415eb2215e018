"""Help-desk requests, with an open backlog."""
from __future__ import annotations

import random
from datetime import timedelta

from generators.demo_data.common import AS_OF, day

HELPDESK_TOPICS = (
    "funding guidance", "action plan drafting", "youth council set-up", "online hate response",
    "referral mechanism", "data and assessment",
)
HELPDESK_CHANNELS = ("email", "phone", "in_person", "online_form")


def build_helpdesk(rng: random.Random, munis: list[dict]) -> list[dict]:
    members = [m["code"] for m in munis if m["member_since"]]
    others = [m["code"] for m in munis if not m["member_since"]]
    start = day("2023-01-09")
    span = (day("2025-12-19") - start).days
    opened = sorted(start + timedelta(days=int(span * rng.random() ** 0.8)) for _ in range(150))
    rows = []
    for i, op in enumerate(opened, start=1):
        age = (AS_OF - op).days
        if age < 45:
            status = rng.choices(("open", "in_progress", "resolved"), (4, 3, 3))[0]
        elif age < 180:
            status = rng.choices(("open", "in_progress", "resolved"), (1, 2, 12))[0]
        else:
            status = rng.choices(("in_progress", "resolved"), (1, 30))[0]
        resolved = None
        if status == "resolved":
            resolved = min(op + timedelta(days=max(1, int(rng.expovariate(1 / 12)))), AS_OF)
            if resolved <= op:
                resolved = op + timedelta(days=1)
        rows.append({
            "request_id": f"HD-{i:04d}",
            "municipality_code": rng.choice(members) if rng.random() < 0.88 else rng.choice(others),
            "opened_on": op, "topic": rng.choices(HELPDESK_TOPICS, (6, 4, 3, 3, 3, 2))[0],
            "channel": rng.choices(HELPDESK_CHANNELS, (6, 3, 1, 3))[0],
            "status": status, "resolved_on": resolved,
        })
    return rows
