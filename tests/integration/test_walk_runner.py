"""The QA flow runner (scripts/walks.py) against a live server: every walk passes
twice in a row on one server, two runs at once do not collide, the reports parse,
and a failing walk exits non-zero with the error shown."""

from __future__ import annotations

import contextlib
import io
import json
import sys
import threading
import xml.etree.ElementTree as ET

from tests.conftest import ROOT
from tests.live import serving

sys.path.insert(0, str(ROOT / "scripts"))
import walks as runner  # noqa: E402


def _run(*argv):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = runner.main(list(argv))
    return code, out.getvalue()


def test_every_walk_passes_twice_in_a_row_on_one_server_with_reports(app, tmp_path):
    with serving(app) as base:
        code, output = _run("--base", base, "--repeat", "2", "--json", str(tmp_path / "r.json"),
                            "--junit", str(tmp_path / "r.xml"))
    assert code == 0, output[-6000:]
    count = 2 * len(runner.WALKS)
    assert f"{count} passed, 0 failed" in output
    assert "POST   /qa/people" in output and " ms  " in output
    suite = ET.parse(tmp_path / "r.xml").getroot()
    assert suite.tag == "testsuite" and suite.get("tests") == str(count) and suite.get("failures") == "0"
    assert len(suite.findall("testcase")) == count and not suite.findall("testcase/failure")
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert report["passed"] == count and all(w["steps"] for w in report["walks"])
    with app.test_client() as client:  # every clock walk put the clock back
        assert client.get("/api/v1/qa/clock").get_json()["moved"] is False


def test_two_runs_at_once_do_not_collide(app):
    results = {}

    def one(name):
        walks = [w for w in runner.WALKS if w.group == "api"]
        results[name] = [runner.run_walk(w, base, out=lambda _line: None) for w in walks]

    with serving(app) as base:
        threads = [threading.Thread(target=one, args=(n,)) for n in ("a", "b")]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    for name, outcome in results.items():
        assert outcome and all(r.ok for r in outcome), [(r.name, r.error) for r in outcome if not r.ok]


def test_a_failing_walk_exits_non_zero_with_the_error_shown(app, tmp_path):
    with serving(app) as base:
        code, output = _run("--base", base + "/wrong", "self-filing", "--junit", str(tmp_path / "r.xml"))
    assert code == 1
    assert "FAIL: self-filing" in output and "0 passed, 1 failed" in output
    assert "expected 200 or 201, got 405" in output and '"code":"request.method_not_allowed"' in output  # the body
    suite = ET.parse(tmp_path / "r.xml").getroot()
    assert suite.get("failures") == "1" and suite.find("testcase/failure") is not None


def test_a_server_that_does_not_answer_fails_too(tmp_path):
    code, output = _run("--base", "http://127.0.0.1:9", "proxy")
    assert code == 1 and "no answer" in output


def test_the_list_names_every_group():
    code, output = _run("--list")
    assert code == 0 and all(w.name in output for w in runner.WALKS) and "readme" in output


def test_the_walks_look_for_every_kind_of_notification():
    import re

    from backend.domain.notifications import TEMPLATES
    from tests.conftest import ROOT
    looked_for = set(re.findall(r'expect_message\(\w+, "(\w+)"\)', (ROOT / "scripts" / "walks.py").read_text()))
    assert looked_for == set(TEMPLATES)
