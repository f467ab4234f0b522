#!/usr/bin/env python3
"""Run the documented walks against a running server: the QA flow runner.

The walks are the `### Walk: ...` sections of the README and every
docs/walkthrough-*.md, run exactly as written (curl and jq) and checked against
their `# expect:` lines. The same code runs them in the tests.

    ./scripts/run &                                  # a server on :5000
    .venv/bin/python scripts/walks.py --list
    .venv/bin/python scripts/walks.py 李明           # every walk whose name contains 李明
    BASE=http://127.0.0.1:5000 .venv/bin/python scripts/walks.py   # all of them

A walk changes the data it runs on (a proxy walk ends with the grant withdrawn):
run it on a fresh DATA_DIR to run it twice.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _script(markdown: str) -> str:
    """The bash blocks of a walk, in order, as one script. Blocks that start a server
    are left out: the runner points the walk at a server that is already running."""
    blocks = re.findall(r"```bash\n(.*?)```", markdown, flags=re.S)
    return "\n".join(b for b in blocks if "flask --app backend" not in b)


def walks() -> dict[str, str]:
    found = {}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for section in re.split(r"^### ", readme, flags=re.M)[1:]:
        title, _, body = section.partition("\n")
        if title.startswith("Walk:"):
            found[f"README: {title}"] = _script(re.split(r"^## ", body, flags=re.M)[0])
    for path in sorted((ROOT / "docs").glob("walkthrough-*.md")):
        found[path.name] = _script(path.read_text(encoding="utf-8"))
    return found


@dataclass
class Outcome:
    returncode: int
    output: str
    missing: list[str]

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.missing


def run(script: str, base: str, cwd: Path) -> Outcome:
    """Run one walk with every documented address pointed at `base`."""
    script = re.sub(r"http://127\.0\.0\.1:\d+", base.rstrip("/"), script)
    docs = cwd / "docs"
    if not docs.exists():
        docs.symlink_to(ROOT / "docs")
    result = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=cwd, capture_output=True, text=True,
                            env={**os.environ, "BASE": base}, timeout=300)
    expected = re.findall(r"^# expect: (.*)$", script, flags=re.M)
    return Outcome(result.returncode, result.stdout + result.stderr,
                   [line for line in expected if line not in result.stdout])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("name", nargs="?", default="", help="run the walks whose name contains this")
    parser.add_argument("--list", action="store_true", help="list the walks")
    args = parser.parse_args()
    chosen = {n: s for n, s in walks().items() if args.name in n}
    if args.list or not chosen:
        print("\n".join(walks()) if args.list else f"no walk matches {args.name!r}")
        return 0 if args.list else 1
    base = os.environ.get("BASE", "http://127.0.0.1:" + os.environ.get("PORT", "5000"))
    import tempfile
    failed = 0
    for name, script in chosen.items():
        with tempfile.TemporaryDirectory() as tmp:
            outcome = run(script, base, Path(tmp))
        print(outcome.output)
        print(f"{'PASS' if outcome.ok else 'FAIL'}: {name}" + (f" (missing: {outcome.missing})" if outcome.missing else ""))
        failed += not outcome.ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
