"""Times leave the server in Beijing time with their offset, are stored in UTC, and a
date is a Beijing date (shared/api.md). Runs on SQLite and on PostgreSQL alike.

The app clock is set before anyone signs in: tokens are read under the same clock.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone

import pytest
from flask import request_finished
from sqlalchemy import select, text

from backend.adapters.clock import CHINA, beijing_date
from backend.adapters.models import Account, FilingEvent, Settlement
from backend.services.runtime import session
from tests.api.flows import effective_self_filing, long_term_details
from tests.api.test_family_doctor import HEZHIQIANG, active, team_named

PARTNER = {"X-Partner-Key": "demo-settlement-key"}
LOOKS_LIKE_A_MOMENT = re.compile(r"^\d{4}-\d\d-\d\dT")
# 13:03 in Beijing on 1 December is 05:03 UTC: the "history at 05:03".
AT_1303_IN_BEIJING = datetime(2026, 12, 1, 5, 3, tzinfo=timezone.utc)
# 10:00 in Beijing on 2 December: after the settlement of 07:30 that morning.
AT_1000_ON_2_DECEMBER = datetime(2026, 12, 2, 2, 0, tzinfo=timezone.utc)


def set_clock(app, moment: datetime) -> None:
    app.config["CLOCK"] = lambda: moment


def details_from(day: date) -> dict:
    """A long-term filing that started the day before the clock's day, so that a
    settlement on the clock's day falls inside its validity."""
    return long_term_details(person_type="stationed_worker", start_date=(day - timedelta(days=1)).isoformat())


@contextmanager
def every_answer(app):
    """The JSON bodies of every answer the app gives inside the block."""
    answers = []

    def keep(sender, response, **_):
        if response.is_json:
            answers.append((f"{response.status_code} {response.headers.get('Content-Type')}", response.get_json()))

    request_finished.connect(keep, app)
    try:
        yield answers
    finally:
        request_finished.disconnect(keep, app)


def moments_in(value, path="$") -> list[tuple[str, str]]:
    """Every string in a JSON value that starts like a datetime, with where it stands."""
    if isinstance(value, dict):
        return [m for key, item in value.items() for m in moments_in(item, f"{path}.{key}")]
    if isinstance(value, list):
        return [m for i, item in enumerate(value) for m in moments_in(item, f"{path}[{i}]")]
    if isinstance(value, str) and LOOKS_LIKE_A_MOMENT.match(value):
        return [(path, value)]
    return []


def assert_all_beijing(answers, at_least: int) -> list[tuple[str, str]]:
    found = [m for _, body in answers for m in moments_in(body)]
    assert len(found) >= at_least, found
    assert [m for m in found if not m[1].endswith("+08:00")] == []
    return found


# --- every answer ----------------------------------------------------------------

def test_every_timestamp_of_a_self_filing_walk_is_beijing_time_with_its_offset(app, client, login):
    set_clock(app, AT_1303_IN_BEIJING)
    with every_answer(app) as answers:
        liming = login("李明")
        filing = effective_self_filing(liming, details=details_from(date(2026, 12, 1)))
        events = liming.get(f"/api/v1/filings/{filing['id']}/events").json
        liming.get(f"/api/v1/filings/{filing['id']}")
        liming.get("/api/v1/filings")
        liming.get("/api/v1/me")
    found = assert_all_beijing(answers, at_least=10)
    # An act done at 13:03 in China is told as 13:03, not 05:03.
    assert {value for _, value in found} == {"2026-12-01T13:03:00+08:00"}
    assert [e["at"] for e in events] == ["2026-12-01T13:03:00+08:00"] * len(events)
    assert filing["submitted_at"] == filing["signed_at"] == "2026-12-01T13:03:00+08:00"


def test_every_timestamp_of_a_family_doctor_sign_up_and_its_history_is_beijing_time(app, client, login):
    set_clock(app, AT_1303_IN_BEIJING)
    with every_answer(app) as answers:
        chen = login("陈小红")
        signup = active(client, chen, team_named(client, HEZHIQIANG), kinds=())
        chen.get(f"/api/v1/fd/signups/{signup['id']}/events")
        chen.get("/api/v1/fd/signups")
        client.get("/api/v1/partner/fd/signups", headers={"X-Partner-Key": f"demo-fd-team-{signup['team_id']}"})
        chen.get("/api/v1/me")
    found = assert_all_beijing(answers, at_least=10)
    assert {value for _, value in found} == {"2026-12-01T13:03:00+08:00"}
    assert signup["valid_from"] == "2026-12-01"


def test_family_members_and_agents_are_listed_with_beijing_times(app, client, login):
    set_clock(app, AT_1303_IN_BEIJING)
    with every_answer(app) as answers:
        chen = login("陈小红")
        added = chen.post("/api/v1/me/family-members",
                          json={"name": "刘小宝", "id_number": "430121202309020572", "relation": "child"})
        assert added.status_code == 201, added.json
        chen.get("/api/v1/me/family-members")
        chen.get("/api/v1/me")
    found = assert_all_beijing(answers, at_least=2)
    assert {value for _, value in found} == {"2026-12-01T13:03:00+08:00"}


def test_a_filing_submitted_at_half_past_midnight_in_beijing_is_numbered_for_that_beijing_day(app, login):
    # 16:30 UTC on 1 December is 00:30 on 2 December in Beijing.
    set_clock(app, datetime(2026, 12, 1, 16, 30, tzinfo=timezone.utc))
    liming = login("李明")
    filing = effective_self_filing(liming, details=details_from(date(2026, 12, 2)))
    assert filing["filing_no"][8:16] == "20261202"
    assert filing["submitted_at"] == "2026-12-02T00:30:00+08:00"


