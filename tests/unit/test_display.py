"""Table cells in the app's language (hub/display.py): Babel's conventions, one decimals rule per kind,
no "None"/"nan" anywhere, and data codes in words."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from hub import display, i18n
from hub.i18n import LANGUAGES

VALUES = [0, 1, 7.25, 19.8, 41.8605, 999.4, 1000, 11500, 43500.5, 1002345.678, -3.5, -12345.06]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_fast_formatting_equals_babel(lang):
    for v in VALUES:
        assert display.fmt_value(v, lang, "count") == i18n.fmt_number(round(v), lang)
        assert display.fmt_value(v, lang, "score") == i18n.fmt_number(v, lang, 1)
        assert display.fmt_value(v, lang, "decimal") == i18n.fmt_number(v, lang, 2)
        assert display.fmt_value(v, lang, "money") == i18n.fmt_money(round(v), lang)
        assert display.fmt_value(v, lang, "money_cents") == i18n.fmt_money(v, lang, decimals=2)
        assert display.fmt_value(v / 100, lang, "percent") == i18n.fmt_percent(v / 100, lang, 1)
        assert display.fmt_value(v, lang, "percent_points") == i18n.fmt_percent(v / 100, lang, 1)


def test_the_bcms_example_from_the_issue():
    # Tuzla in BCMS: "43.500 €" above "11,500" and "0.53" in a table read as eleven and a half.
    assert display.fmt_value(11500, "bcms", "count") == "11.500"
    assert display.fmt_value(0.53, "bcms", "decimal") == "0,53"
    assert display.fmt_value(43500, "bcms", "money") == "43.500\xa0€"
    assert display.fmt_value(11500, "sq", "count") == "11\xa0500"
    assert display.fmt_value(11500, "en", "count") == "11,500"


@pytest.mark.parametrize("missing", [None, float("nan"), pd.NA, pd.NaT, "None", "nan", "NaN"])
def test_missing_reads_dash(missing):
    for kind in display.KINDS:
        assert display.fmt_value(missing, "en", kind) == "—"


def test_format_frame_kinds_and_missing():
    df = pd.DataFrame({"n": [1, None, 3], "share": [0.5, None, 1.2222], "eur": [1500.0, None, 0],
                       "when": ["2024-03-31", None, "2025-01-02"], "flag": [True, False, None],
                       "note": ["x", None, "nan"], "period": [2023, 2024, 2025]})
    out = display.format_frame(df, "bcms", {"share": "percent", "eur": "money"})
    assert list(out["n"]) == ["1", "—", "3"]
    assert list(out["share"]) == ["50,0%", "—", "122,2%"]
    assert list(out["eur"]) == ["1.500\xa0€", "—", "0\xa0€"]
    assert list(out["note"]) == ["x", "—", "—"]
    assert list(out["flag"]) == ["Da", "Ne", "—"]
    assert list(out["period"]) == ["2023", "2024", "2025"]          # years are not "2.023"
    assert str(out["when"].dtype).startswith("datetime64") and out["when"].isna().sum() == 1
    assert list(df.columns) == list(out.columns) and df.loc[0, "share"] == 0.5   # the raw frame is untouched


def test_date_patterns_follow_the_language():
    assert display.date_pattern("en") == "DD/MM/YYYY"
    assert display.date_pattern("bcms") == "DD.MM.YYYY."
    assert display.fmt_date_cell(dt.date(2024, 3, 31), "bcms") == "31.03.2024."


@pytest.mark.parametrize("lang", LANGUAGES)
def test_codes_and_english_data_words_are_translated(lang):
    assert display.code_label("helpdesk.topic", "youth council set-up", lang) == i18n.t(
        "helpdesk.topic.youth_council_set_up", lang)
    assert "_" not in display.action_label("sign_in_ok", lang)
    assert display.unit_label("per 10,000", lang) == i18n.t("display.unit.per_10_000", lang)
    assert display.region_label("Korçë County", lang) == i18n.t("display.region.korce_county", lang)
    assert display.result_label("officials trained", lang) == i18n.t("display.result.officials_trained", lang)
    assert display.code_label("display.region", "Somewhere New", lang) == "Somewhere New"   # data as fallback
    assert display.code_label("display.region", None, lang) == "—"
    assert display.fmt_indicator(1.0, "0/1", lang) == i18n.t("display.yes", lang)      # not "1,0"


def test_every_unit_and_region_of_the_demo_has_a_translation():
    from loaders.demo import build_demo  # noqa: F401  (the demo's own data is the reference)
    import tomllib
    from pathlib import Path
    for lang in ("sq", "bcms", "mk"):
        cat = tomllib.loads((Path(i18n.__file__).with_name("locales") / lang / "display.toml").read_text())
        for area in ("unit", "region", "result", "action"):
            assert cat[area].keys() == tomllib.loads((Path(i18n.__file__).with_name("locales") / "en" /
                                                      "display.toml").read_text())[area].keys()


def test_month_kind_is_a_date_in_month_year_order():
    assert display.date_pattern("en", "yMM") == "MM/YYYY" and display.date_pattern("bcms", "yMM") == "MM.YYYY."
    assert display.fmt_value("2023-04-01", "mk", "month") == "4.2023\u202fг."
    out = display.format_frame(pd.DataFrame({"m": pd.to_datetime(["2023-04-01", None])}), "sq", {"m": "month"})
    assert pd.api.types.is_datetime64_any_dtype(out["m"]) and out["m"].isna().iloc[1]
