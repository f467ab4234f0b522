"""Scoped partner keys: one organisation, one role, one scope, stored hashed, made and
revoked from the CLI; outside its scope a key gets 403 `partner.out_of_scope`."""

from __future__ import annotations

from sqlalchemy import text

from tests.api.flows import FILINGS, effective_self_filing
from tests.conftest import assert_error_shape

SETTLEMENT = {"X-Partner-Key": "demo-settlement-key"}


def _team_ids(client):
    return [t["id"] for i in client.get("/api/v1/fd/institutions?region=430100").json for t in i["teams"]]


def _pending(client, login, team_id):
    chen = login("陈小红")
    signup = chen.post("/api/v1/fd/signups", json={"for": "self", "team_id": team_id}).json
    version = client.get("/api/v1/documents/signup-agreement").json["version"]
    chen.put(f"/api/v1/fd/signups/{signup['id']}/agreement", json={"accepted": True, "version": version})
    from tests.conftest import signature_png, upload
    chen.post(f"/api/v1/fd/signups/{signup['id']}/signature", data=upload(signature_png()),
              content_type="multipart/form-data")
    assert chen.post(f"/api/v1/fd/signups/{signup['id']}/submit").status_code == 200
    return signup


def test_whoami_names_the_organisation_role_and_scope(client):
    me = client.get("/api/v1/partner/whoami", headers=SETTLEMENT)
    assert me.status_code == 200
    assert me.json == {"organisation": "国家医保信息平台（异地就医结算）", "role": "settlement", "scope": "*"}
    team = _team_ids(client)[0]
    assert client.get("/api/v1/partner/whoami", headers={"X-Partner-Key": f"demo-fd-team-{team}"}).json["scope"] \
        == str(team)
    assert_error_shape(client.get("/api/v1/partner/whoami", headers={"X-Partner-Key": "guess"}), 401,
                       "partner.key_invalid")


def test_a_team_answers_its_own_sign_ups_and_no_one_elses(client, login):
    mine, other = _team_ids(client)[:2]
    signup = _pending(client, login, mine)
    foreign = {"X-Partner-Key": f"demo-fd-team-{other}"}
    assert_error_shape(client.post(f"/api/v1/partner/fd/signups/{signup['id']}/accept", headers=foreign, json={}),
                       403, "partner.out_of_scope")
    assert client.get("/api/v1/partner/fd/signups", headers=foreign).json["total"] == 0
    assert_error_shape(client.get("/api/v1/partner/fd/signups", headers=foreign, query_string={"team_id": mine}),
                       403, "partner.out_of_scope")
    own = {"X-Partner-Key": f"demo-fd-team-{mine}"}
    assert [s["id"] for s in client.get("/api/v1/partner/fd/signups", headers=own).json["items"]] == [signup["id"]]
    accepted = client.post(f"/api/v1/partner/fd/signups/{signup['id']}/accept", headers=own, json={})
    assert accepted.status_code == 200
    events = login("陈小红").get(f"/api/v1/fd/signups/{signup['id']}/events").json
    assert events[-1]["step"] == "accepted" and events[-1]["actor"] == client.get(
        "/api/v1/partner/whoami", headers=own).json["organisation"]


def test_a_key_of_one_role_cannot_act_in_another(client, login):
    team = _team_ids(client)[0]
    signup = _pending(client, login, team)
    assert_error_shape(client.post(f"/api/v1/partner/fd/signups/{signup['id']}/accept", headers=SETTLEMENT,
                                   json={}), 403, "partner.out_of_scope")
    filing = effective_self_filing(login("李明"))
    settle = {"filing_no": filing["filing_no"], "amount": "10.00", "settled_at": filing["valid_from"] + "T10:00:00",
              "institution": "海南省人民医院"}
    assert_error_shape(client.post("/api/v1/partner/settlements", json=settle,
                                   headers={"X-Partner-Key": f"demo-fd-team-{team}"}), 403, "partner.out_of_scope")


def test_a_settlement_names_the_organisation_that_recorded_it(app, client, login):
    from datetime import date, datetime, timedelta, timezone
    from tests.api.flows import long_term_details
    liming = login("李明")
    filing = effective_self_filing(liming, details=long_term_details(start_date=date.today().isoformat(),
                                                                     person_type="stationed_worker"))
    moment = (datetime.now(timezone.utc) - timedelta(minutes=1)).isoformat()
    assert client.post("/api/v1/partner/settlements", headers=SETTLEMENT, json={
        "filing_no": filing["filing_no"], "amount": "10.00", "settled_at": moment,
        "institution": "海南省人民医院"}).status_code == 201
    settled = liming.get(f"{FILINGS}/{filing['id']}/events").json[-1]
    assert settled["actor"] == "国家医保信息平台（异地就医结算）" and settled["actor_role_label"] == "合作机构"


def test_keys_are_stored_hashed_made_listed_and_revoked_from_the_cli(app, client, runner):
    made = runner.invoke(args=["partner-key", "create", "--organisation", "湖南省职业病防治院",
                               "--role", "settlement", "--scope", "*"])
    assert made.exit_code == 0, made.output
    key = made.output.splitlines()[1].strip()
    assert key.startswith("yb_") and len(key) > 40
    assert client.get("/api/v1/partner/whoami", headers={"X-Partner-Key": key}).json["organisation"] \
        == "湖南省职业病防治院"
    with app.extensions["db"].engine.connect() as conn:
        stored = " ".join(str(v) for row in conn.execute(text("SELECT * FROM partner_keys")) for v in row)
    assert key not in stored and "demo-settlement-key" not in stored
    listed = runner.invoke(args=["partner-key", "list"]).output
    key_id = next(line.split("\t")[0] for line in listed.splitlines() if "湖南省职业病防治院" in line)
    assert runner.invoke(args=["partner-key", "revoke", key_id]).exit_code == 0
    assert_error_shape(client.get("/api/v1/partner/whoami", headers={"X-Partner-Key": key}), 401)
    wrong = runner.invoke(args=["partner-key", "create", "--organisation", "x", "--role", "police", "--scope", "14"])
    assert wrong.exit_code != 0 and "scope" in wrong.output


def test_production_accepts_no_demo_key_even_one_left_in_its_database(app, client):
    app.config["ENV_NAME"] = "production"
    assert_error_shape(client.get("/api/v1/partner/whoami", headers=SETTLEMENT), 401, "partner.key_invalid")
