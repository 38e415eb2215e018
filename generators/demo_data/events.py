"""Events (the four launch roundtables, workshops, trainings, visits) and who took part."""
from __future__ import annotations

import random

from generators.demo_data.common import day
from generators.demo_data.places import COUNTRY_NAME

EVENTS = [
    # (kind, title, held_on, language, location, virtual)
    ("roundtable", "Regional Hub launch roundtable (English)", "2023-03-07", "en", "Podgorica", False),
    ("roundtable", "Regional Hub launch roundtable (Albanian)", "2023-03-14", "sq", "Tirana", False),
    ("roundtable", "Regional Hub launch roundtable (BCMS)", "2023-03-21", "bcms", "Sarajevo", False),
    ("roundtable", "Regional Hub launch roundtable (Macedonian)", "2023-03-28", "mk", "Skopje", False),
    ("workshop", "Local prevention plans: from assessment to action", "2023-05-16", "bcms", "Tuzla", False),
    ("training", "Community Action Teams: first steps", "2023-06-20", "mk", "Kumanovo", False),
    ("workshop", "Responding to online hate at municipal level", "2023-10-10", "en", None, True),
    ("visit", "Peer visit: youth councils in practice", "2023-11-22", "sq", "Prizren", False),
    ("training", "Referral mechanisms for frontline staff", "2024-02-27", "bcms", "Novi Pazar", False),
    ("workshop", "Technical Support Fund: writing a strong application", "2024-04-09", "en", None, True),
    ("training", "Youth engagement toolkit", "2024-06-04", "sq", "Tirana", False),
    ("visit", "Peer visit: Community Action Team in Kumanovo", "2024-09-17", "mk", "Kumanovo", False),
    ("workshop", "Using the needs assessment data", "2024-11-12", "bcms", "Podgorica", False),
    ("training", "Crisis communication after incidents", "2025-03-18", "mk", "Ohrid", False),
    ("workshop", "Gender and inclusion in local prevention", "2025-06-10", "en", None, True),
    ("visit", "Peer visit: intercommunity dialogue in Mostar", "2025-10-07", "bcms", "Mostar", False),
]

# Which economies' municipalities attend an event in a given language.
LANG_COUNTRIES = {
    "sq": ("AL", "XK"), "bcms": ("BA", "RS", "ME"), "mk": ("MK",),
    "en": ("AL", "BA", "XK", "ME", "MK", "RS"),
}
# Albanian-speaking municipalities elsewhere also join Albanian-language events.
SQ_EXTRA = ("MK002", "MK003", "MK004", "MK005", "ME005")
NATIONAL = {
    "AL": "Ministry of Interior (Albania)", "BA": "Ministry of Security (Bosnia and Herzegovina)",
    "XK": "Ministry of Internal Affairs (Kosovo)", "ME": "Ministry of Interior (Montenegro)",
    "MK": "Ministry of Interior (North Macedonia)", "RS": "Ministry of Interior (Serbia)",
}



def build_events(rng: random.Random, munis: list[dict]):
    members = [m for m in munis if m["member_since"]]
    name = {m["code"]: m["name"] for m in munis}
    events, parts = [], []
    for i, (kind, title, held, lang, loc, virtual) in enumerate(EVENTS, start=1):
        eid = f"EV-{held[:4]}-{i:02d}"
        events.append({"event_id": eid, "kind": kind, "title": title, "held_on": held, "language": lang,
                       "location": loc, "virtual": virtual})
        held_d = day(held)
        pool = [m for m in members if m["country"] in LANG_COUNTRIES[lang]
                and day(m["member_since"]) <= held_d]
        if lang == "sq":
            pool += [m for m in members if m["code"] in SQ_EXTRA and day(m["member_since"]) <= held_d]
        if kind == "roundtable":
            attending = pool if lang != "en" else rng.sample(pool, min(10, len(pool)))
        else:
            attending = rng.sample(pool, min(len(pool), rng.randint(4, 7)))
        host = next((m for m in pool if m["name"] == loc), None)
        if host is not None and host not in attending:      # the host city takes part
            attending.append(host)
        countries = sorted({m["country"] for m in attending})
        for m in attending:
            org = f"Municipality of {name[m['code']]}"
            roles = []
            if kind == "roundtable":
                roles.append(("mayor", 1) if rng.random() < 0.8 else ("deputy_mayor", 1))
                roles.append(("municipal_official", rng.randint(1, 3)))
            elif kind == "visit":
                roles += [("mayor", 1)] if rng.random() < 0.35 else [("deputy_mayor", 1)]
                roles.append(("municipal_official", rng.randint(1, 2)))
            else:
                roles.append(("municipal_official", rng.randint(1, 4)))
                if rng.random() < 0.25:
                    roles.append(("deputy_mayor", 1))
            if rng.random() < (0.5 if kind != "roundtable" else 0.35):
                roles.append(("youth", rng.randint(1, 3)))
            for role, n in roles:
                o = f"Youth Council of {name[m['code']]}" if role == "youth" else org
                parts.append({"event_id": eid, "municipality_code": m["code"], "organisation": o,
                              "role": role, "count": n})
        # Non-municipal participants.
        parts.append({"event_id": eid, "municipality_code": None, "organisation": "Strong Cities Network",
                      "role": "international", "count": rng.randint(1, 3)})
        if kind in ("roundtable", "workshop"):
            parts.append({"event_id": eid, "municipality_code": None,
                          "organisation": "Donor representatives", "role": "international",
                          "count": rng.randint(1, 4)})
        for c in countries if kind == "roundtable" else countries[:1]:
            parts.append({"event_id": eid, "municipality_code": None, "organisation": NATIONAL[c],
                          "role": "national_government", "count": rng.randint(1, 2)})
        for c in countries[: 3 if kind == "roundtable" else 1]:
            parts.append({"event_id": eid, "municipality_code": None,
                          "organisation": f"Civil society forum ({COUNTRY_NAME[c]})",
                          "role": "civil_society", "count": rng.randint(2, 6)})
    return events, parts
