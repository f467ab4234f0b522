"""QA tools (outside production only): fresh people, the server's clock, the daily jobs."""

from __future__ import annotations

from datetime import datetime, timedelta

from stdnum.cn import ric

from backend import create_app
from backend.adapters import clock
from backend.adapters.clock import CHINA
from tests.conftest import assert_error_shape


def _login(client, code):
    token = client.post("/api/v1/auth/wx-login", json={"code": code}).get_json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    assert client.put("/api/v1/me/identity", json={"consent": True}, headers=auth).status_code == 200
    return auth


def test_a_fresh_person_has_a_valid_number_and_a_login_code_bound_to_them(client):
    made = [client.post("/api/v1/qa/people", json={"scheme": "employee", "insured_region": "140100", "age": 45})
            for _ in range(3)]
    assert all(r.status_code == 201 for r in made), made[0].get_json()
    people = [r.get_json() for r in made]
    assert len({p["id_number"] for p in people}) == 3
    for p in people:
        assert ric.is_valid(p["id_number"]) and p["id_number"].startswith("14")
        assert p["login_code"] == f"demo-{p['id_number']}" and p["age"] == 45 and p["relations"] == []
    auth = _login(client, people[0]["login_code"])
    me = client.get("/api/v1/me/insurance", headers=auth)
    assert me.status_code == 200, me.get_json()
    assert "140100" in me.get_data(as_text=True)


def test_relatives_pass_the_relation_check_of_a_proxy_filing(client):
    answer = client.post("/api/v1/qa/people", json={"scheme": "employee", "insured_region": "140100", "age": 45,
                                                     "relations": [{"relation": "parent", "age": 74},
                                                                   {"relation": "child"}]}).get_json()
    mother, child = answer["relations"]
    assert (mother["relation"], mother["age"], child["relation"]) == ("parent", 74, "child")
    auth = _login(client, answer["login_code"])
    filing = client.post("/api/v1/filings", json={"for": "other"}, headers=auth).get_json()["id"]
    body = {"name": mother["name"], "id_number": mother["id_number"], "scheme": "employee", "insured_region": "140100"}
    ok = client.put(f"/api/v1/filings/{filing}/insured", json={**body, "relation": "parent"}, headers=auth)
    assert ok.status_code == 200, ok.get_json()
    other = client.post("/api/v1/filings", json={"for": "other"}, headers=auth).get_json()["id"]
    wrong = client.put(f"/api/v1/filings/{other}/insured", json={**body, "relation": "sibling"}, headers=auth)
    assert wrong.status_code == 422 and wrong.get_json()["code"] == "agent.relation_mismatch"


def test_an_implausible_relative_or_an_unknown_region_is_refused(client):
    r = client.post("/api/v1/qa/people", json={"scheme": "employee", "insured_region": "140100", "age": 45,
                                                "relations": [{"relation": "parent", "age": 50}]})
    assert r.status_code == 422 and r.get_json()["code"] == "request.invalid"
    r = client.post("/api/v1/qa/people", json={"scheme": "employee", "insured_region": "999900"})
    assert r.status_code == 422 and r.get_json()["code"] == "request.invalid"


def _at(text):
    return datetime.fromisoformat(text)


