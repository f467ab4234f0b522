"""How many SQL statements a hot request runs: a small fixed number, whatever the
number of rows it shows (no query per row: the N+1 a list grows slower with).

Counted with a `before_cursor_execute` listener on the app's engine, once the
process has read its reference data (regions, documents: once per process, see
backend/services/reference.py). BEGIN and COMMIT are not counted (PostgreSQL's
driver sends its BEGIN unseen). A person notices these as answers that stay quick
with a long history; scripts/profile shows the same counts with the times.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import event

from backend.adapters.clock import beijing_date
from tests.api.flows import (effective_self_filing, long_term_details, proxy_filing_through,
                             self_filing_until_signature, temporary_details)
from tests.api.test_family_doctor import draft, institutions, team_named

TRANSACTION_CONTROL = re.compile(r"^\s*(BEGIN|COMMIT|ROLLBACK)\b", re.IGNORECASE)


@pytest.fixture
def statements(app):
    """`with statements() as seen:` → the statements run inside, BEGIN/COMMIT aside."""

    @contextmanager
    def counting():
        seen: list[str] = []

        def count(_conn, _cursor, statement, *_args):
            if not TRANSACTION_CONTROL.match(statement):
                seen.append(" ".join(statement.split()))

        engine = app.extensions["db"].engine
        event.listen(engine, "before_cursor_execute", count)
        try:
            yield seen
        finally:
            event.remove(engine, "before_cursor_execute", count)

    return counting


def counted(statements, call) -> tuple[object, list[str]]:
    """The answer and the statements of one request, after the same request once
    (the first of a process reads the reference data)."""
    assert call().status_code < 300
    with statements() as seen:
        answer = call()
    assert answer.status_code < 300, answer.get_json()
    return answer, seen


def test_one_filing_is_the_login_check_and_one_query(statements, login):
    liming = login("李明")
    fid = self_filing_until_signature(liming)
    answer, seen = counted(statements, lambda: liming.get(f"/api/v1/filings/{fid}"))
    assert answer.json["destination_region_name"] == "海口市"
    assert len(seen) <= 2, seen


def test_an_agent_looking_at_a_filing_adds_only_the_access_log_line(statements, login):
    liming = login("李明")
    fid = proxy_filing_through(liming, "attachments")
    answer, seen = counted(statements, lambda: liming.get(f"/api/v1/filings/{fid}"))
    assert len(answer.json["attachments"]) == 2
    assert sum(s.startswith("INSERT INTO access_log") for s in seen) == 1
    assert len(seen) <= 3, seen


def test_saving_the_details_runs_a_handful_of_statements(statements, login):
    liming = login("李明")
    fid = self_filing_until_signature(liming)
    flip = iter(["460100", "110100"])
    answer, seen = counted(statements, lambda: liming.put(f"/api/v1/filings/{fid}/details",
                                                          json=long_term_details(person_type="stationed_worker",
                                                                                 destination_region=next(flip))))
    assert answer.json["destination_region_name"] == "北京市"
    # login, the filing, the insured person's records, the one-long-term rule, the
    # event, the row's update
    assert len(seen) <= 6, seen


def test_a_page_of_twenty_filings_costs_what_a_page_of_two_does(app, statements, login):
    app.config["MAX_OPEN_DRAFTS"] = 30
    liming = login("李明")
    for _ in range(2):
        proxy_filing_through(liming, "attachments")
    small, few = counted(statements, lambda: liming.get("/api/v1/filings?for=other"))
    for _ in range(18):
        proxy_filing_through(liming, "attachments")
    large, many = counted(statements, lambda: liming.get("/api/v1/filings?for=other"))
    assert len(small.json["items"]) == 2 and len(large.json["items"]) == 20
    assert all(len(item["attachments"]) == 2 for item in large.json["items"])
    assert len(many) == len(few), (few, many)
    # login, the total, the page, its photos, and the looks logged (one statement)
    assert len(many) <= 5, many


def test_the_sign_ups_list_and_one_sign_up(client, statements, login):
    chen = login("陈小红")
    team = team_named(client, "周敏家庭医生团队")
    signup = draft(chen, team)
    listed, seen = counted(statements, lambda: chen.get("/api/v1/fd/signups"))
    assert listed.json["items"][0]["team"]["name"] == "周敏家庭医生团队"
    assert len(seen) <= 4, seen
    one, seen = counted(statements, lambda: chen.get(f"/api/v1/fd/signups/{signup['id']}"))
    assert one.json["packages"]
    assert len(seen) <= 3, seen


def test_me_and_my_insurance(statements, login):
    liming = login("李明")
    me, seen = counted(statements, lambda: liming.get("/api/v1/me"))
    assert me.json["identity"]["name"] == "李明"
    assert len(seen) <= 3, seen
    insurance, seen = counted(statements, lambda: liming.get("/api/v1/me/insurance"))
    assert insurance.json[0]["insured_region_name"] == "太原市"
    assert len(seen) <= 3, seen


def test_a_partner_settlement_finds_the_filing_in_one_query(client, statements, login):
    liming = login("李明")
    today = beijing_date(datetime.now(timezone.utc))
    filing = effective_self_filing(liming, details=temporary_details(
        start_date=today.isoformat(), end_date=(today + timedelta(days=200)).isoformat()))
    settle = {"filing_no": filing["filing_no"], "amount": "100.00", "institution": "海南省人民医院",
              "settled_at": (datetime.now(timezone.utc) - timedelta(minutes=1)).isoformat()}
    answer, seen = counted(statements, lambda: client.post("/api/v1/partner/settlements", json=settle,
                                                           headers={"X-Partner-Key": "demo-settlement-key"}))
    assert answer.json["filing_no"] == filing["filing_no"]
    # the key, the filing (locked), the settlement and its event
    assert len(seen) <= 4, seen


def test_the_catalogue_does_not_grow_with_its_teams(client, statements):
    listed, seen = counted(statements, lambda: client.get("/api/v1/fd/institutions"))
    assert sum(len(i["teams"]) for i in listed.json) > 3
    assert all(t["members"] for i in institutions(client) for t in i["teams"])
    # institutions, their teams, the teams' members
    assert len(seen) <= 3, seen
