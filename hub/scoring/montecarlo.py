"""Uncertainty and sensitivity of ranks: a seeded Monte Carlo over weights plus leave-one-out.

Draw b multiplies every indicator weight and every dimension weight by an independent
uniform factor in [1 − p, 1 + p] (p = ``weight_perturbation``) and, in turn, leaves out one
indicator: draw b drops indicator number (b mod (k + 1)) − 1, so a k-th of the draws keep all
indicators and each indicator is left out equally often. Each unit's rank in every draw gives
its interval (5th–95th percentile, empirical: both ends are ranks that occurred). The *top mover* is the indicator whose omission, at the
nominal weights, moves the unit's rank most (ties: the larger change of score).
Draws are computed together with numpy, never one Python iteration per draw: with arithmetic
means the index of a unit with every value observed is linear in its values, so all draws are
one (draws × indicators) @ (indicators × units) product; units with gaps (or geometric means)
take matrix products over draws × dimensions, in chunks of bounded memory.
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from hub.scoring.engine import structure
from hub.scoring.methodology import Methodology

CHUNK_CELLS = 4_000_000   # draws × dimensions × units computed at once (~32 MB per array)


def _means(num: np.ndarray, den: np.ndarray, geometric) -> np.ndarray:
    """num / den (NaN where nothing was observed), exponentiated where ``geometric``.

    ``den`` may be any shape that broadcasts to ``num`` (one weight sum per draw and
    dimension when data are complete): the positivity check then runs on the small array.
    """
    positive = den > 0
    if positive.all():
        out = num / den
    else:
        out = np.full(num.shape, np.nan)
        np.divide(num, den, out=out, where=positive)
    geometric = np.asarray(geometric)
    return np.where(geometric, np.exp(out), out) if geometric.any() else out


def _index(x: np.ndarray, w: np.ndarray, v: np.ndarray, m: np.ndarray, geo: np.ndarray,
           index_geo: bool) -> np.ndarray:
    """Index scores (B, n) on 0..1 for weight batches w (B, k) and v (B, D).

    Same arithmetic as engine.weighted_mean, laid out as (draws, dimensions, units) so that
    each level is one matrix product or one contiguous reduction.
    """
    obs = ~np.isnan(x)
    if geo.any():
        col_geo = (m @ geo.astype(float)) > 0
        x = np.where(col_geo, np.log(np.where(obs, x, 1.0)), x)
    b, (k, d) = w.shape[0], m.shape
    wm = (w[:, :, None] * m).transpose(0, 2, 1).reshape(b * d, k)     # (B·D, k)
    complete = bool(obs.all())
    if complete:                                       # complete data: x as is, den per draw
        num = (wm @ x.T).reshape(b, d, -1)                            # (B, D, n)
        den = wm.sum(axis=1).reshape(b, d, 1)                         # broadcasts over n
    else:
        num = (wm @ np.where(obs, x, 0.0).T).reshape(b, d, -1)
        den = (wm @ obs.T.astype(float)).reshape(b, d, -1)
    dims = _means(num, den, geo[None, :, None])
    if index_geo:
        with np.errstate(divide="ignore"):
            dims = np.log(dims)
    # complete arithmetic data with positive weight sums cannot yield a missing dimension;
    # otherwise look (a scan of the whole B × D × n array)
    if (complete and not index_geo and not geo.any() and (den > 0).all()) \
            or not np.isnan(dims).any():               # the common case: none missing
        return _means(np.einsum("bdn,bd->bn", dims, v), v.sum(axis=1)[:, None], index_geo)
    seen = ~np.isnan(dims)
    num_i = np.einsum("bdn,bd->bn", np.where(seen, dims, 0.0), v)
    return _means(num_i, np.einsum("bdn,bd->bn", seen * 1.0, v), index_geo)


def _index_linear(x: np.ndarray, w: np.ndarray, v: np.ndarray, m: np.ndarray) -> np.ndarray:
    """Index scores (B, n) for complete data and arithmetic means at every level.

    Then the index is linear in x: Σ_j x_j · v_d(j) / (W_d(j) · V) with W_d the indicator
    weight of dimension d in the draw and V the weight of the dimensions it observes, so each
    draw is one row of a (B, k) @ (k, n) product, with no (B, D, n) intermediate. Equal to
    ``_index`` up to rounding in the last bits.
    """
    dim_w = w @ m                                                      # (B, D)
    seen = dim_w > 0                                                   # a dimension with weight
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(seen, v, 0.0) / np.where(seen, dim_w, 1.0)    # v_d / W_d
        total = np.where(seen, v, 0.0).sum(axis=1, keepdims=True)      # V
        eff = w * (share @ m.T) / total                                # (B, k)
    out = eff @ x.T
    out[(total <= 0)[:, 0]] = np.nan                                   # nothing observed
    return out


def _ranks(scores: np.ndarray) -> np.ndarray:
    """Ordinal ranks along the last axis, 1 = highest; NaN scores get NaN.

    Ties keep their input order (as a stable sort): rows are sorted with the faster
    unstable sort, and only rows where two finite scores tie are sorted again stably.
    """
    missing = np.isnan(scores)
    key = -scores
    if missing.any():
        key[missing] = np.inf
    order = np.argsort(key, axis=-1)
    if key.shape[-1] > 1:
        ordered = np.take_along_axis(key, order, axis=-1)
        tied = ((ordered[..., 1:] == ordered[..., :-1]) & np.isfinite(ordered[..., 1:])).any(-1)
        if tied.any():
            order[tied] = np.argsort(key[tied], axis=-1, kind="stable")
    ranks = np.empty(scores.shape, float)
    np.put_along_axis(ranks, order, np.arange(1, scores.shape[-1] + 1, dtype=float), axis=-1)
    if missing.any():
        ranks[missing] = np.nan
    return ranks


def _rank_percentiles(ranks: np.ndarray, q: list[float]) -> np.ndarray:
    """``np.percentile(ranks, q, axis=0, method="inverted_cdf")`` for complete whole ranks
    1..n (draws × n): the order statistic numpy would pick, found by counting each unit's
    ranks instead of partitioning every column."""
    draws, n = ranks.shape
    kth = np.percentile(np.arange(draws), q, method="inverted_cdf").astype(np.int64)
    cells = ranks.astype(np.int64) - 1 + np.arange(n, dtype=np.int64) * n      # unit × rank
    cum = np.bincount(cells.ravel(), minlength=n * n).reshape(n, n).cumsum(axis=1)
    return np.stack([(cum > k).argmax(axis=1) + 1.0 for k in kth])


def rank_intervals(norm: pd.DataFrame, method: Methodology, *, draws: int | None = None,
                   seed: int | None = None) -> pd.DataFrame:
    """Per unit: rank_p05, rank_p95, rank_uncertain, top_mover (indicator id or None).

    ``norm`` is the oriented 0..1 frame (units × indicators) the engine produced.
    """
    mc = method.montecarlo
    draws = draws or mc.draws
    rng = np.random.default_rng(mc.seed if seed is None else seed)
    m, w, v, geo = structure(method)
    index_geo = method.aggregation == "geometric"
    x = norm.to_numpy(float)
    n, k = x.shape
    cols = ["rank_p05", "rank_p95", "rank_uncertain", "top_mover"]
    if n == 0:
        return pd.DataFrame(columns=cols, index=norm.index)

    nominal = _index(x, w[None], v[None], m, geo, index_geo)[0]     # (n,)
    valid = ~np.isnan(nominal)
    p = mc.weight_perturbation
    wb = w * rng.uniform(1 - p, 1 + p, size=(draws, k))
    vb = v * rng.uniform(1 - p, 1 + p, size=(draws, len(v)))
    left_out = np.arange(draws) % (k + 1) - 1
    drop = left_out >= 0
    wb[np.nonzero(drop)[0], left_out[drop]] = 0.0
    # units with every value observed take the linear kernel when all means are arithmetic
    linear = ~np.isnan(x).any(axis=1) if not geo.any() and not index_geo else np.zeros(n, bool)
    if linear.all():                                               # the common case
        part = _index_linear(x, wb, vb, m)
        part[:, ~valid] = np.nan
        ranks = _ranks(part)
    else:
        rest = ~linear
        step = max(1, CHUNK_CELLS // max(1, len(v) * int(rest.sum())))   # bound the memory
        ranks = np.empty((draws, n))
        for start in range(0, draws, step):
            chunk = slice(start, start + step)
            part = np.empty((len(wb[chunk]), n))
            part[:, rest] = _index(x[rest], wb[chunk], vb[chunk], m, geo, index_geo)
            if linear.any():
                part[:, linear] = _index_linear(x[linear], wb[chunk], vb[chunk], m)
            part[:, ~valid] = np.nan
            ranks[chunk] = _ranks(part)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)    # units ranked in no draw
        if np.isnan(ranks).any():                        # ranks actually drawn
            lo, hi = np.nanpercentile(ranks, [5, 95], axis=0, method="inverted_cdf")
        else:
            lo, hi = _rank_percentiles(ranks, [5, 95])
    n_ranked = int(valid.sum())
    width = mc.rank_uncertain_width
    limit = width * n_ranked if width < 1 else width
    uncertain = (hi - lo) > limit

    # leave-one-out at nominal weights: which indicator moves each rank most
    loo_w = np.repeat(w[None], k, axis=0)
    loo_w[np.arange(k), np.arange(k)] = 0.0
    loo = _index(x, loo_w, np.repeat(v[None], k, axis=0), m, geo, index_geo)   # (k, n)
    loo[:, ~valid] = np.nan
    base_rank = _ranks(nominal[None])[0]
    shift = np.abs(np.nan_to_num(_ranks(loo) - base_rank, nan=0.0))
    delta = np.abs(np.nan_to_num(loo - nominal, nan=0.0))
    key = shift + 0.999 * np.minimum(delta, 1.0)
    best = np.argmax(key, axis=0)
    ids = np.array(list(method.indicators), dtype=object)
    mover = np.where(key.max(axis=0) > 0, ids[best], None)

    out = pd.DataFrame({
        "rank_p05": np.where(valid, lo, np.nan),
        "rank_p95": np.where(valid, hi, np.nan),
        "rank_uncertain": valid & uncertain,
        "top_mover": np.where(valid, mover, None),
    }, index=norm.index)
    return out