def test_the_clock_moves_for_rules_and_timestamps_and_delete_resets_it(client):
    real = client.get("/api/v1/qa/clock").get_json()
    assert real["moved"] is False and real["offset_seconds"] == 0 and real["now"].endswith("+08:00")
    moved = client.put("/api/v1/qa/clock", json={"now": "2027-01-01T09:00:00+08:00"}).get_json()
    assert moved["moved"] is True and abs(_at(moved["now"]) - datetime(2027, 1, 1, 9, tzinfo=CHINA)) < timedelta(seconds=5)
    on = client.put("/api/v1/qa/clock", json={"advance_days": 30}).get_json()
    assert abs(_at(on["now"]) - datetime(2027, 1, 31, 9, tzinfo=CHINA)) < timedelta(seconds=5)
    # a timestamp the app writes follows it (a new filing's created_at), tokens too
    person = client.post("/api/v1/qa/people", json={"scheme": "employee", "insured_region": "140100"}).get_json()
    auth = _login(client, person["login_code"])
    filing = client.post("/api/v1/filings", json={"for": "self"}, headers=auth).get_json()
    events = client.get(f"/api/v1/filings/{filing['id']}/events", headers=auth).get_json()
    assert all(e["at"].startswith("2027-01-31") for e in events), events
    back = client.delete("/api/v1/qa/clock").get_json()
    assert back["moved"] is False and abs(_at(back["now"]) - datetime.now(CHINA)) < timedelta(seconds=5)
    assert client.put("/api/v1/qa/clock", json={}).status_code == 422
    assert client.put("/api/v1/qa/clock", json={"now": "2027-01-01T09:00:00+08:00", "advance_days": 1}).status_code == 422


def test_two_apps_on_one_database_read_the_same_clock(app, client):
    other = create_app(dict(app.config))
    client.put("/api/v1/qa/clock", json={"now": "2028-06-01T12:00:00+08:00"})
    seen = other.test_client().get("/api/v1/qa/clock").get_json()
    assert seen["moved"] and seen["now"].startswith("2028-06-01T12:00")
    with other.app_context():  # outside a request too: `flask expire` and `flask purge`
        assert clock.now().astimezone(CHINA).date().isoformat() == "2028-06-01"
    other.test_client().delete("/api/v1/qa/clock")
    assert client.get("/api/v1/qa/clock").get_json()["moved"] is False
    other.extensions["db"].dispose()


def test_the_daily_jobs_run_under_the_moved_clock(client):
    r = client.post("/api/v1/qa/daily-jobs")
    assert r.status_code == 200 and set(r.get_json()) == {"expired", "purged"}


def test_production_never_mounts_the_qa_tools(app, tmp_path):
    import base64

    settings = {**dict(app.config), "ENV_NAME": "production", "DATA_DIR": str(tmp_path),
                "DATA_KEY": base64.b64encode(b"k" * 32).decode()}
    production = create_app(settings)
    assert not [r for r in production.url_map.iter_rules() if "/qa/" in r.rule]
    client = production.test_client()
    for method, path in (("post", "/api/v1/qa/people"), ("get", "/api/v1/qa/clock"),
                         ("put", "/api/v1/qa/clock"), ("post", "/api/v1/qa/daily-jobs")):
        assert getattr(client, method)(path, json={}).status_code == 404
    production.extensions["db"].dispose()
    assert [r for r in app.url_map.iter_rules() if r.rule == "/api/v1/qa/clock"]


def test_an_age_beyond_110_is_refused(client):
    r = client.post("/api/v1/qa/people", json={"scheme": "resident", "insured_region": "430100", "age": 111})
    assert r.status_code == 422 and "age" in r.get_json()["errors"]


def test_the_clock_is_refused_beyond_ten_years_and_stays_where_it_was(client):
    body = assert_error_shape(client.put("/api/v1/qa/clock", json={"now": "9999-12-31T23:59:59+08:00"}), 422,
                              "qa.clock_out_of_range")
    assert "now" in body["errors"]
    assert client.get("/api/v1/qa/clock").json["moved"] is False
    # ... so a login after it still works (year 9999 would overflow a token's expiry).
    assert client.post("/api/v1/auth/wx-login", json={"code": "demo-140121198007120318"}).status_code == 200
    assert client.put("/api/v1/qa/clock", json={"advance_days": 3000}).status_code == 200
    assert_error_shape(client.put("/api/v1/qa/clock", json={"advance_days": 3000}), 422, "qa.clock_out_of_range")
    client.delete("/api/v1/qa/clock")
