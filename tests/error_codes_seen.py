"""A pytest plugin: every error `code` the API answers during a test run must be in
the error catalogue (backend/domain/error_codes.py), with the status it was answered with.

Each error answer is recorded as it leaves the app (Flask's `request_finished`
signal: every app, every client, no fixture needed). At the end of the session the
codes seen are checked and the run fails, naming them, if one is missing. A partial
run (`-k something`) checks what it saw.
"""

from __future__ import annotations

import pytest
from flask import request_finished

from backend.domain.error_codes import CATALOGUE

# code -> {status: first test that saw it}
SEEN: dict[str, dict[int, str]] = {}
_current_test = {"nodeid": "(outside a test)"}
_problems: list[str] = []


def record(_sender, response, **_extra) -> None:
    if response.status_code < 400 or not response.is_json:
        return
    body = response.get_json(silent=True)
    if isinstance(body, dict) and isinstance(body.get("code"), str):
        SEEN.setdefault(body["code"], {}).setdefault(response.status_code, _current_test["nodeid"])


def problems(seen: dict[str, dict[int, str]]) -> list[str]:
    found = []
    for code, statuses in sorted(seen.items()):
        for status, nodeid in sorted(statuses.items()):
            if code not in CATALOGUE:
                found.append(f"{code} ({status}) is not in the catalogue — first seen in {nodeid}")
            elif CATALOGUE[code][0] != status:
                found.append(f"{code} was answered with {status}, the catalogue says {CATALOGUE[code][0]}"
                             f" — first seen in {nodeid}")
    return found


def pytest_configure(config) -> None:
    request_finished.connect(record)


def pytest_unconfigure(config) -> None:
    request_finished.disconnect(record)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    _current_test["nodeid"] = item.nodeid
    try:
        return (yield)
    finally:
        _current_test["nodeid"] = "(outside a test)"


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session, exitstatus) -> None:
    _problems[:] = problems(SEEN)
    if _problems and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter) -> None:
    if _problems:
        terminalreporter.section("error codes missing from backend/domain/error_codes.py", red=True)
        for line in _problems:
            terminalreporter.line(line)
        terminalreporter.line("The run fails until each is added to the catalogue with the status it is answered with.")
