"""The demo's CSV files: columns, how a cell is written, and the one seeded run that draws every
file in order (the order of the draws is what makes the output identical on every run)."""
from __future__ import annotations

import csv
import random
from pathlib import Path

from generators.demo_data.common import SEED
from generators.demo_data.events import build_events
from generators.demo_data.fund import build_fund, localise_and_pool
from generators.demo_data.helpdesk import build_helpdesk
from generators.demo_data.indicators import build_indicators
from generators.demo_data.need import Latent, build_indicator_values, build_priorities
from generators.demo_data.places import build_municipalities
from generators.demo_data.users import build_users

OUT_DIR = Path(__file__).resolve().parents[2] / "data" / "demo"

COLUMNS = {
    "municipalities.csv": ["code", "name", "name_local", "country", "region", "population",
                           "youth_population", "latitude", "longitude", "member_since"],
    "indicators.csv": ["code", "name", "domain", "unit", "polarity", "description", "source", "sensitive"],
    "indicator_values.csv": ["municipality_code", "indicator_code", "period", "value", "source", "note"],
    "priorities.csv": ["municipality_code", "period", "theme", "rank"],
    "fund_applications.csv": ["application_id", "municipality_code", "title", "theme", "submitted_on",
                              "requested_eur", "status", "decided_on", "approved_eur", "donor",
                              "title_sq", "title_bcms", "title_mk"],
    "disbursements.csv": ["application_id", "tranche", "paid_on", "amount_eur"],
    "results.csv": ["application_id", "indicator", "baseline", "target", "actual", "reported_on"],
    "helpdesk_requests.csv": ["request_id", "municipality_code", "opened_on", "topic", "channel", "status",
                              "resolved_on"],
    "events.csv": ["event_id", "kind", "title", "held_on", "language", "location", "virtual"],
    "participants.csv": ["event_id", "municipality_code", "organisation", "role", "count"],
    "users.csv": ["username", "display_name", "role", "municipality_code", "language", "email", "donor"],
}


def write_csv(path: Path, header: list[str], rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({k: cell(r.get(k)) for k in header})


def cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return str(int(v)) if v == int(v) else f"{v:.10g}"
    return str(v)


def generate(out_dir: Path = OUT_DIR) -> dict[str, int]:
    """Draw every demo file and write it into ``out_dir``; returns the rows written per file."""
    rng = random.Random(SEED)
    munis = build_municipalities(rng)
    members = [m for m in munis if m["member_since"]]
    latent = Latent(rng, members)
    values = build_indicator_values(rng, munis, latent)
    priorities = build_priorities(rng, munis, latent)
    apps, tranches, results = build_fund(rng, munis, priorities)
    localise_and_pool(apps, munis)
    helpdesk = build_helpdesk(rng, munis)
    events, parts = build_events(rng, munis)
    out = {
        "municipalities.csv": munis, "indicators.csv": build_indicators(),
        "indicator_values.csv": values, "priorities.csv": priorities,
        "fund_applications.csv": apps, "disbursements.csv": tranches, "results.csv": results,
        "helpdesk_requests.csv": helpdesk, "events.csv": events, "participants.csv": parts,
        "users.csv": build_users(),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    for fname, rows in out.items():
        write_csv(out_dir / fname, COLUMNS[fname], rows)
    return {fname: len(rows) for fname, rows in out.items()}
