"""PostgreSQL closed the app's pooled connections (a restart, a failover, an idle
timeout): the next requests are answered as if nothing had happened, not with a 503.

The pool is not pinged before each use (that would be a round trip on every request);
the request that meets a dead connection runs again on a new one, once, provided it
has committed nothing (`backend/adapters/db.py`, `rerun_when_safe`)."""

import os

import pytest
from sqlalchemy import create_engine, text

from tests.api.flows import long_term_details

pytestmark = pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL", "").startswith("postgres"),
                                reason="PostgreSQL closes connections; SQLite has none to close")


@pytest.fixture(autouse=True)
def fresh_pool_afterwards(app):
    """The app is shared by the whole suite: the next test starts with a pool of live
    connections, as a freshly started server would."""
    yield
    app.extensions["db"].engine.dispose()


def close_the_apps_connections(database_url: str) -> int:
    """What a server restart does to the app: every other session of this database ends."""
    engine = create_engine(database_url)
    with engine.begin() as conn:
        closed = conn.execute(text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()")).scalar()
    engine.dispose()
    return closed


def test_reads_and_writes_go_through_after_the_server_closed_every_connection(login, database_url, app):
    liming = login("李明")
    assert liming.get("/api/v1/me").status_code == 200  # the pool holds a connection now

    assert close_the_apps_connections(database_url) >= 1
    me = liming.get("/api/v1/me")
    assert me.status_code == 200, me.json
    assert me.json["identity_bound"] is True and me.json["identity"]["name"].startswith("李")

    filing = liming.post("/api/v1/filings", json={"for": "self"}).json["id"]
    assert close_the_apps_connections(database_url) >= 1
    saved = liming.put(f"/api/v1/filings/{filing}/insured", json={"scheme": "employee", "insured_region": "140100"})
    assert saved.status_code == 200, saved.json
    assert [s["name"] for s in saved.json["steps"] if s["done"]] == ["insured"]

    # Saved once: the history shows one such step, not two.
    events = liming.get(f"/api/v1/filings/{filing}/events").json
    steps = [e["step"] for e in (events["items"] if isinstance(events, dict) else events)]
    assert steps.count("insured") == 1, steps


def test_a_request_that_had_already_committed_is_not_run_twice(login, database_url, app, monkeypatch):
    """The rule the rerun keeps: after a commit nothing is run again. A submit whose
    connection dies after it committed answers 503, and the filing is submitted once."""
    liming = login("李明")
    filing = liming.post("/api/v1/filings", json={"for": "self"})
    assert filing.status_code == 201
    fid = filing.json["id"]
    liming.put(f"/api/v1/filings/{fid}/insured", json={"scheme": "employee", "insured_region": "140100"})
    liming.put(f"/api/v1/filings/{fid}/notice", json={"accepted": True, "version": "2026.1"})
    assert liming.put(f"/api/v1/filings/{fid}/details",
                      json=long_term_details(person_type="stationed_worker")).status_code == 200
    # the access log's look at the filing comes after its commit: cut the connection there
    from backend.services import filings as service
    real_get = service.get

    def get_then_lose_the_connection(actor, filing_id, kit=None):
        body = real_get(actor, filing_id, kit)
        close_the_apps_connections(database_url)
        from backend.services.runtime import session
        session().execute(text("SELECT 1"))  # the dead connection, after the commit
        return body

    monkeypatch.setattr(service, "get", get_then_lose_the_connection)
    answer = liming.get(f"/api/v1/filings/{fid}")
    monkeypatch.undo()
    assert answer.status_code == 503, answer.json
    assert answer.json["code"] == "server.database_unavailable"
    assert liming.get(f"/api/v1/filings/{fid}").status_code == 200


def test_qa_s_moved_clock_is_still_read_after_the_server_closed_every_connection(client, database_url, app):
    """Outside production the QA clock is read on a connection of its own before each
    request: a dead one must not make the moved clock read as "not moved"."""
    app.config["CLOCK"] = None
    moved = client.put("/api/v1/qa/clock", json={"now": "2027-01-01T09:00:00+08:00"}).get_json()
    assert moved["now"].startswith("2027-01-01T09:0")
    assert close_the_apps_connections(database_url) >= 1
    assert client.get("/api/v1/qa/clock").get_json()["now"].startswith("2027-01-01T09:0")
    client.delete("/api/v1/qa/clock")
