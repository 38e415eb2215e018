"""Methodology page reads: the methodology file as tables, data quality and data freshness.

Open to every role (a viewer of unknown role gets no rows), so nothing here is city-level: the methodology comes from the file
(``hub.scoring.load_methodology``), data quality is counts of missing values per indicator
and period, freshness and the load history come from ``load_log`` (dataset, file, date,
outcome, row counts; never who loaded it nor the refusal messages, which can quote rows).
"""
from __future__ import annotations

from datetime import datetime, timezone

import pandas as pd
from sqlalchemy import and_, distinct, func, select

from hub.access import Viewer
from hub.models import Indicator, IndicatorValue, LoadLog
from hub.queries import scope
from hub.queries.base import read
from hub.scoring import load_methodology

IND = Indicator.__table__
IV = IndicatorValue.__table__
L = LoadLog.__table__

# Expected update interval and grace period per dataset, in days, as HDX does: a dataset
# is up to date within its interval, due until the grace period has also passed, overdue
# after that. Needs assessments are annual; operational records are kept up monthly or weekly.
UPDATE_INTERVALS: dict[str, tuple[int, int]] = {
    "municipalities": (365, 90),
    "indicators": (365, 90),
    "indicator_values": (365, 90),
    "priorities": (365, 90),
    "fund_applications": (30, 14),
    "disbursements": (30, 14),
    "results": (90, 30),
    "helpdesk_requests": (7, 7),
    "events": (30, 14),
    "participants": (30, 14),
}
FRESHNESS = ("up_to_date", "due", "overdue", "never_loaded")


def _for(viewer: Viewer, frame: pd.DataFrame) -> pd.DataFrame:
    """The frame for a viewer of a known role; its columns without rows for anyone else."""
    return frame if scope.known(viewer) else frame.iloc[0:0]


# --- the methodology file ----------------------------------------------------------------
def method_settings(viewer: Viewer, *, path: str | None = None) -> pd.DataFrame:
    """One row: the index's settings, the coverage rule, the priority rule and the Monte Carlo."""
    m = load_methodology(path)
    return _for(viewer, pd.DataFrame([{
        "id": m.id, "name": m.name, "measures": m.measures, "aggregation": m.aggregation,
        "scale": m.scale, "coverage_threshold": m.coverage_threshold,
        "alpha": m.priority.alpha, "themes": len(m.priority.themes),
        "draws": m.montecarlo.draws, "weight_perturbation": m.montecarlo.weight_perturbation,
        "seed": m.montecarlo.seed, "rank_uncertain_width": m.montecarlo.rank_uncertain_width,
        "dimensions": len(m.dimensions), "indicators": len(m.indicators), "source": m.source,
    }]))


def method_dimensions(viewer: Viewer, *, path: str | None = None) -> pd.DataFrame:
    """One row per dimension: weight, share of the index, aggregation, number of indicators."""
    return _for(viewer, load_methodology(path).dimensions_frame())


def method_indicators(viewer: Viewer, *, engine=None, path: str | None = None) -> pd.DataFrame:
    """One row per scored indicator: dimension, polarity, goalposts, cap, transform, weight and
    effective weight in the index, with the catalogue's unit, source and sensitive flag."""
    frame = load_methodology(path).indicators_frame()
    catalogue = read(select(IND.c.code, IND.c.name.label("catalogue_name"), IND.c.unit.label("catalogue_unit"),
                            IND.c.source, IND.c.sensitive), engine)
    out = frame.merge(catalogue, left_on="indicator", right_on="code", how="left").drop(columns="code")
    out["unit"] = out["unit"].where(out["unit"].astype(bool), out["catalogue_unit"])
    out["name"] = out["name"].where(out["name"] != out["indicator"], out["catalogue_name"].fillna(out["name"]))
    out["sensitive"] = out["sensitive"].fillna(False).astype(bool)
    return _for(viewer, out.drop(columns=["catalogue_name", "catalogue_unit"]))


def method_themes(viewer: Viewer, *, path: str | None = None) -> pd.DataFrame:
    """Priority themes and the dimension whose measured need backs each."""
    themes = load_methodology(path).priority.themes
    return _for(viewer, pd.DataFrame({"theme": list(themes), "dimension": list(themes.values())}))


