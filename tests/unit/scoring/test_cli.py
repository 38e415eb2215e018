"""``python -m hub.scoring`` run as a real subprocess on temporary files."""
from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from hub.scoring.__main__ import main

ROOT = Path(__file__).resolve().parents[3]
HDI = Path(__file__).with_name("hdi.toml")
HDI_CSV = """country,life_expectancy,expected_schooling,mean_schooling,gni_per_capita
Serbia,74.137,14.50444031,11.5047611,19494.00891
North Macedonia,73.888,13.00483036,10.22815037,16395.75173
"""


def run(*args):
    return subprocess.run([sys.executable, "-m", "hub.scoring", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)


def test_cli_writes_csv_to_stdout(tmp_path):
    src = tmp_path / "hdi.csv"
    src.write_text(HDI_CSV, encoding="utf-8")
    proc = run("--method", HDI, "--input", src)
    assert proc.returncode == 0, proc.stderr
    out = pd.read_csv(io.StringIO(proc.stdout))
    assert list(out.columns) == ["country", "health", "education", "income", "score", "rank",
                                 "coverage", "flagged"]
    got = dict(zip(out["country"], out["score"].round(3)))
    assert got == {"Serbia": 0.805, "North Macedonia": 0.765}
    assert out["rank"].tolist() == [1, 2] and (out["coverage"] == 1).all()


def test_cli_writes_output_file_with_the_demo_method(tmp_path):
    method = ROOT / "data" / "methodology.toml"
    import tomllib
    cols = [i.get("column", k) for k, i in
            tomllib.loads(method.read_text(encoding="utf-8"))["indicators"].items()]
    rows = {"municipality_code": ["MK001", "RS002", "AL003"]}
    for j, c in enumerate(cols):
        rows[c] = [j % 2, 1 - j % 2, 0.5] if c in ("youth_council",) else [1.0 + j, 2.0, 3.0 * j]
    src, dst = tmp_path / "wide.csv", tmp_path / "out.csv"
    pd.DataFrame(rows).to_csv(src, index=False)
    proc = run("--method", method, "--input", src, "--output", dst)
    assert proc.returncode == 0, proc.stderr
    out = pd.read_csv(dst, dtype={"municipality_code": str})
    assert out["municipality_code"].tolist() == ["MK001", "RS002", "AL003"]
    assert {"threat_landscape", "institutional_capacity", "score", "rank", "coverage"} <= set(out)
    assert out["score"].between(0, 100).all()


@pytest.mark.parametrize("edit, csv, message", [
    (None, HDI_CSV.replace("gni_per_capita", "gni"), "lacks: gni_per_capita"),
    (("weight = 1\naggregation = \"arithmetic\"\n\n[dimensions.education]",
      "weight = -1\naggregation = \"arithmetic\"\n\n[dimensions.education]"), HDI_CSV, "negative"),
    (("aggregation = \"geometric\"", "aggregation = \"median\""), HDI_CSV, "unknown index"),
    (None, HDI_CSV.replace("74.137", "20"), "geometric aggregation over a zero"),
    (None, HDI_CSV.replace("country", "nation"), "unit column 'country'"),
])
def test_cli_errors_are_clear_and_non_zero(tmp_path, capsys, edit, csv, message):
    """In-process (same code path as the subprocess) to keep the suite fast."""
    method = tmp_path / "m.toml"
    text = HDI.read_text(encoding="utf-8")
    if edit:
        assert edit[0] in text
        text = text.replace(edit[0], edit[1], 1)
    method.write_text(text, encoding="utf-8")
    src = tmp_path / "in.csv"
    src.write_text(csv, encoding="utf-8")
    assert main(["--method", str(method), "--input", str(src)]) == 2
    out, err = capsys.readouterr()
    assert err.startswith("error: ") and message in err and out == ""


def test_cli_bad_method_exits_non_zero_as_a_process(tmp_path):
    method = tmp_path / "m.toml"
    text = HDI.read_text(encoding="utf-8").replace("weight = 1", "weight = 0")
    method.write_text(text, encoding="utf-8")
    proc = run("--method", method, "--input", tmp_path / "none.csv")
    assert proc.returncode == 2 and proc.stderr.startswith("error: ")
    assert "all zero" in proc.stderr and "Traceback" not in proc.stderr


def test_cli_unreadable_input(tmp_path, capsys):
    assert main(["--method", str(HDI), "--input", str(tmp_path / "none.csv")]) == 2
    assert "cannot read input" in capsys.readouterr().err
