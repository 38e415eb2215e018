"""A methodology is data: a TOML file parsed and validated into plain dataclasses.

Schema (keys of issue 3, plus the extensions the engine needs)::

    [index]        id, name, unit_column, measures (need|achievement),
                   aggregation (arithmetic|geometric), scale, coverage_threshold (0.7)
    [dimensions.X] name, weight, aggregation, description
    [indicators.Y] dimension, column (= Y), polarity, transform (none|log), cap, min, max,
                   weight, name, unit, description
    [montecarlo]   draws (1000), weight_perturbation (0.25), seed, rank_uncertain_width (0.25:
                   below 1 a share of the ranked units, from 1 up a number of ranks)
    [priority]     alpha (0.5), [priority.themes] theme = "dimension"
    [text]         free descriptions (formulae, normalisation) for the Methodology page

Goalposts (``min``/``max``) and ``cap`` are given in the raw units of the indicator; with
``transform = "log"`` the engine takes their logarithm too (the HDI's ln 100 – ln 75,000).
"""
from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from hub.settings import Settings, settings

MEASURES = ("need", "achievement")
AGGREGATIONS = ("arithmetic", "geometric")
POLARITIES = ("higher_is_worse", "higher_is_better")
TRANSFORMS = ("none", "log")

DEFAULT_PATH = Settings().methodology_path   # the shipped methodology (METHODOLOGY_PATH unset)


class MethodologyError(ValueError):
    """A methodology (or its input) that cannot be scored; the message says why."""


@dataclass(frozen=True)
class Dimension:
    id: str
    name: str
    weight: float
    aggregation: str = "arithmetic"
    description: str = ""


@dataclass(frozen=True)
class Indicator:
    id: str
    dimension: str
    column: str
    polarity: str
    weight: float = 1.0
    transform: str = "none"
    cap: float | None = None
    min: float | None = None
    max: float | None = None
    name: str = ""
    unit: str = ""
    description: str = ""


@dataclass(frozen=True)
class MonteCarlo:
    draws: int = 1000
    weight_perturbation: float = 0.25
    seed: int = 20240601
    rank_uncertain_width: float = 0.25   # share of the ranked units


@dataclass(frozen=True)
class PriorityRule:
    alpha: float = 0.5
    themes: dict[str, str] = field(default_factory=dict)   # theme -> dimension


