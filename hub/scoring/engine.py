"""Normalise, orient and aggregate indicators into dimension scores and an index.

Pure numpy/pandas, vectorised over units (and, for the Monte Carlo, over weight draws).
Internally every score is on 0..1; ``Scores`` reports dimensions and the index on 0..scale.

Order of operations per indicator: cap → log transform → min-max normalisation onto 0..1
(goalposts when given, clipped to them; otherwise the observed min/max, which the caller may
pass in as ``bounds`` so that several periods share one scale) → orientation (1 − x for the
indicators whose high raw value means the opposite of what the index measures). Then a
weighted arithmetic or geometric mean over the observed indicators of each dimension
(missing ones dropped, remaining weights renormalised), and the same over the dimensions.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from hub.scoring.methodology import Methodology, MethodologyError

NO_SPREAD = 0.5   # normalised value when min == max (no variation observed, no goalposts)


# --- input -----------------------------------------------------------------------------
def check_input(frame: pd.DataFrame, method: Methodology) -> None:
    """Raise MethodologyError when the input lacks a column or holds non-numbers."""
    missing = [c for c in method.columns if c not in frame.columns]
    if missing:
        raise MethodologyError(
            f"the method names column(s) the input lacks: {', '.join(missing)}")
    for col in method.columns:
        values = pd.to_numeric(frame[col], errors="coerce")
        bad = values.isna() & frame[col].notna() & (frame[col].astype(str).str.strip() != "")
        if bad.any():
            raise MethodologyError(
                f"column {col!r} holds a non-numeric value: {frame[col][bad].iloc[0]!r}")


def prepare(frame: pd.DataFrame, method: Methodology) -> pd.DataFrame:
    """Raw values per indicator id (float), capped and log-transformed; NaN = missing."""
    out = {}
    for ind in method.indicators.values():
        col = pd.to_numeric(frame[ind.column], errors="coerce").astype(float)
        if ind.cap is not None:
            col = col.clip(upper=ind.cap)
        if ind.transform == "log":
            if (col <= 0).any():
                raise MethodologyError(
                    f"indicator {ind.id!r}: log transform over a value <= 0")
            col = np.log(col)
        out[ind.id] = col.to_numpy()
    return pd.DataFrame(out, index=frame.index, columns=list(method.indicators))


def bounds(prepared: pd.DataFrame, method: Methodology) -> tuple[pd.Series, pd.Series]:
    """(lo, hi) per indicator: goalposts when given (logged for log indicators), else observed."""
    lo = prepared.min(skipna=True)
    hi = prepared.max(skipna=True)
    for ind in method.indicators.values():
        f = np.log if ind.transform == "log" else float
        if ind.min is not None:
            lo[ind.id] = f(ind.min)
        if ind.max is not None:
            hi[ind.id] = f(ind.max)
    return lo.astype(float), hi.astype(float)


def normalise(prepared: pd.DataFrame, method: Methodology,
              lohi: tuple[pd.Series, pd.Series] | None = None) -> pd.DataFrame:
    """Oriented 0..1 values (1 = the end the index measures); NaN stays NaN."""
    lo, hi = lohi if lohi is not None else bounds(prepared, method)
    lo = lo.reindex(prepared.columns).to_numpy(float)
    hi = hi.reindex(prepared.columns).to_numpy(float)
    x = prepared.to_numpy(float)
    span = hi - lo
    with np.errstate(invalid="ignore", divide="ignore"):
        z = np.where(span > 0, (x - lo) / np.where(span > 0, span, 1.0), NO_SPREAD)
    z = np.where(np.isnan(x), np.nan, np.clip(z, 0.0, 1.0))
    flip = np.array([not method.keeps_direction(i) for i in method.indicators.values()])
    z = np.where(flip, 1.0 - z, z)
    return pd.DataFrame(z, index=prepared.index, columns=prepared.columns)


# --- aggregation core (shared with the Monte Carlo) --------------------------------------
def structure(method: Methodology) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Membership matrix M (k × D), indicator weights w (k), dimension weights v (D),
    geometric flags per dimension (D)."""
    dims = list(method.dimensions)
    inds = list(method.indicators.values())
    m = np.zeros((len(inds), len(dims)))
    for j, ind in enumerate(inds):
        m[j, dims.index(ind.dimension)] = 1.0
    w = np.array([i.weight for i in inds], float)
    v = np.array([d.weight for d in method.dimensions.values()], float)
    geo = np.array([d.aggregation == "geometric" for d in method.dimensions.values()])
    return m, w, v, geo