# --- the store ------------------------------------------------------------------------------
def data_quality(viewer: Viewer, *, engine=None) -> pd.DataFrame:
    """Missing values per indicator and period: of the municipalities assessed in a period (any
    value that period), how many lack a value for the indicator. Counts only, no city.

    Three grouped scans of the store (one pass over ``indicator_values`` each), crossed in
    pandas: indicators × periods stays small however many values there are."""
    indicators = read(select(IND.c.code.label("indicator"), IND.c.name, IND.c.domain).where(scope.anyone(viewer)),
                      engine)
    assessed = read(select(IV.c.period, func.count(distinct(IV.c.municipality_code)).label("assessed"))
                    .group_by(IV.c.period), engine)
    observed = read(select(IV.c.indicator_code.label("indicator"), IV.c.period,
                           func.count(IV.c.value).label("observed"))
                    .group_by(IV.c.indicator_code, IV.c.period), engine)
    df = (indicators.merge(assessed, how="cross")
          .merge(observed, on=["indicator", "period"], how="left"))
    df["observed"] = df["observed"].fillna(0).astype(int)
    df["missing"] = (df["assessed"] - df["observed"]).clip(lower=0)
    df["missing_share"] = (df["missing"] / df["assessed"]).where(df["assessed"] > 0)
    return (df.sort_values(["domain", "indicator", "period"])
            [["indicator", "name", "domain", "period", "assessed", "observed", "missing", "missing_share"]]
            .reset_index(drop=True))


def freshness(viewer: Viewer, *, engine=None, now: datetime | None = None) -> pd.DataFrame:
    """Per dataset: the last successful load (file, date, rows), its age, the expected update
    interval and the status: up_to_date, due, overdue or never_loaded."""
    ok = L.c.outcome == "ok"
    newest = (select(L.c.dataset, func.max(L.c.loaded_at).label("loaded_at")).where(ok)
              .group_by(L.c.dataset).subquery("m"))
    last = read(select(L.c.dataset, L.c.file_name, L.c.sha256, L.c.loaded_at, L.c.rows_inserted, L.c.rows_updated)
                .select_from(L.join(newest, and_(newest.c.dataset == L.c.dataset,
                                                 newest.c.loaded_at == L.c.loaded_at)))
                .where(ok), engine).drop_duplicates("dataset")
    known = pd.DataFrame([{"dataset": d, "interval_days": i, "grace_days": g}
                          for d, (i, g) in UPDATE_INTERVALS.items()])
    out = known.merge(last, on="dataset", how="outer")
    out["interval_days"] = out["interval_days"].fillna(365).astype(int)
    out["grace_days"] = out["grace_days"].fillna(90).astype(int)
    now = pd.Timestamp(now or datetime.now(timezone.utc).replace(tzinfo=None))
    out["loaded_at"] = pd.to_datetime(out["loaded_at"], errors="coerce")
    out["age_days"] = (now - out["loaded_at"]).dt.days
    age, interval, grace = out["age_days"], out["interval_days"], out["grace_days"]
    out["status"] = "overdue"
    out.loc[age <= interval + grace, "status"] = "due"
    out.loc[age <= interval, "status"] = "up_to_date"
    out.loc[out["loaded_at"].isna(), "status"] = "never_loaded"
    out["sha256"] = out["sha256"].str[:12]
    order = {d: i for i, d in enumerate(UPDATE_INTERVALS)}
    out = out.sort_values("dataset", key=lambda s: s.map(lambda d: order.get(d, len(order))))
    return _for(viewer, out[["dataset", "status", "file_name", "loaded_at", "age_days", "interval_days",
                             "grace_days", "rows_inserted", "rows_updated", "sha256"]].reset_index(drop=True))


def load_history(viewer: Viewer, *, engine=None, limit: int = 200) -> pd.DataFrame:
    """The latest loads, newest first: dataset, file, date, outcome and row counts."""
    return read(select(L.c.dataset, L.c.file_name, L.c.loaded_at, L.c.outcome, L.c.rows_inserted, L.c.rows_updated)
                .where(scope.anyone(viewer)).order_by(L.c.loaded_at.desc(), L.c.id.desc()).limit(int(limit)), engine)
