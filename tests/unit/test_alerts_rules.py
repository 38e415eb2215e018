"""Change rules as pure functions over hand-made frames: each rule fires, and stays silent
where it should (below the threshold, inside the rank interval, already in the group)."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from hub.alerts import rules
from hub.alerts.settings import AlertSettings, SettingsError, load_settings
from hub.queries.alerts import PAIR_COLUMNS, ABSORPTION_COLUMNS


def pairs(*rows) -> pd.DataFrame:
    """Rows: dicts with the columns that matter; the rest get neutral values."""
    base = {"name": "X", "name_local": None, "country": "MK", "period_previous": "2024", "period": "2025",
            "score_previous": 50.0, "score": 50.0, "rank_previous": 10, "rank": 10,
            "rank_p05_previous": 9.0, "rank_p95_previous": 11.0, "rank_p05": 9.0, "rank_p95": 11.0,
            "ranked_previous": 40, "ranked": 40, "underserved_previous": False, "underserved": False}
    out = [{**base, "municipality_code": f"C{i:02d}", **r} for i, r in enumerate(rows)]
    return pd.DataFrame(out)[PAIR_COLUMNS]


def test_need_change_fires_at_the_threshold_both_ways():
    df = pairs({"score": 56.0}, {"score": 44.9}, {"score": 54.99}, {"score": 55.0})
    got = rules.need_change(df, 5.0)
    assert list(got["municipality_code"]) == ["C00", "C01", "C03"]
    assert list(got["problem"]) == ["rose", "fell", "rose"]
    assert list(got["before"]) == [50.0, 50.0, 50.0] and list(got["after"]) == [56.0, 44.9, 55.0]
    assert got.loc[0, "key"] == "need_change:period:C00:2024>2025"
    assert got.loc[0, "page"] == "city" and got.loc[0, "query"] == "city=C00&period=2025"


def test_need_change_no_alert_below_threshold_or_without_previous_score():
    df = pairs({"score": 54.0}, {"score": 46.5}, {"score_previous": float("nan"), "score": 90.0})
    assert rules.need_change(df, 5.0).empty


def test_rank_move_beyond_the_interval_is_news():
    # 10 -> 4, previous interval 9..11 and new interval 3..5: outside both ways.
    df = pairs({"rank": 4, "rank_p05": 3.0, "rank_p95": 5.0})
    got = rules.rank_move(df, 3)
    assert list(got["problem"]) == ["up"] and list(got["before"]) == [10] and list(got["after"]) == [4]
    down = rules.rank_move(pairs({"rank": 16, "rank_p05": 15.0, "rank_p95": 18.0}), 3)
    assert list(down["problem"]) == ["down"]


def test_rank_move_inside_the_rank_interval_is_noise():
    # A 5-place move, but the previous interval (3..14) already holds the new rank.
    noisy = pairs({"rank": 5, "rank_p05_previous": 3.0, "rank_p95_previous": 14.0, "rank_p05": 4.0,
                   "rank_p95": 7.0})
    assert rules.rank_move(noisy, 3).empty
    # ... or the new interval (2..12) still holds the previous rank.
    noisy_now = pairs({"rank": 5, "rank_p05": 2.0, "rank_p95": 12.0})
    assert rules.rank_move(noisy_now, 3).empty
    # Outside the intervals but fewer places than the threshold.
    small = pairs({"rank": 8, "rank_p05_previous": 9.5, "rank_p95_previous": 10.5, "rank_p05": 7.5, "rank_p95": 8.5})
    assert rules.rank_move(small, 3).empty


def test_rank_move_without_an_interval_uses_the_places_alone():
    df = pairs({"rank": 6, "rank_p05": float("nan"), "rank_p95": float("nan"),
                "rank_p05_previous": float("nan"), "rank_p95_previous": float("nan")})
    assert len(rules.rank_move(df, 3)) == 1


def test_top_quartile_entry_only_when_new():
    # 40 ranked: the top quarter is ranks 1..10. C00 enters (12 -> 9), C01 was already in (8 -> 2),
    # C02 stays out (15 -> 11), C03 is new and in (no previous rank).
    df = pairs({"rank_previous": 12, "rank": 9}, {"rank_previous": 8, "rank": 2},
               {"rank_previous": 15, "rank": 11}, {"rank_previous": float("nan"), "rank": 3})
    got = rules.top_quartile(df, 0.25)
    assert list(got["municipality_code"]) == ["C00", "C03"]
    assert all(got["problem"] == "entered")
    # The cut follows the ranked count: 41 ranked -> ranks 1..11.
    assert math.ceil(41 * 0.25) == 11
    assert len(rules.top_quartile(pairs({"rank_previous": 15, "rank": 11, "ranked": 41}), 0.25)) == 1


def test_underserved_crossing_only():
    df = pairs({"underserved": True}, {"underserved": True, "underserved_previous": True},
               {"underserved": False, "underserved_previous": True}, {"underserved": True, "underserved_previous": None})
    got = rules.underserved(df)
    assert list(got["municipality_code"]) == ["C00", "C03"]


def absorption(*rows) -> pd.DataFrame:
    base = {"name": None, "name_local": None, "approved_previous": 100.0, "disbursed_previous": 80.0,
            "absorption_previous": 0.8, "approved": 100.0, "disbursed": 80.0, "absorption": 0.8,
            "period_previous": "2024", "period": "2025"}
    return pd.DataFrame([{**base, **r} for r in rows], columns=ABSORPTION_COLUMNS)


def test_absorption_drop_for_economies_and_a_city():
    df = absorption({"group": "MK", "country": "MK", "absorption": 0.74},
                    {"group": "RS", "country": "RS", "absorption": 0.76},
                    {"group": "AL", "country": "AL", "absorption": 0.95},
                    {"group": "MK001", "name": "Kumanovo", "country": "MK", "absorption": 0.5})
    got = rules.absorption_drop(df, 5.0)
    assert list(got["ref"]) == ["MK", "MK001"]
    assert list(got["page"]) == ["fund", "city"]
    assert list(got["query"]) == ["country=MK", "city=MK001"]
    assert pd.isna(got.loc[0, "municipality_code"]) and got.loc[1, "municipality_code"] == "MK001"


def test_absorption_no_alert_when_steady_rising_or_unknown():
    df = absorption({"group": "MK", "country": "MK", "absorption": 0.77},
                    {"group": "RS", "country": "RS", "absorption": 0.9},
                    {"group": "AL", "country": "AL", "absorption_previous": float("nan"), "absorption": 0.1})
    assert rules.absorption_drop(df, 5.0).empty
    assert rules.absorption_drop(absorption().iloc[0:0], 5.0).empty


def test_evaluate_keeps_to_the_rules_asked_and_keys_the_basis():
    df = pairs({"score": 70.0, "rank_previous": 20, "rank_p05_previous": 18.0, "rank_p95_previous": 22.0,
                "rank": 2, "rank_p05": 1.0, "rank_p95": 3.0, "underserved": True})
    s = AlertSettings()
    everything = rules.evaluate(df, absorption(), s, "load")
    assert set(everything["rule"]) == {"need_change", "rank_move", "top_quartile", "underserved"}
    assert all(k.split(":")[1] == "load" for k in everything["key"])
    assert set(rules.evaluate(df, absorption(), s, "period", ("underserved",))["rule"]) == {"underserved"}
    assert rules.evaluate(pairs({}), absorption(), s).empty


def test_settings_defaults_file_and_refusals(tmp_path):
    assert load_settings(tmp_path / "missing.toml") == AlertSettings()
    f = tmp_path / "a.toml"
    f.write_text("[helpdesk]\ntarget_days = 30\n[changes]\nneed_points = 2.5\n")
    s = load_settings(f)
    assert s.helpdesk_target_days == 30 and s.changes_need_points == 2.5 and s.changes_rank_places == 3
    f.write_text("[helpdesk]\ntarget_dayz = 30\n")
    with pytest.raises(SettingsError, match="unknown setting \\[helpdesk\\] target_dayz"):
        load_settings(f)
    f.write_text("[changes]\nneed_points = \"five\"\n")
    with pytest.raises(SettingsError, match="need_points must be a number"):
        load_settings(f)
    # The shipped file parses and says what the defaults say.
    assert load_settings() == AlertSettings()