def weighted_mean(x: np.ndarray, w: np.ndarray, m: np.ndarray, geo: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Group means of x over observed entries.

    x: (..., n, k) values in 0..1, NaN = missing; w: (..., k) weights; m: (k, G) membership;
    geo: (G,) geometric flags. Returns means (..., n, G) (NaN when nothing observed) and the
    observed weight (..., n, G). Zeros in geometric groups must be rejected by the caller.
    """
    obs = ~np.isnan(x)
    big_w = w[..., :, None] * m                            # (..., k, G)
    if geo.any():
        col_geo = (m @ geo.astype(float)) > 0
        with np.errstate(divide="ignore", invalid="ignore"):
            x = np.where(col_geo, np.log(np.where(obs, x, 1.0)), x)
    num = _weighted_sums(np.where(obs, x, 0.0), big_w)
    den = _weighted_sums(obs.astype(float), big_w)
    mean = np.full(num.shape, np.nan)
    np.divide(num, den, out=mean, where=den > 0)
    if geo.any():
        mean = np.where(geo, np.exp(mean), mean)
    return mean, den


def _weighted_sums(x: np.ndarray, big_w: np.ndarray) -> np.ndarray:
    """x (..., n, k) times big_w (..., k, G) → (..., n, G)."""
    if x.ndim > 2 and big_w.shape[-1] == 1:               # many inputs, one group each
        return np.einsum("...nk,...k->...n", x, big_w[..., 0])[..., None]
    return x @ big_w


def _reject_geometric_zeros(norm: pd.DataFrame, method: Methodology,
                            dim_scores: pd.DataFrame | None = None) -> None:
    for ind in method.indicators.values():
        if method.dimensions[ind.dimension].aggregation == "geometric":
            zero = norm[ind.id] == 0
            if zero.any():
                raise MethodologyError(
                    f"geometric aggregation over a zero: indicator {ind.id!r} of unit "
                    f"{norm.index[zero.to_numpy()][0]!r} normalises to 0")
    if dim_scores is not None and method.aggregation == "geometric":
        zero = (dim_scores == 0).any(axis=1)
        if zero.any():
            raise MethodologyError(
                "geometric aggregation over a zero: a dimension score of unit "
                f"{dim_scores.index[zero.to_numpy()][0]!r} is 0")


def rank_desc(score: pd.Series) -> pd.Series:
    """1 = highest score; ties share the best rank; missing scores get no rank."""
    return score.rank(ascending=False, method="min").astype("Int64")


# --- the result --------------------------------------------------------------------------
@dataclass
class Scores:
    """Everything one scoring run yields, indexed by unit."""
    method: Methodology
    normalised: pd.DataFrame      # units × indicators, oriented 0..1
    dimensions: pd.DataFrame      # units × dimensions, 0..scale
    dimension_coverage: pd.DataFrame
    score: pd.Series              # 0..scale
    coverage: pd.Series           # 0..1
    weights: pd.DataFrame         # units × indicators: effective weight after renormalising

    @property
    def flagged(self) -> pd.Series:
        return self.coverage < self.method.coverage_threshold

    @property
    def rank(self) -> pd.Series:
        return rank_desc(self.score)

    @property
    def contributions(self) -> pd.DataFrame:
        """Effective weight × normalised value on 0..scale; sums to an arithmetic score."""
        return self.weights * self.normalised.fillna(0.0) * self.method.scale

    def table(self) -> pd.DataFrame:
        """One row per unit: unit column, each dimension, score, rank, coverage, flagged."""
        out = self.dimensions.copy()
        out["score"] = self.score
        out["rank"] = self.rank
        out["coverage"] = self.coverage
        out["flagged"] = self.flagged
        out.index.name = self.method.unit_column
        return out.reset_index()


def aggregate(norm: pd.DataFrame, method: Methodology) -> Scores:
    """Dimension scores, index, coverage and effective weights from oriented values."""
    m, w, v, geo = structure(method)
    _reject_geometric_zeros(norm, method)
    x = norm.to_numpy(float)
    dim, dim_w = weighted_mean(x, w, m, geo)                  # (n, D)
    dim_cov = dim_w / (w @ m)
    idx_geo = np.array([method.aggregation == "geometric"])
    dims = pd.DataFrame(dim, index=norm.index, columns=list(method.dimensions))
    _reject_geometric_zeros(norm, method, dims)
    score, obs_v = weighted_mean(dim, v, np.ones((len(v), 1)), idx_geo)
    coverage = (dim_cov @ v) / v.sum()
    # effective weight of indicator j for unit u: dimension share × indicator share (observed)
    obs = ~np.isnan(x)
    with np.errstate(divide="ignore", invalid="ignore"):
        ind_share = np.where(obs, w, 0.0) / (dim_w @ m.T)     # w_j / observed weight of its dim
        dim_share = np.where(~np.isnan(dim), v, 0.0) / obs_v  # v_d / observed dim weight
        eff = np.nan_to_num(ind_share * (dim_share @ m.T))
    return Scores(
        method=method, normalised=norm,
        dimensions=dims * method.scale,
        dimension_coverage=pd.DataFrame(dim_cov, index=norm.index, columns=dims.columns),
        score=pd.Series(score[:, 0] * method.scale, index=norm.index, name="score"),
        coverage=pd.Series(coverage, index=norm.index, name="coverage"),
        weights=pd.DataFrame(eff, index=norm.index, columns=norm.columns),
    )


def score_frame(frame: pd.DataFrame, method: Methodology,
                lohi: tuple[pd.Series, pd.Series] | None = None) -> Scores:
    """Score a wide frame (one row per unit, one column per indicator column)."""
    check_input(frame, method)
    if method.unit_column in frame.columns:
        frame = frame.set_index(method.unit_column)
    prepared = prepare(frame, method)
    return aggregate(normalise(prepared, method, lohi), method)
