"""scripts/bench runs end to end and prints every figure of issue 15 (in `--smoke`
mode: each measurement once, for a second; the numbers mean nothing and none is
asserted: timings stay out of pass/fail tests)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    shutil.which("wrk") is None, reason="wrk is not installed (./scripts/test installs it: lib.sh ensure_wrk)")

FIGURES = (
    "P1 GET one filing", "P2 PUT details", "P3 records list of 20", "P7 JWT check",
    "GET one: time at the filled size", "records list: time at the filled size",
    "peak mix 1×", "peak mix 2×", "peak mix 4×", "photo pipeline ÷ plain decode",
)


def test_the_benchmark_prints_every_figure(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TEST_DATABASE_URL")}
    env["TMPDIR"] = str(tmp_path)
    database = os.environ.get("TEST_DATABASE_URL")
    # On PostgreSQL the benchmark makes a database of its own beside the test's and drops it.
    where = ["--db", "postgres", "--postgres", database] if database else ["--db", "sqlite"]
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "bench.py"), "--smoke", *where],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    table = [line for line in done.stdout.splitlines() if line.startswith("| ")]
    for figure in FIGURES:
        rows = [line for line in table if line.startswith(f"| {figure}")]
        assert rows, f"no row {figure!r} in:\n{done.stdout}"
        assert "**" in rows[0], rows[0]   # a number was measured
    # Every measured request was answered as a client expects (a wrong token or body
    # would make the rates meaningless); flows failing under load are the product's
    # own answer to load, a figure, not asserted.
    assert not re.search(r"warning .*: [1-9][0-9]* answers not 2xx", done.stdout), done.stdout
    assert not list(tmp_path.iterdir()), "the benchmark left its temporary files behind"
