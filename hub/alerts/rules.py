"""Change rules: pure functions from the query layer's DataFrames to items (no store, no I/O).

Inputs: ``hub.queries.alerts.need_pairs`` / ``load_pairs`` (one row per city: previous and
current score, rank, Monte Carlo rank interval p05–p95, ranked count, underserved flag) and
``absorption_pairs`` / ``absorption_load_pairs`` (per economy or own city). Outputs have
``hub.queries.alerts.ITEM_COLUMNS`` plus ``before`` and ``after``; ``basis`` ("period" or
"load") goes into the key, so a change between two periods and one between two loads are
told separately, each once.
"""
from __future__ import annotations

import math
from urllib.parse import urlencode

import pandas as pd

CHANGE_RULES = ("need_change", "rank_move", "top_quartile", "underserved", "absorption_drop")
# One shape for every item, action or change (hub.queries.alerts uses it too).
ITEM_COLUMNS = ["rule", "problem", "ref", "label", "municipality_code", "name", "name_local", "country",
                "due_on", "days_overdue", "page", "query", "key", "fingerprint", "before", "after", "basis"]
CHANGE_COLUMNS = ITEM_COLUMNS


def _items(df: pd.DataFrame, rule: str, problem, before, after, basis: str) -> pd.DataFrame:
    if df.empty:
        return pd.DataFrame(columns=CHANGE_COLUMNS)
    out = df.copy()
    out["rule"], out["problem"], out["basis"] = rule, list(problem), basis
    out["before"], out["after"] = list(before), list(after)
    out["ref"] = out["municipality_code"]
    out["label"] = [f"{a} → {b}" for a, b in zip(out["period_previous"], out["period"])]
    out["due_on"], out["days_overdue"] = None, None
    out["page"] = "city"
    out["query"] = [urlencode({"city": c, "period": p}) if basis == "period" else urlencode({"city": c})
                    for c, p in zip(out["municipality_code"], out["period"])]
    out["key"] = [f"{rule}:{basis}:{c}:{a}>{b}" for c, a, b in
                  zip(out["municipality_code"], out["period_previous"], out["period"])]
    out["fingerprint"] = [str(p) for p in out["problem"]]
    return out[CHANGE_COLUMNS].reset_index(drop=True)


def need_change(pairs: pd.DataFrame, points: float, basis: str = "period") -> pd.DataFrame:
    """Cities whose need index moved by at least ``points`` (0–100 scale): ``rose`` or ``fell``."""
    delta = pairs["score"] - pairs["score_previous"]
    hit = pairs[delta.abs() >= float(points)]
    d = delta[hit.index]
    return _items(hit, "need_change", ["rose" if x > 0 else "fell" for x in d],
                  hit["score_previous"], hit["score"], basis)


def _outside(value, low, high) -> bool:
    """True when ``value`` lies outside [low, high]; an unknown interval does not hold it back."""
    if pd.isna(low) or pd.isna(high):
        return True
    return value < low or value > high


def rank_move(pairs: pd.DataFrame, places: int, basis: str = "period") -> pd.DataFrame:
    """Cities whose rank moved by at least ``places`` *and* beyond noise: the new rank lies
    outside the previous rank interval (p05–p95) and the previous rank outside the new one.
    ``up`` = towards rank 1 (more need than others), ``down`` = away from it."""
    df = pairs.dropna(subset=["rank", "rank_previous"])
    moved = df["rank_previous"] - df["rank"]
    keep = [abs(m) >= int(places)
            and _outside(r, lo0, hi0) and _outside(r0, lo, hi)
            for m, r, r0, lo, hi, lo0, hi0 in zip(moved, df["rank"], df["rank_previous"], df["rank_p05"],
                                                  df["rank_p95"], df["rank_p05_previous"], df["rank_p95_previous"])]
    keep = pd.Series(keep, index=df.index, dtype=bool)
    hit = df[keep]
    return _items(hit, "rank_move", ["up" if m > 0 else "down" for m in moved[keep]],
                  hit["rank_previous"].astype(int), hit["rank"].astype(int), basis)


def _in_top(rank, ranked, share: float) -> bool:
    if pd.isna(rank) or pd.isna(ranked) or not ranked:
        return False
    return rank <= math.ceil(float(ranked) * share)


def top_quartile(pairs: pd.DataFrame, share: float = 0.25, basis: str = "period") -> pd.DataFrame:
    """Cities that entered the top-need group (rank within the first ``share`` of ranked cities)."""
    keep = [_in_top(r, n, share) and not _in_top(r0, n0, share)
            for r, n, r0, n0 in zip(pairs["rank"], pairs["ranked"], pairs["rank_previous"], pairs["ranked_previous"])]
    hit = pairs[pd.Series(keep, index=pairs.index, dtype=bool)]
    return _items(hit, "top_quartile", ["entered"] * len(hit), hit["rank_previous"], hit["rank"], basis)


def underserved(pairs: pd.DataFrame, basis: str = "period") -> pd.DataFrame:
    """Cities that crossed into the underserved quadrant (need high, support low)."""
    now = pairs["underserved"].fillna(False).astype(bool)
    before = pairs["underserved_previous"].fillna(False).astype(bool)
    hit = pairs[now & ~before]
    return _items(hit, "underserved", ["entered"] * len(hit), hit["score_previous"], hit["score"], basis)


def absorption_drop(pairs: pd.DataFrame, points: float, basis: str = "period") -> pd.DataFrame:
    """Economies (or the mayor's city) whose absorption (disbursed ÷ approved) fell by at least
    ``points`` percentage points."""
    if pairs.empty:
        return pd.DataFrame(columns=CHANGE_COLUMNS)
    drop = (pairs["absorption_previous"] - pairs["absorption"]) * 100
    hit = pairs[drop >= float(points)].copy()
    if hit.empty:
        return pd.DataFrame(columns=CHANGE_COLUMNS)
    city = hit["name"].notna()                 # a city's own row (a mayor); else an economy
    out = _items(hit.assign(municipality_code=hit["group"]), "absorption_drop", ["fell"] * len(hit),
                 hit["absorption_previous"], hit["absorption"], basis)
    out["municipality_code"] = [g if c else None for g, c in zip(hit["group"], city)]
    out["page"] = ["city" if c else "fund" for c in city]
    out["query"] = [urlencode({"city": g}) if c else urlencode({"country": g}) for g, c in zip(hit["group"], city)]
    return out


def evaluate(need: pd.DataFrame, absorption: pd.DataFrame, settings, basis: str = "period",
             rules=CHANGE_RULES) -> pd.DataFrame:
    """Every change rule in ``rules`` over one pair of states, as one frame."""
    parts = []
    if "need_change" in rules:
        parts.append(need_change(need, settings.changes_need_points, basis))
    if "rank_move" in rules:
        parts.append(rank_move(need, settings.changes_rank_places, basis))
    if "top_quartile" in rules:
        parts.append(top_quartile(need, settings.changes_top_quartile, basis))
    if "underserved" in rules:
        parts.append(underserved(need, basis))
    if "absorption_drop" in rules:
        parts.append(absorption_drop(absorption, settings.changes_absorption_points, basis))
    parts = [p for p in parts if len(p)]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=CHANGE_COLUMNS)
