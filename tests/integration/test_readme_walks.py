"""The walks in the README and docs/ run exactly as written, against a live server."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from tests.conftest import ROOT
from tests.live import serving

WALK_FILES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("walkthrough-*.md"))]


def walks() -> dict[str, str]:
    """Each `### Walk: ...` heading and the bash blocks under it, as one script."""
    found = {}
    for path in WALK_FILES:
        text = path.read_text(encoding="utf-8")
        for section in re.split(r"^### ", text, flags=re.M)[1:]:
            title, _, body = section.partition("\n")
            if not title.startswith("Walk:"):
                continue
            body = re.split(r"^## ", body, flags=re.M)[0]
            blocks = re.findall(r"```bash\n(.*?)```", body, flags=re.S)
            found[f"{path.name}: {title}"] = "\n".join(blocks)
    return found


WALKS = walks()


def test_the_readme_has_the_self_filing_walk():
    assert any("李明 files for himself" in name for name in WALKS)


@pytest.mark.parametrize("name", WALKS)
def test_a_documented_walk_runs_as_written(app, tmp_path, name):
    for tool in ("curl", "jq"):
        assert shutil.which(tool), f"{tool} is needed for the walks (./scripts/test installs it)"
    (tmp_path / "docs").symlink_to(ROOT / "docs")
    with serving(app) as base:
        result = subprocess.run(["bash", "-euo", "pipefail", "-c", WALKS[name]], cwd=tmp_path,
                                env={**os.environ, "BASE": base}, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    expected = re.findall(r"^# expect: (.*)$", WALKS[name], flags=re.M)
    for line in expected:
        assert line in result.stdout, (line, result.stdout[-3000:])
    assert "Traceback" not in result.stdout + result.stderr
