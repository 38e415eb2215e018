"""A load rescores only the periods it touched, unless it moves a normalisation bound; either
way the stored scores equal a full recomputation. A crash between a load and its rescore is
detected (stale marks, data version) and repaired by the next load, even of an unchanged file."""
from __future__ import annotations

import pytest

from hub import state
from hub.db import get_engine
from hub.scoring.store import rescore
from loaders import load_file
from tests.unit.state.helpers import scores, value_row, write_csv

IND = "hate_incidents"          # no goalposts in data/methodology.toml: bounds observed across periods


def _load_value(engine, tmp_path, city, period, value, name="v.csv"):
    path = write_csv(tmp_path / name, [{"municipality_code": city, "indicator_code": IND,
                                        "period": period, "value": value}])
    return load_file("indicator_values", path, engine=engine, user="test")


def _full_equals_stored(engine):
    stored = scores(engine)
    rescore(engine)                                   # full recomputation
    assert scores(engine) == stored


def test_a_value_inside_the_bounds_rescores_only_its_period(demo_copy, tmp_path, monkeypatch):
    engine = get_engine(demo_copy)
    city, old, lo, hi = value_row(engine, IND, "2024")
    seen = []
    import hub.scoring.store as store
    real = store.score_periods
    monkeypatch.setattr(store, "score_periods",
                        lambda *a, **k: seen.append(k.get("periods")) or real(*a, **k))
    before = scores(engine)
    _load_value(engine, tmp_path, city, "2024", round((old + (lo + hi) / 2) / 2, 3))
    assert seen == [["2024"]]
    after = scores(engine)
    for table, rows in after.items():           # other periods untouched
        assert [r for r in rows if "2024" not in r] == [r for r in before[table] if "2024" not in r]
    assert after != before
    assert state.read(engine).stale == 0
    _full_equals_stored(engine)


def test_a_new_extreme_rescores_every_period(demo_copy, tmp_path, monkeypatch):
    engine = get_engine(demo_copy)
    city, old, lo, hi = value_row(engine, IND, "2024")
    seen = []
    import hub.scoring.store as store
    real = store.score_periods
    monkeypatch.setattr(store, "score_periods",
                        lambda *a, **k: seen.append(k.get("periods")) or real(*a, **k))
    before = scores(engine)
    _load_value(engine, tmp_path, city, "2024", hi * 3)
    assert seen == [None]                       # every period: the scale of all of them moved
    after = scores(engine)
    other = [r for r in after["need_scores"] if r[1] == "2023"]
    assert other != [r for r in before["need_scores"] if r[1] == "2023"]
    _full_equals_stored(engine)


def test_an_edited_methodology_rescores_every_period(demo_copy, tmp_path, monkeypatch):
    from hub.scoring.methodology import DEFAULT_PATH
    engine = get_engine(demo_copy)
    text = DEFAULT_PATH.read_text(encoding="utf-8").replace("draws = 1000", "draws = 200", 1)
    (tmp_path / "m.toml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("METHODOLOGY_PATH", str(tmp_path / "m.toml"))
    city, old, lo, hi = value_row(engine, IND, "2025")
    _load_value(engine, tmp_path, city, "2025", round((old + (lo + hi) / 2) / 2, 3))
    _full_equals_stored(engine)


def test_crash_between_load_and_rescore_is_detected_and_repaired(demo_copy, tmp_path, monkeypatch):
    import loaders.core
    engine = get_engine(demo_copy)
    city, old, lo, hi = value_row(engine, IND, "2023")
    before = scores(engine)
    v0 = state.read(engine).version

    def killed(*_a, **_k):
        raise KeyboardInterrupt("killed after the load committed")
    monkeypatch.setattr(loaders.core, "rescore", killed)
    path = write_csv(tmp_path / "v.csv", [{"municipality_code": city, "indicator_code": IND,
                                           "period": "2023", "value": round((old + lo) / 2, 3)}])
    with pytest.raises(KeyboardInterrupt):
        load_file("indicator_values", path, engine=engine, user="test")
    monkeypatch.undo()

    found = state.read(engine)
    assert found.scores_stale and found.version > v0          # detected: the rows landed, scores did not
    with engine.connect() as conn:
        assert state.stale_marks(conn) == {"2023": found.version}
    assert scores(engine) == before

    report = load_file("indicator_values", path, engine=engine, user="test")   # the same file again
    assert (report.inserted, report.updated) == (0, 0)
    assert not any("scores" in w.problem for w in report.warnings)
    assert not state.read(engine).scores_stale                # repaired
    assert scores(engine) != before
    _full_equals_stored(engine)


def test_a_failing_rescore_leaves_the_marks_and_warns(demo_copy, tmp_path, monkeypatch):
    import hub.scoring.store as store
    engine = get_engine(demo_copy)
    city, old, lo, hi = value_row(engine, IND, "2025")

    def broken(*_a, **_k):
        raise RuntimeError("disk full")
    monkeypatch.setattr(store, "rescore", broken)
    report = _load_value(engine, tmp_path, city, "2025", round((old + hi) / 2, 3))
    assert any("marked stale" in w.problem for w in report.warnings)
    assert state.read(engine).scores_stale
    monkeypatch.undo()
    from loaders.cli import main
    assert main(["prepare", "--database-url", demo_copy]) == 0   # what `make run` does repairs it
    assert not state.read(engine).scores_stale
    _full_equals_stored(engine)


def test_every_committed_write_bumps_the_version(demo_copy, tmp_path):
    from loaders import LoadRefused
    engine = get_engine(demo_copy)
    v = state.read(engine).version
    city, old, lo, hi = value_row(engine, IND, "2024")
    _load_value(engine, tmp_path, city, "2024", old)                  # unchanged rows: still logged
    assert state.read(engine).version == v + 1
    bad = write_csv(tmp_path / "bad.csv", [{"municipality_code": "NOPE", "indicator_code": IND,
                                            "period": "2024", "value": 1}])
    with pytest.raises(LoadRefused):
        load_file("indicator_values", bad, engine=engine, user="test")   # refused: log rows only
    assert state.read(engine).version == v + 2
    rescore(engine)
    assert state.read(engine).version == v + 3


def test_loaders_rescore_recomputes_after_an_edited_methodology(demo_copy, tmp_path, monkeypatch):
    """``python -m loaders rescore``: the scores follow an edited data/methodology.toml on demand."""
    from hub.scoring.methodology import DEFAULT_PATH
    from loaders.cli import main
    engine = get_engine(demo_copy)
    before = scores(engine)
    text = DEFAULT_PATH.read_text(encoding="utf-8").replace("weight = 1.0", "weight = 3.0", 1)
    (tmp_path / "m.toml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("METHODOLOGY_PATH", str(tmp_path / "m.toml"))
    assert scores(engine) == before                                     # nothing recomputes by itself
    assert main(["rescore", "--database-url", demo_copy]) == 0
    after = scores(engine)
    assert after["need_scores"] != before["need_scores"]
    _full_equals_stored(engine)
