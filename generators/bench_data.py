"""Seeded generator of benchmark inputs at k times the demo.

Starts from the demo files in data/demo/ and grows them to the sizes the hub expects:

| scale | municipalities | periods | indicators | fund applications | help-desk requests | events |
|---|---|---|---|---|---|---|
| 1   | demo (~67)       | 3  | 25 | ~60   | ~150    | ~16   |
| 10  | 250              | 5  | 40 | 600   | 10,000  | 200   |
| 100 | 522 (all six)    | 10 | 60 | 6,000 | 100,000 | 2,000 |

Added municipalities are synthetic ("Bench municipality RS-123") placed around their
country's demo cities; added indicators are unscored extras of the same domains. The result is
a folder of CSV files in the data contract, loaded by the real loaders (``make bench`` builds the
bench stores from it). ``python -m generators.bench_data [k] [out]`` writes one scale by hand.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from hub.cli import run

DEMO = Path(__file__).resolve().parent.parent / "data" / "demo"

# Municipalities per economy (Serbia incl. city municipalities; North Macedonia incl. Skopje's ten).
ALL_MUNICIPALITIES = {"AL": 61, "BA": 143, "XK": 38, "ME": 25, "MK": 81, "RS": 174}

SIZES = {
    10: dict(municipalities=250, periods=5, indicators=40, applications=600, helpdesk=10_000, events=200),
    100: dict(municipalities=sum(ALL_MUNICIPALITIES.values()), periods=10, indicators=60,
              applications=6_000, helpdesk=100_000, events=2_000),
}


def _demo() -> dict[str, pd.DataFrame]:
    return {p.stem: pd.read_csv(p, dtype=str, keep_default_na=False) for p in DEMO.glob("*.csv")}


def _municipalities(base: pd.DataFrame, total: int, rng) -> pd.DataFrame:
    rows = [base]
    share = {c: n / sum(ALL_MUNICIPALITIES.values()) for c, n in ALL_MUNICIPALITIES.items()}
    extra = []
    for country, s in share.items():
        have = base[base.country == country]
        want = max(len(have), round(total * s))
        lat = have.latitude.astype(float)
        lon = have.longitude.astype(float)
        for i in range(len(have) + 1, want + 1):
            pop = int(rng.lognormal(9.8, 0.9))
            extra.append({
                "code": f"{country}{i:03d}", "name": f"Bench municipality {country}-{i:03d}",
                "name_local": "", "country": country, "region": have.region.iloc[i % len(have)],
                "population": pop, "youth_population": int(pop * rng.uniform(0.17, 0.24)),
                "latitude": round(float(rng.normal(lat.mean(), max(lat.std(), 0.2))), 5),
                "longitude": round(float(rng.normal(lon.mean(), max(lon.std(), 0.2))), 5),
                "member_since": f"20{rng.integers(18, 25)}-0{rng.integers(1, 9)}-1{rng.integers(0, 9)}",
            })
    rows.append(pd.DataFrame(extra))
    out = pd.concat(rows, ignore_index=True)
    out.loc[out.member_since == "", "member_since"] = "2024-01-15"   # every city a member at scale
    return out


def _indicators(base: pd.DataFrame, total: int) -> pd.DataFrame:
    domains = sorted(base.domain.unique())
    extra = []
    for i in range(total - len(base)):
        d = domains[i % len(domains)]
        extra.append({"code": f"extra_{d}_{i:02d}", "name": f"Extra {d.replace('_', ' ')} {i}",
                      "domain": d, "unit": "score", "polarity": "higher_is_better",
                      "description": "Synthetic benchmark indicator", "source": "bench",
                      "sensitive": "true" if d == "threat_landscape" else "false"})
    return pd.concat([base, pd.DataFrame(extra)], ignore_index=True)


def _values(munis: pd.DataFrame, inds: pd.DataFrame, periods: list[str], base: pd.DataFrame, rng) -> pd.DataFrame:
    # Each indicator's values are drawn around the demo's own distribution (or 0..100 for extras).
    stats = base.assign(v=pd.to_numeric(base.value, errors="coerce")).groupby("indicator_code").v.agg(["mean", "std", "min", "max"])
    m, i, p = len(munis), len(inds), len(periods)
    codes = np.repeat(munis.code.to_numpy(), i * p)
    icodes = np.tile(np.repeat(inds.code.to_numpy(), p), m)
    pers = np.tile(np.array(periods), m * i)
    mean = stats["mean"].reindex(icodes).fillna(50).to_numpy()
    std = stats["std"].reindex(icodes).fillna(15).to_numpy()
    lo = stats["min"].reindex(icodes).fillna(0).to_numpy()
    hi = stats["max"].reindex(icodes).fillna(100).to_numpy()
    vals = np.clip(rng.normal(mean, np.nan_to_num(std, nan=1.0)), lo, hi).round(2)
    binary = (lo == 0) & (hi == 1)
    vals[binary] = (vals[binary] > 0.5).astype(float)
    return pd.DataFrame({"municipality_code": codes, "indicator_code": icodes, "period": pers,
                         "value": vals, "source": "bench", "note": ""})


def _priorities(munis: pd.DataFrame, periods: list[str], themes: list[str], rng) -> pd.DataFrame:
    rows = []
    for code in munis.code:
        for per in periods:
            k = int(rng.integers(3, len(themes) + 1))
            for r, th in enumerate(rng.permutation(themes)[:k], start=1):
                rows.append((code, per, th, r))
    return pd.DataFrame(rows, columns=["municipality_code", "period", "theme", "rank"])


def _dates(rng, n, start="2019-01-01", days=2400):
    return pd.to_datetime(start) + pd.to_timedelta(rng.integers(0, days, n), unit="D")


def _fund(munis: pd.DataFrame, n: int, base: pd.DataFrame, rng):
    statuses = np.array(["submitted", "under_review", "approved", "rejected", "withdrawn", "completed"])
    st = rng.choice(statuses, n, p=[0.08, 0.08, 0.3, 0.14, 0.05, 0.35])
    sub = _dates(rng, n)
    req = (rng.integers(10, 61, n) * 500).astype(float)
    decided = st != "submitted"
    decided &= st != "under_review"
    dec = sub + pd.to_timedelta(rng.integers(20, 90, n), unit="D")
    funded = np.isin(st, ["approved", "completed"])
    appr = np.where(funded, (req * rng.uniform(0.7, 1.0, n) // 100) * 100, np.nan)
    ids = [f"TSF-B{i:05d}" for i in range(n)]
    apps = pd.DataFrame({
        "application_id": ids, "municipality_code": rng.choice(munis.code.to_numpy(), n),
        "title": [f"Bench project {i}" for i in range(n)],
        "theme": rng.choice(sorted(base.theme.unique()), n),
        "submitted_on": sub.strftime("%Y-%m-%d"), "requested_eur": req, "status": st,
        "decided_on": np.where(decided, dec.strftime("%Y-%m-%d"), ""),
        "approved_eur": appr, "donor": np.where(funded, rng.choice(["European Union", "Norway", "United Kingdom", "Switzerland"], n), ""),
    })
    tr = []
    for aid, a, d, s in zip(ids, appr, dec, st):
        if np.isnan(a):
            continue
        k = int(rng.integers(1, 4))
        parts = np.full(k, a / k) if s == "completed" else np.full(k, a / (k + 1))
        for j in range(k):
            tr.append((aid, j + 1, (d + pd.Timedelta(days=30 * (j + 1))).strftime("%Y-%m-%d"), float(np.floor(parts[j] * 100) / 100)))
    disb = pd.DataFrame(tr, columns=["application_id", "tranche", "paid_on", "amount_eur"])
    res = apps[funded][["application_id"]].assign(indicator="people trained", baseline=0,
                                                  target=rng.integers(10, 60, int(funded.sum())))
    res["actual"] = (res.target * rng.uniform(0.3, 1.3, len(res))).round()
    res["reported_on"] = (pd.to_datetime(apps[funded].decided_on) + pd.Timedelta(days=300)).dt.strftime("%Y-%m-%d").to_numpy()
    return apps, disb, res


def _helpdesk(munis: pd.DataFrame, n: int, base: pd.DataFrame, rng) -> pd.DataFrame:
    opened = _dates(rng, n)
    st = rng.choice(["open", "in_progress", "resolved"], n, p=[0.05, 0.07, 0.88])
    res = opened + pd.to_timedelta(rng.integers(0, 60, n), unit="D")
    return pd.DataFrame({
        "request_id": [f"HD-B{i:06d}" for i in range(n)], "municipality_code": rng.choice(munis.code.to_numpy(), n),
        "opened_on": opened.strftime("%Y-%m-%d"), "topic": rng.choice(sorted(base.topic.unique()), n),
        "channel": rng.choice(sorted(base.channel.unique()), n), "status": st,
        "resolved_on": np.where(st == "resolved", res.strftime("%Y-%m-%d"), ""),
    })


def _events(munis: pd.DataFrame, n: int, rng):
    kinds = rng.choice(["roundtable", "workshop", "training", "visit"], n)
    ev = pd.DataFrame({
        "event_id": [f"EV-B{i:05d}" for i in range(n)], "kind": kinds,
        "title": [f"Bench {k} {i}" for i, k in enumerate(kinds)],
        "held_on": _dates(rng, n).strftime("%Y-%m-%d"), "language": rng.choice(["en", "sq", "bcms", "mk"], n),
        "location": rng.choice(munis.name.to_numpy(), n), "virtual": rng.choice(["true", "false"], n),
    })
    roles = ["mayor", "deputy_mayor", "municipal_official", "civil_society", "youth"]
    rows = []
    names = dict(zip(munis.code, munis.name))
    for eid in ev.event_id:
        for code in rng.choice(munis.code.to_numpy(), int(rng.integers(3, 10)), replace=False):
            role = roles[int(rng.integers(0, len(roles)))]
            rows.append((eid, code, f"Municipality of {names[code]}", role, int(rng.integers(1, 4))))
    part = pd.DataFrame(rows, columns=["event_id", "municipality_code", "organisation", "role", "count"])
    return ev, part.drop_duplicates(["event_id", "organisation", "role"])


def generate(scale: int, out_dir: Path, seed: int = 20261125) -> Path:
    """Write the CSV files of one scale into ``out_dir`` (1 = the demo files as they are)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    demo = _demo()
    if scale == 1:
        for name, df in demo.items():
            df.to_csv(out_dir / f"{name}.csv", index=False)
        return out_dir
    size = SIZES[scale]
    rng = np.random.default_rng(seed + scale)
    munis = _municipalities(demo["municipalities"], size["municipalities"], rng)
    inds = _indicators(demo["indicators"], size["indicators"])
    first = 2025 - size["periods"] + 1
    periods = [str(y) for y in range(first, 2026)]
    apps, disb, res = _fund(munis, size["applications"], demo["fund_applications"], rng)
    ev, part = _events(munis, size["events"], rng)
    out = {
        "municipalities": munis, "indicators": inds,
        "indicator_values": _values(munis, inds, periods, demo["indicator_values"], rng),
        "priorities": _priorities(munis, periods, sorted(demo["priorities"].theme.unique()), rng),
        "fund_applications": apps, "disbursements": disb, "results": res,
        "helpdesk_requests": _helpdesk(munis, size["helpdesk"], demo["helpdesk_requests"], rng),
        "events": ev, "participants": part, "users": demo["users"],
    }
    for name, df in out.items():
        df.to_csv(out_dir / f"{name}.csv", index=False)
    return out_dir


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m generators.bench_data",
                                 description="Write the demo data scaled k times as CSV files (seeded).")
    ap.add_argument("k", nargs="?", type=int, default=10, help="scale factor (default 10)")
    ap.add_argument("out", nargs="?", type=Path, help="output folder (default bench/out/x<k>)")
    args = ap.parse_args(argv)
    d = generate(args.k, args.out or Path(f"bench/out/x{args.k}"))
    for p in sorted(d.glob("*.csv")):
        print(p.name, sum(1 for _ in p.open()) - 1)
    return 0


if __name__ == "__main__":
    run(main)