@dataclass(frozen=True)
class Methodology:
    id: str
    name: str
    unit_column: str
    measures: str
    aggregation: str
    scale: float
    coverage_threshold: float
    dimensions: dict[str, Dimension]
    indicators: dict[str, Indicator]
    montecarlo: MonteCarlo = MonteCarlo()
    priority: PriorityRule = PriorityRule()
    text: dict[str, str] = field(default_factory=dict)
    source: str = ""

    # --- derived facts ---------------------------------------------------------
    def keeps_direction(self, ind: Indicator) -> bool:
        """True when a high raw value stays high after orientation (else 1 − x)."""
        if self.measures == "need":
            return ind.polarity == "higher_is_worse"
        return ind.polarity == "higher_is_better"

    @property
    def columns(self) -> list[str]:
        return [i.column for i in self.indicators.values()]

    def indicators_of(self, dimension: str) -> list[Indicator]:
        return [i for i in self.indicators.values() if i.dimension == dimension]

    def effective_weights(self) -> dict[str, float]:
        """Nominal weight of each indicator in the index (all data observed), summing to 1."""
        total_d = sum(d.weight for d in self.dimensions.values())
        out: dict[str, float] = {}
        for d in self.dimensions.values():
            inds = self.indicators_of(d.id)
            total_i = sum(i.weight for i in inds)
            for i in inds:
                out[i.id] = (d.weight / total_d) * (i.weight / total_i) if total_i else 0.0
        return out

    # --- for the Methodology page ----------------------------------------------
    def indicators_frame(self) -> pd.DataFrame:
        """One row per indicator: what the Methodology page lists."""
        eff = self.effective_weights()
        rows = []
        for i in self.indicators.values():
            rows.append({
                "indicator": i.id, "name": i.name or i.id, "dimension": i.dimension,
                "column": i.column, "polarity": i.polarity, "transform": i.transform,
                "cap": i.cap, "min": i.min, "max": i.max, "weight": i.weight,
                "effective_weight": eff[i.id], "inverted": not self.keeps_direction(i),
                "unit": i.unit, "description": i.description,
            })
        return pd.DataFrame(rows)

    def dimensions_frame(self) -> pd.DataFrame:
        total = sum(d.weight for d in self.dimensions.values())
        return pd.DataFrame([{
            "dimension": d.id, "name": d.name, "weight": d.weight,
            "share": d.weight / total, "aggregation": d.aggregation,
            "indicators": len(self.indicators_of(d.id)), "description": d.description,
        } for d in self.dimensions.values()])

    def formulas(self) -> dict[str, str]:
        """Plain-text formulae (language-neutral notation) the page can show as code/LaTeX."""
        return {
            "normalise": "x' = (min(x, cap) − min) / (max − min), clipped to 0..1",
            "log": "x' = (ln x − ln min) / (ln max − ln min)",
            "orient": "x'' = x' (kept) or 1 − x' (inverted); 1 = most " + self.measures,
            "arithmetic": "Σ wᵢ·xᵢ / Σ wᵢ (over observed i)",
            "geometric": "Π xᵢ^(wᵢ / Σ wᵢ) (over observed i)",
            "index": f"{self.aggregation} mean of the dimensions × {self.scale:g}",
            "coverage": "Σ observed weights / Σ weights; flagged below "
                        f"{self.coverage_threshold:g}",
            "priority": "P = s^α · g^(1−α) × scale, s = (T − r + 1)/T, α = "
                        f"{self.priority.alpha:g}",
        }