# --- partner times -----------------------------------------------------------------

def settle(client, filing_no: str, settled_at: str):
    return client.post("/api/v1/partner/settlements", headers=PARTNER, json={
        "filing_no": filing_no, "amount": "12345.60", "settled_at": settled_at, "institution": "海南省人民医院"})


def stored_settlement(app) -> datetime:
    with app.app_context():
        return session().scalar(select(Settlement.settled_at))


def test_a_settlement_at_half_past_seven_in_beijing_is_answered_as_such_and_kept_in_utc(app, client, login):
    set_clock(app, AT_1000_ON_2_DECEMBER)
    liming = login("李明")
    filing = effective_self_filing(liming, details=details_from(date(2026, 12, 2)))
    response = settle(client, filing["filing_no"], "2026-12-02T07:30+08:00")
    assert response.status_code == 201, response.json
    assert response.json["settled_at"] == "2026-12-02T07:30:00+08:00"
    stored = stored_settlement(app)
    assert stored == datetime(2026, 12, 1, 23, 30, tzinfo=timezone.utc)
    assert stored.utcoffset() == timedelta(0)
    assert beijing_date(stored) == date(2026, 12, 2)
    settled = liming.get(f"/api/v1/filings/{filing['id']}/events").json[-1]
    assert (settled["step"], settled["at"]) == ("settled", "2026-12-02T10:00:00+08:00")


def test_a_filing_settled_at_half_past_seven_in_beijing_cannot_be_cancelled_and_says_2_december(
        app, client, login):
    set_clock(app, AT_1000_ON_2_DECEMBER)
    liming = login("李明")
    filing = effective_self_filing(liming, details=details_from(date(2026, 12, 2)))
    assert settle(client, filing["filing_no"], "2026-12-02T07:30+08:00").status_code == 201
    refused = liming.post(f"/api/v1/filings/{filing['id']}/cancel", json={"reason": "搬家"})
    assert refused.status_code == 409 and refused.json["code"] == "filing.settled"
    assert "2026-12-02" in refused.json["message"], refused.json["message"]


def test_a_partner_time_without_an_offset_is_read_as_beijing_time(app, client, login):
    set_clock(app, AT_1000_ON_2_DECEMBER)
    liming = login("李明")
    filing = effective_self_filing(liming, details=details_from(date(2026, 12, 2)))
    response = settle(client, filing["filing_no"], "2026-12-02T07:30:00")
    assert response.status_code == 201, response.json
    assert response.json["settled_at"] == "2026-12-02T07:30:00+08:00"
    assert stored_settlement(app) == datetime(2026, 12, 1, 23, 30, tzinfo=timezone.utc)


def test_a_partner_time_in_utc_is_answered_in_beijing_time(app, client, login):
    set_clock(app, AT_1000_ON_2_DECEMBER)
    liming = login("李明")
    filing = effective_self_filing(liming, details=details_from(date(2026, 12, 2)))
    response = settle(client, filing["filing_no"], "2026-12-01T23:30:00Z")
    assert response.status_code == 201, response.json
    assert response.json["settled_at"] == "2026-12-02T07:30:00+08:00"


@pytest.mark.parametrize("settled_at", ["soon", "2026-12-02", "2026-12-02T25:00:00"])
def test_a_partner_time_that_is_no_time_is_refused_in_chinese(app, client, login, settled_at):
    set_clock(app, AT_1000_ON_2_DECEMBER)
    liming = login("李明")
    filing = effective_self_filing(liming, details=details_from(date(2026, 12, 2)))
    response = settle(client, filing["filing_no"], settled_at)
    assert response.status_code == 422
    assert "settled_at" in response.json["errors"]


# --- storage -------------------------------------------------------------------------

def test_a_stored_row_comes_back_with_its_utc_zone_on_every_database(app, login):
    set_clock(app, AT_1303_IN_BEIJING)
    login("李明")
    with app.app_context():
        created = session().scalar(select(Account.created_at))
        assert created == AT_1303_IN_BEIJING and created.tzinfo is not None
        assert created.utcoffset() == timedelta(0)
        raw = session().scalar(text("SELECT created_at FROM accounts"))
    if app.extensions["db"].url.startswith("sqlite"):
        # The driver answers text without a zone: it is UTC, as written.
        assert str(raw).startswith("2026-12-01 05:03:00")
    else:
        assert raw == AT_1303_IN_BEIJING


def test_a_beijing_moment_is_stored_as_the_same_instant(app, login):
    set_clock(app, AT_1303_IN_BEIJING)
    liming = login("李明")
    filing_id = liming.post("/api/v1/filings", json={"for": "self"}).json["id"]
    with app.app_context():
        event = session().scalar(select(FilingEvent).where(FilingEvent.filing_id == filing_id))
        event.at = datetime(2026, 12, 2, 7, 30, tzinfo=CHINA)
        session().commit()
        session().expire_all()
        assert session().get(FilingEvent, event.id).at == datetime(2026, 12, 1, 23, 30, tzinfo=timezone.utc)


def test_a_naive_datetime_is_refused_on_its_way_into_the_database(app, login):
    set_clock(app, AT_1303_IN_BEIJING)
    liming = login("李明")
    filing_id = liming.post("/api/v1/filings", json={"for": "self"}).json["id"]
    with app.app_context():
        event = session().scalar(select(FilingEvent).where(FilingEvent.filing_id == filing_id))
        event.at = datetime(2026, 12, 2, 7, 30)
        with pytest.raises(Exception, match="naive datetime"):
            session().commit()
        session().rollback()
