"""The latent need per member city that drives every indicator value and the city's stated priorities."""
from __future__ import annotations

import random
from statistics import NormalDist

from generators.demo_data.common import DOMAINS, PERIODS, THEME_DIMENSION, THEMES, clip
from generators.demo_data.indicators import FLAG_ADOPTION, INDICATORS, SURVEY, W

# Youth unemployment (%), economy level around which cities vary (synthetic).
YOUTH_UNEMPLOYMENT_BASE = {"XK": 38.0, "BA": 33.0, "MK": 29.0, "AL": 26.0, "ME": 25.0, "RS": 23.0}
_PHI = NormalDist().cdf


class Latent:
    """Latent need per member city: overall, per domain, trend, and deliberate movers."""

    def __init__(self, rng: random.Random, members: list[dict]):
        self.general = {m["code"]: rng.gauss(0, 1) for m in members}
        self.domain = {(m["code"], d): rng.gauss(0, 1) for m in members for d in DOMAINS}
        self.trend = {m["code"]: rng.gauss(-0.08, 0.12) for m in members}
        codes = sorted(self.general)
        shuffled = rng.sample([c for c in codes if c not in ("MK001", "MK002", "BA001")], len(codes) - 3)
        # "What changed": big moves between 2024 and 2025, in both directions.
        self.jump = {c: 0.0 for c in codes}
        for c in shuffled[:4]:
            self.jump[c] = -1.1          # marked improvement
        for c in shuffled[4:7]:
            self.jump[c] = +1.0          # marked deterioration
        self.jump["MK001"] = -0.6        # Kumanovo improves (demo mayor sees progress)
        self.shock = {(c, d, p): rng.gauss(0, 0.15) for c in codes for d in DOMAINS for p in PERIODS}
        # Uneven profiles: strong in some domains, weak in others, so that their rank depends
        # on the weights (the robustness analysis has uncertain ranks to show).
        for c in shuffled[7:13]:
            strong, weak = rng.sample(DOMAINS, 2)
            self.domain[(c, strong)] -= 1.7
            self.domain[(c, weak)] += 1.7

    def need(self, code: str, domain: str, period: str) -> float:
        t = PERIODS.index(period)
        jump = self.jump[code] if period == "2025" else 0.0
        return (0.7 * self.general[code] + 0.55 * self.domain[(code, domain)]
                + self.trend[code] * t + jump + self.shock[(code, domain, period)])


def _value(kind: str, lo, hi, q: float, polarity: str, country: str):
    """Map a need quantile q (1 = most need) to a value in the indicator's unit."""
    v = q if polarity == W else 1.0 - q          # value quantile: high value = high v
    if kind == "pct":
        return round(lo + (hi - lo) * v, 1)
    if kind == "scale":
        return round(lo + (hi - lo) * v, 1)
    if kind == "rate":
        return round(lo + (hi - lo) * v ** 1.3, 2)
    if kind == "log":
        return round(lo * (hi / lo) ** v, 2)
    if kind == "count":
        return int(round(lo + (hi - lo) * v))
    if kind == "unemployment":
        return round(clip(YOUTH_UNEMPLOYMENT_BASE[country] + 16 * (q - 0.5), 8.0, 55.0), 1)
    raise ValueError(kind)


def build_indicator_values(rng: random.Random, munis: list[dict], latent: Latent) -> list[dict]:
    members = [m for m in munis if m["member_since"]]
    persist = {(m["code"], i[0]): rng.gauss(0, 1) for m in members for i in INDICATORS}
    # Two city-periods with a partly completed survey (coverage below 0.7).
    low_cov = {
        ("BA008", "2023"): {"social_cohesion", "institutional_capacity"},
        ("XK005", "2024"): {"threat_landscape", "youth_engagement"},
    }
    low_cov_extra = {("BA008", "2023"): "nl_coordination_meetings",
                     ("XK005", "2024"): "cso_partnerships"}
    rows = []
    flags: dict[tuple[str, str], int] = {}
    for m in members:
        code, country = m["code"], m["country"]
        for period in PERIODS:
            for ind in INDICATORS:
                icode, _n, dom, _u, pol, lo, hi, kind, src, _desc = ind
                row = {"municipality_code": code, "indicator_code": icode, "period": period,
                       "value": None, "source": f"{src} {period}", "note": None}
                if kind == "youth_share":
                    row["value"] = round(100 * m["youth_population"] / m["population"], 1)
                    rows.append(row)
                    continue
                z = (0.8 * latent.need(code, dom, period) + 0.45 * persist[(code, icode)]
                     + rng.gauss(0, 0.12))
                q = _PHI(z / 1.05)
                if kind == "flag":
                    has = int((1.0 - q) > 1.0 - FLAG_ADOPTION[period])
                    has = max(has, flags.get((code, icode), 0))     # once adopted, kept
                    flags[(code, icode)] = has
                    row["value"] = has
                else:
                    row["value"] = _value(kind, lo, hi, q, pol, country)
                missing = (dom in low_cov.get((code, period), ()) and icode != "youth_share") \
                    or low_cov_extra.get((code, period)) == icode
                if missing:
                    row["value"], row["note"] = None, "survey section not completed"
                elif code not in ("MK001", "MK002", "BA001") and rng.random() < 0.028:
                    row["value"], row["note"] = None, "not reported"
                elif kind not in ("flag",) and src == SURVEY and rng.random() < 0.03:
                    row["note"] = "small sample; interpret with care"
                rows.append(row)
    return rows


def build_priorities(rng: random.Random, munis: list[dict], latent: Latent) -> list[dict]:
    rows = []
    for m in munis:
        if not m["member_since"]:
            continue
        taste = {th: rng.gauss(0, 0.5) for th in THEMES}
        for period in PERIODS:
            score = {th: latent.need(m["code"], THEME_DIMENSION[th], period) + taste[th]
                     + rng.gauss(0, 0.25) for th in THEMES}
            k = rng.randint(3, 6)
            for rank, th in enumerate(sorted(THEMES, key=lambda x: -score[x])[:k], start=1):
                rows.append({"municipality_code": m["code"], "period": period, "theme": th, "rank": rank})
    return rows
