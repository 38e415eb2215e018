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
                    method: Methodology, keys: list[str] | None = None) -> pd.DataFrame:
    """Priority rows for every unit of ``dimensions`` (and of ``stated_ranks``) × theme.

    dimensions: units × dimensions on 0..scale, indexed by ``keys`` (default ``["unit"]``;
    the store uses ``["municipality_code", "period"]`` to score every period at once).
    stated_ranks: columns ``keys`` + ``theme``, ``rank`` (the city's own ranking).
    Returns columns keys + theme, stated, need (0..1), score (0..scale), rank (1 = top).
    """
    keys = keys or ["unit"]
    themes = method.priority.themes
    cols = [*keys, "theme", "stated", "need", "score", "rank"]
    dimensions = dimensions.rename_axis(keys if len(keys) > 1 else keys[0])
    units = dimensions.index.to_frame(index=False)
    if len(stated_ranks):
        units = pd.concat([units, stated_ranks[keys]]).drop_duplicates()
    if not themes or units.empty:
        return pd.DataFrame(columns=cols)
    t = len(themes)
    out = units.merge(pd.DataFrame({"theme": list(themes)}), how="cross")
    if len(stated_ranks):
        ranks = stated_ranks.drop_duplicates([*keys, "theme"])[[*keys, "theme", "rank"]]
        out = out.merge(ranks, on=[*keys, "theme"], how="left")
    else:
        out["rank"] = np.nan
    r = pd.to_numeric(out.pop("rank"), errors="coerce").to_numpy(float)
    ok = (r >= 1) & (r <= t)
    out["stated"] = np.where(ok, (t - r + 1) / t, 0.0)
    need = (dimensions / method.scale).reindex(columns=sorted(set(themes.values())))
    long = need.rename_axis(columns="dimension").stack(future_stack=True).rename("need")
    out["dimension"] = out["theme"].map(themes)
    out = out.merge(long.reset_index(), on=[*keys, "dimension"], how="left")
    a = method.priority.alpha
    with np.errstate(invalid="ignore"):
        out["score"] = np.power(out["stated"], a) * np.power(out["need"], 1 - a) * method.scale
    out["rank"] = out.groupby(keys)["score"].rank(ascending=False, method="min").astype("Int64")
    return out[cols]
