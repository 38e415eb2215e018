"""The thresholds of the action list and the alerts, from one settings file with defaults.

``data/alerts.toml`` (or the file ``HUB_ALERTS_SETTINGS`` names) may set any of the keys below;
whatever it leaves out takes the default here. The assessment's coverage threshold defaults to
the methodology's own ``coverage_threshold``.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

from hub.settings import settings



@dataclass(frozen=True)
class AlertSettings:
    helpdesk_target_days: int = 14
    fund_first_tranche_days: int = 60
    fund_tranche_interval_days: int = 180
    fund_results_due_days: int = 180
    fund_results_interval_days: int = 365
    assessment_coverage_threshold: float | None = None   # None: the methodology's
    events_grace_days: int = 14
    changes_need_points: float = 5.0
    changes_rank_places: int = 3
    changes_top_quartile: float = 0.25
    changes_absorption_points: float = 5.0
    digest_max_items_per_rule: int = 50
    digest_feed_entries: int = 20

    def coverage_threshold(self) -> float:
        if self.assessment_coverage_threshold is not None:
            return float(self.assessment_coverage_threshold)
        from hub.scoring import load_methodology
        return float(load_methodology().coverage_threshold)


class SettingsError(ValueError):
    pass


def settings_path() -> Path:
    return settings().alerts_settings


def load_settings(path: str | Path | None = None) -> AlertSettings:
    """Settings from ``path`` (default: ``settings_path()``); a missing file means all defaults.
    A key of the wrong type or an unknown key is refused with the file and key named."""
    path = Path(path) if path else settings_path()
    if not path.exists():
        return AlertSettings()
    with path.open("rb") as fh:
        try:
            raw = tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(f"{path}: not valid TOML: {exc}") from exc
    known = {f.name: f for f in fields(AlertSettings)}
    values = {}
    for section, table in raw.items():
        if not isinstance(table, dict):
            raise SettingsError(f"{path}: [{section}] must be a table")
        for key, value in table.items():
            name = f"{section}_{key}"
            if name not in known:
                raise SettingsError(f"{path}: unknown setting [{section}] {key}")
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise SettingsError(f"{path}: [{section}] {key} must be a number >= 0, not {value!r}")
            values[name] = int(value) if known[name].type == "int" else float(value)
    return AlertSettings(**values)
