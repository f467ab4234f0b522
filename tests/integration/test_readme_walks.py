"""The walks in the README and docs/ run exactly as written, against a live server."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from tests.conftest import ROOT
from tests.live import serving

def _script(markdown: str) -> str:
    """The bash blocks of a walk, in order, as one script. Blocks that start a server
    are left out: the test serves the app itself, and points the walk at it."""
    blocks = re.findall(r"```bash\n(.*?)```", markdown, flags=re.S)
    return "\n".join(b for b in blocks if "flask --app backend" not in b)


def walks() -> dict[str, str]:
    """`### Walk: ...` sections of the README, and every docs/walkthrough-*.md whole."""
    found = {}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for section in re.split(r"^### ", readme, flags=re.M)[1:]:
        title, _, body = section.partition("\n")
        if title.startswith("Walk:"):
            found[f"README: {title}"] = _script(re.split(r"^## ", body, flags=re.M)[0])
    for path in sorted((ROOT / "docs").glob("walkthrough-*.md")):
        found[path.name] = _script(path.read_text(encoding="utf-8"))
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
        script = re.sub(r"http://127\.0\.0\.1:\d+", base, WALKS[name])
        result = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=tmp_path,
                                env={**os.environ, "BASE": base}, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    expected = re.findall(r"^# expect: (.*)$", WALKS[name], flags=re.M)
    for line in expected:
        assert line in result.stdout, (line, result.stdout[-3000:])
    assert "Traceback" not in result.stdout + result.stderr
