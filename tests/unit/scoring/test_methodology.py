"""Methodology TOML parsing: defaults, the demo file, and clear errors."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from hub.scoring import MethodologyError, load_methodology

from .helpers import method

ROOT = Path(__file__).resolve().parents[3]


def catalogue_codes() -> dict[str, set[str]]:
    """Indicator codes per domain from the catalogue table of docs/architecture.md."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    out: dict[str, set[str]] = {}
    for line in text.splitlines():
        m = re.match(r"\| (\w+) \| (.+?) \| (yes|no) \|", line)
        if m and "not scored" not in line:
            out[m.group(1)] = set(re.findall(r"(\w+) \(", m.group(2)))
    return out


def test_demo_methodology_matches_the_catalogue():
    m = load_methodology()
    expected = catalogue_codes()
    assert len(expected) == 6
    assert set(m.dimensions) == set(expected)
    for dim, codes in expected.items():
        assert {i.column for i in m.indicators_of(dim)} == codes
    assert len(m.indicators) == 24 and "youth_share" not in m.indicators
    assert m.measures == "need" and m.aggregation == "arithmetic" and m.scale == 100
    assert all(d.aggregation == "arithmetic" for d in m.dimensions.values())


def test_demo_methodology_polarity_and_goalposts():
    m = load_methodology()
    assert m.indicators["hate_incidents"].polarity == "higher_is_worse"
    assert m.indicators["youth_council"].polarity == "higher_is_better"
    for code in ("local_prevention_plan", "community_action_team", "youth_council",
                 "crisis_response_plan"):
        assert (m.indicators[code].min, m.indicators[code].max) == (0, 1)
    assert (m.indicators["trust_local_institutions"].min,
            m.indicators["trust_local_institutions"].max) == (0, 100)
    assert m.priority.themes["online_harms"] == "threat_landscape"
    assert m.priority.themes["gender_and_inclusion"] == "social_cohesion"
    assert 0 < m.priority.alpha < 1
    assert m.montecarlo.draws == 1000 and m.montecarlo.weight_perturbation == 0.25
    assert {"purpose", "normalisation", "priority"} <= set(m.text)


def test_frames_for_the_methodology_page():
    m = load_methodology()
    inds = m.indicators_frame()
    assert len(inds) == 24
    assert inds["effective_weight"].sum() == pytest.approx(1.0)
    row = inds.set_index("indicator").loc["youth_unemployment"]
    assert not row["inverted"] and row["max"] == 100
    assert inds.set_index("indicator").loc["youth_council", "inverted"]
    dims = m.dimensions_frame()
    assert dims["share"].sum() == pytest.approx(1.0) and dims["indicators"].sum() == 24
    assert "priority" in m.formulas() and "0.7" in m.formulas()["coverage"]


def test_defaults():
    m = method()
    assert m.coverage_threshold == 0.7
    assert m.indicators["x"].column == "x" and m.indicators["x"].transform == "none"
    assert m.montecarlo.draws == 1000


@pytest.mark.parametrize("kwargs, message", [
    ({"index": {"aggregation": "median"}}, "unknown index aggregation 'median'"),
    ({"index": {"measures": "risk"}}, "unknown measures 'risk'"),
    ({"dimensions": {"d1": {"weight": 1, "aggregation": "harmonic"}}},
     "unknown aggregation of dimension 'd1'"),
    ({"indicators": {"x": {"dimension": "d1", "polarity": "up"}}}, "unknown polarity"),
    ({"indicators": {"x": {"dimension": "d1", "polarity": "higher_is_worse",
                           "transform": "sqrt"}}}, "unknown transform"),
    ({"indicators": {"x": {"dimension": "nope", "polarity": "higher_is_worse"}}},
     "unknown dimension 'nope'"),
    ({"indicators": {"x": {"dimension": "d1", "polarity": "higher_is_worse", "weight": -1}}},
     "negative"),
    ({"indicators": {"x": {"dimension": "d1", "polarity": "higher_is_worse", "weight": 0}}},
     "all zero"),
    ({"dimensions": {"d1": {"weight": 0}}}, "all zero"),
    ({"dimensions": {"d1": {"weight": -2}}}, "negative"),
    ({"indicators": {"x": {"dimension": "d1", "polarity": "higher_is_worse",
                           "min": 5, "max": 5}}}, "min must be below max"),
    ({"indicators": {"x": {"dimension": "d1", "polarity": "higher_is_worse",
                           "transform": "log", "min": 0, "max": 5}}}, "positive"),
    ({"indicators": {"x": {"dimension": "d1"}}}, "no polarity"),
    ({"indicators": {"x": {"dimension": "d1", "polarity": "higher_is_worse",
                           "weight": "heavy"}}}, "finite number"),
    ({"priority": {"themes": {"t": "nope"}}}, "unknown dimension 'nope'"),
    ({"priority": {"alpha": 2}}, "alpha"),
])
def test_bad_methods_give_clear_errors(kwargs, message):
    with pytest.raises(MethodologyError, match=re.escape(message)):
        method(**kwargs)


def test_a_dimension_without_indicators_is_an_error():
    with pytest.raises(MethodologyError, match="'d2' has no indicators"):
        method(dimensions={"d1": {"weight": 1}, "d2": {"weight": 1}})


def test_file_errors(tmp_path):
    with pytest.raises(MethodologyError, match="not found"):
        load_methodology(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[index\n", encoding="utf-8")
    with pytest.raises(MethodologyError, match="not valid TOML"):
        load_methodology(bad)
    empty = tmp_path / "empty.toml"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(MethodologyError, match=r"no \[index\]"):
        load_methodology(empty)


def test_default_path_follows_the_environment(tmp_path, monkeypatch):
    alt = tmp_path / "alt.toml"
    alt.write_text((ROOT / "tests/unit/scoring/hdi.toml").read_text(encoding="utf-8"),
                   encoding="utf-8")
    monkeypatch.setenv("METHODOLOGY_PATH", str(alt))
    assert load_methodology().id == "hdi"
    monkeypatch.delenv("METHODOLOGY_PATH")
    assert load_methodology().id == "need"