# --- parsing -------------------------------------------------------------------------
def _num(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise MethodologyError(f"{where} must be a finite number, not {value!r}")
    return float(value)


def _choice(value: Any, allowed: tuple[str, ...], where: str) -> str:
    if value not in allowed:
        raise MethodologyError(f"unknown {where} {value!r}; expected one of {', '.join(allowed)}")
    return value


def _check_weights(weights: dict[str, float], where: str) -> None:
    for key, w in weights.items():
        if w < 0:
            raise MethodologyError(f"weight of {where} {key!r} is negative ({w:g})")
    if not weights or sum(weights.values()) <= 0:
        raise MethodologyError(f"weights of {where}s are all zero")


def parse_methodology(doc: dict, source: str = "") -> Methodology:
    """Validate a parsed TOML document; raise MethodologyError with a clear message."""
    index = doc.get("index")
    if not isinstance(index, dict):
        raise MethodologyError("the methodology has no [index] table")
    dims_doc = doc.get("dimensions") or {}
    inds_doc = doc.get("indicators") or {}
    if not dims_doc:
        raise MethodologyError("the methodology has no [dimensions.*] tables")
    if not inds_doc:
        raise MethodologyError("the methodology has no [indicators.*] tables")

    dimensions: dict[str, Dimension] = {}
    for did, d in dims_doc.items():
        dimensions[did] = Dimension(
            id=did, name=str(d.get("name", did)),
            weight=_num(d.get("weight", 1.0), f"weight of dimension {did!r}"),
            aggregation=_choice(d.get("aggregation", "arithmetic"), AGGREGATIONS,
                                f"aggregation of dimension {did!r}:"),
            description=str(d.get("description", "")),
        )
    _check_weights({k: v.weight for k, v in dimensions.items()}, "dimension")

    indicators: dict[str, Indicator] = {}
    for iid, i in inds_doc.items():
        dim = i.get("dimension")
        if dim not in dimensions:
            raise MethodologyError(f"indicator {iid!r} names an unknown dimension {dim!r}")
        if "polarity" not in i:
            raise MethodologyError(f"indicator {iid!r} has no polarity")
        opt = {k: (_num(i[k], f"{k} of indicator {iid!r}") if k in i else None)
               for k in ("cap", "min", "max")}
        ind = Indicator(
            id=iid, dimension=dim, column=str(i.get("column", iid)),
            polarity=_choice(i["polarity"], POLARITIES, f"polarity of indicator {iid!r}:"),
            weight=_num(i.get("weight", 1.0), f"weight of indicator {iid!r}"),
            transform=_choice(i.get("transform", "none"), TRANSFORMS,
                              f"transform of indicator {iid!r}:"),
            name=str(i.get("name", "")), unit=str(i.get("unit", "")),
            description=str(i.get("description", "")), **opt,
        )
        if ind.min is not None and ind.max is not None and ind.min >= ind.max:
            raise MethodologyError(f"goalposts of indicator {iid!r}: min must be below max")
        if ind.transform == "log":
            for k in ("min", "max", "cap"):
                v = getattr(ind, k)
                if v is not None and v <= 0:
                    raise MethodologyError(
                        f"{k} of indicator {iid!r} must be positive for a log transform")
        indicators[iid] = ind
    for did in dimensions:
        inds = {i.id: i.weight for i in indicators.values() if i.dimension == did}
        if not inds:
            raise MethodologyError(f"dimension {did!r} has no indicators")
        _check_weights(inds, f"indicator in dimension {did!r}; indicator")

    mc_doc = doc.get("montecarlo", {})
    mc = MonteCarlo(
        draws=int(_num(mc_doc.get("draws", 1000), "montecarlo.draws")),
        weight_perturbation=_num(mc_doc.get("weight_perturbation", 0.25),
                                 "montecarlo.weight_perturbation"),
        seed=int(_num(mc_doc.get("seed", 20240601), "montecarlo.seed")),
        rank_uncertain_width=_num(mc_doc.get("rank_uncertain_width", 0.25),
                                  "montecarlo.rank_uncertain_width"),
    )
    if mc.draws < 1 or not 0 <= mc.weight_perturbation < 1:
        raise MethodologyError("montecarlo: draws must be >= 1 and weight_perturbation in 0..1")

    pr_doc = doc.get("priority", {})
    themes = {str(k): str(v) for k, v in (pr_doc.get("themes") or {}).items()}
    for theme, dim in themes.items():
        if dim not in dimensions:
            raise MethodologyError(f"priority theme {theme!r} names an unknown dimension {dim!r}")
    alpha = _num(pr_doc.get("alpha", 0.5), "priority.alpha")
    if not 0 <= alpha <= 1:
        raise MethodologyError("priority.alpha must lie in 0..1")

    threshold = _num(index.get("coverage_threshold", 0.7), "index.coverage_threshold")
    scale = _num(index.get("scale", 100), "index.scale")
    if scale <= 0:
        raise MethodologyError("index.scale must be positive")
    return Methodology(
        id=str(index.get("id", "index")), name=str(index.get("name", "")),
        unit_column=str(index.get("unit_column", "unit")),
        measures=_choice(index.get("measures", "need"), MEASURES, "measures"),
        aggregation=_choice(index.get("aggregation", "arithmetic"), AGGREGATIONS,
                            "index aggregation"),
        scale=scale, coverage_threshold=threshold,
        dimensions=dimensions, indicators=indicators, montecarlo=mc,
        priority=PriorityRule(alpha=alpha, themes=themes),
        text={str(k): str(v) for k, v in (doc.get("text") or {}).items()},
        source=source,
    )


def methodology_path(path: str | Path | None = None) -> Path:
    """Explicit path, else $METHODOLOGY_PATH, else data/methodology.toml."""
    return Path(path or settings().methodology_path)


def load_methodology(path: str | Path | None = None) -> Methodology:
    """Read and validate a methodology TOML file (default: ``methodology_path()``)."""
    path = methodology_path(path)
    try:
        with path.open("rb") as fh:
            doc = tomllib.load(fh)
    except FileNotFoundError:
        raise MethodologyError(f"methodology file not found: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise MethodologyError(f"{path} is not valid TOML: {exc}") from None
    return parse_methodology(doc, source=str(path))
