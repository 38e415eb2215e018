"""Small pure helpers for pages: re-weight stored dimension scores; need versus support."""
from __future__ import annotations

import numpy as np
import pandas as pd

from hub.scoring.engine import rank_desc, weighted_mean
from hub.scoring.methodology import AGGREGATIONS, MethodologyError


def whatif(dim_scores: pd.DataFrame, weights: dict[str, float],
           aggregation: str = "arithmetic", scale: float = 100) -> pd.DataFrame:
    """Recompute the index from stored dimension scores with new dimension weights.

    ``dim_scores`` is either wide (index = unit, one column per dimension, 0..scale) or long
    (columns ``municipality_code``, ``dimension``, ``score``, as in DimensionScore; one
    period). Dimensions missing for a unit are dropped and the weights renormalised, as the
    engine does. Returns a frame indexed by unit with ``score`` (0..scale) and ``rank``.
    """
    if {"dimension", "score"} <= set(dim_scores.columns):
        if "municipality_code" not in dim_scores.columns:
            raise MethodologyError("a long frame of dimension scores needs municipality_code")
        dim_scores = dim_scores.pivot_table(index="municipality_code", columns="dimension",
                                            values="score", aggfunc="first", dropna=False)
    if aggregation not in AGGREGATIONS:
        raise MethodologyError(f"unknown aggregation {aggregation!r}")
    if any(w < 0 for w in weights.values()) or sum(weights.values()) <= 0:
        raise MethodologyError("weights must be non-negative and not all zero")
    dims = [d for d in weights if d in dim_scores.columns]
    x = dim_scores.reindex(columns=dims).to_numpy(float) / scale
    v = np.array([float(weights[d]) for d in dims])
    if aggregation == "geometric" and np.any(x[~np.isnan(x)] == 0):
        raise MethodologyError("geometric aggregation over a zero dimension score")
    score, _ = weighted_mean(x, v, np.ones((len(dims), 1)),
                             np.array([aggregation == "geometric"]))
    out = pd.DataFrame({"score": score[:, 0] * scale}, index=dim_scores.index)
    out["rank"] = rank_desc(out["score"])
    return out


def need_support_gap(need_pct, support_pct):
    """Need percentile minus support percentile (0..100 or 0..1 alike): positive = underserved.

    Works on scalars, numpy arrays and pandas Series; NaN/None propagate.
    """
    if isinstance(need_pct, pd.Series) or isinstance(support_pct, pd.Series):
        return pd.to_numeric(need_pct, errors="coerce") - pd.to_numeric(support_pct,
                                                                           errors="coerce")
    if need_pct is None or support_pct is None:
        return None
    return np.asarray(need_pct, float) - np.asarray(support_pct, float) \
        if np.ndim(need_pct) or np.ndim(support_pct) else float(need_pct) - float(support_pct)
