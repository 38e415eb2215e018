"""Priority per unit and theme: what the city said (s) combined with measured need (g).

P = s^α · g^(1−α) (× scale), with s = (T − r + 1)/T for a theme the city ranked r among
T themes (s = 0 when not stated) and g the need in the theme's dimension on 0..1. The
product is non-compensatory: a theme neither stated nor measured cannot rank high.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from hub.scoring.methodology import Methodology


def priority_scores(dimensions: pd.DataFrame, stated_ranks: pd.DataFrame,
                    method: Methodology) -> pd.DataFrame:
    """Priority rows for every unit of ``dimensions`` (and of ``stated_ranks``) × theme.

    dimensions: units × dimensions on 0..scale (index = unit).
    stated_ranks: columns ``unit``, ``theme``, ``rank`` (the city's own ranking).
    Returns columns unit, theme, stated, need (0..1), score (0..scale), rank (1 = top).
    """
    themes = method.priority.themes
    cols = ["unit", "theme", "stated", "need", "score", "rank"]
    units = list(dict.fromkeys(list(dimensions.index) + list(stated_ranks.get("unit", []))))
    if not themes or not units:
        return pd.DataFrame(columns=cols)
    t = len(themes)
    grid = pd.MultiIndex.from_product([units, list(themes)], names=["unit", "theme"])
    out = pd.DataFrame(index=grid).reset_index()
    if len(stated_ranks):
        ranks = stated_ranks.drop_duplicates(["unit", "theme"])[["unit", "theme", "rank"]]
        out = out.merge(ranks, on=["unit", "theme"], how="left")
    else:
        out["rank"] = np.nan
    r = pd.to_numeric(out.pop("rank"), errors="coerce").to_numpy(float)
    ok = (r >= 1) & (r <= t)
    out["stated"] = np.where(ok, (t - r + 1) / t, 0.0)
    need = (dimensions.reindex(units) / method.scale).reindex(
        columns=sorted(set(themes.values())))
    long = need.rename_axis("unit").reset_index().melt(
        id_vars="unit", var_name="dimension", value_name="need")
    out["dimension"] = out["theme"].map(themes)
    out = out.merge(long, on=["unit", "dimension"], how="left")
    a = method.priority.alpha
    with np.errstate(invalid="ignore"):
        out["score"] = np.power(out["stated"], a) * np.power(out["need"], 1 - a) * method.scale
    out["rank"] = out.groupby("unit")["score"].rank(ascending=False, method="min").astype("Int64")
    return out[cols]
