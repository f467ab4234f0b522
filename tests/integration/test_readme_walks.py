"""The walks in the README and docs/ run exactly as written, against a live server."""

from __future__ import annotations

import shutil
import sys

import pytest

from tests.conftest import ROOT
from tests.live import serving

sys.path.insert(0, str(ROOT / "scripts"))
import walks as documented  # noqa: E402  (scripts/walks.py: the QA flow runner)

WALKS = documented.walks()


def test_the_readme_walks_the_self_proxy_and_family_doctor_flows():
    names = " ".join(WALKS)
    assert "李明 files for himself" in names and "王秀英" in names and "陈小红" in names
    assert "张隽's work injury" in names  # seed 001: residence, settlement, his wife's referral


@pytest.mark.parametrize("name", WALKS)
def test_a_documented_walk_runs_as_written(app, tmp_path, name):
    for tool in ("curl", "jq"):
        assert shutil.which(tool), f"{tool} is needed for the walks (./scripts/test installs it)"
    with serving(app) as base:
        outcome = documented.run(WALKS[name], base, tmp_path)
    assert outcome.returncode == 0, outcome.output[-4000:]
    assert outcome.missing == [], (outcome.missing, outcome.output[-4000:])
    assert "Traceback" not in outcome.output
