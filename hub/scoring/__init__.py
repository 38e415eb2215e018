"""Composite-index engine: methodology as data, transparent and robust scores.

Public API:
- ``load_methodology(path=None) -> Methodology`` (data/methodology.toml by default)
- ``score_frame(frame, method) -> Scores`` (wide input, one row per unit)
- ``rank_intervals(normalised, method) -> DataFrame`` (Monte Carlo rank interval, top mover)
- ``whatif(dim_scores, weights, aggregation, scale)`` (re-weight stored dimension scores)
- ``need_support_gap(need_pct, support_pct)`` (positive = underserved)
- ``hub.scoring.store.rescore(engine)`` writes every score table.
"""
from hub.scoring.engine import Scores, score_frame
from hub.scoring.methodology import Methodology, MethodologyError, load_methodology
from hub.scoring.montecarlo import rank_intervals
from hub.scoring.whatif import need_support_gap, whatif

__all__ = ["Methodology", "MethodologyError", "Scores", "load_methodology", "need_support_gap",
           "rank_intervals", "score_frame", "whatif"]
