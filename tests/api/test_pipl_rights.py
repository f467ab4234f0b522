"""PIPL rights: a copy of everything, unbinding, erasing the account, withdrawing the
health-data consent, and ID photos purged a set time after the filing ended."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from backend.adapters.models import Account, Attachment, FamilyMember
from backend.services.runtime import session
from tests.api.flows import FILINGS, do_step, proxy_filing_through, temporary_details
from tests.api.test_family_doctor import HEZHIQIANG, draft, team_named, travel_to
from tests.conftest import PEOPLE, assert_error_shape


def _effective_temporary_proxy_filing(agent) -> dict:
    fid = proxy_filing_through(agent, "attachments")
    r = agent.put(f"{FILINGS}/{fid}/details", json=temporary_details())
    assert r.status_code == 200, r.json
    assert do_step(agent, fid, "signature").status_code == 200
    r = agent.post(f"{FILINGS}/{fid}/submit", headers={"Idempotency-Key": f"t-{fid}"})
    assert r.status_code == 200, r.json
    return r.json


# --- GET /me/data-export --------------------------------------------------------------

def test_the_data_export_holds_my_account_my_filings_with_their_history_and_my_access_log(login):
    liming = login("李明")
    filing = _effective_temporary_proxy_filing(liming)
    wang = login("王秀英")
    export = wang.get("/api/v1/me/data-export")
    assert export.status_code == 200, export.json
    body = export.json
    assert body["account"]["identity"]["name"] == "王秀英" and body["account"]["identity_bound"] is True
    assert [f["id"] for f in body["filings"]] == [filing["id"]]
    assert body["filings"][0]["events"][-1]["step"] == "submitted"
    assert body["agents"][0]["agent"]["name"] == "李明"
    assert body["insurance"][0]["insured_region"] == "140100"
    assert {e["actor"] for e in body["access_log"]} == {"李*"}
    assert {m["template"] for m in body["messages"]} == {"filing_effective", "filing_made_by_agent"}
    assert body["exported_at"].endswith("+08:00")
    assert PEOPLE["王秀英"] not in json.dumps(body, ensure_ascii=False)
    # the agent's copy holds her record too, and that look is logged for her
    assert [f["id"] for f in liming.get("/api/v1/me/data-export").json["filings"]] == [filing["id"]]
    assert wang.get("/api/v1/me/access-log").json["items"][0]["act"] == "viewed_record"


def test_the_data_export_needs_a_login(client):
    assert_error_shape(client.get("/api/v1/me/data-export"), 401)


# --- DELETE /me/identity ----------------------------------------------------------------

def test_unbinding_my_identity_withdraws_my_grants_and_keeps_the_records(login):
    liming = login("李明")
    filing = _effective_temporary_proxy_filing(liming)
    unbound = liming.delete("/api/v1/me/identity")
    assert unbound.status_code == 200, unbound.json
    assert unbound.json["identity"] is None and unbound.json["identity_bound"] is False
    assert unbound.json["consent_version"] is None
    assert liming.get("/api/v1/me").json["family_members"] == []
    assert_error_shape(liming.post(FILINGS, json={"for": "self"}), 403, "identity.required")
    assert_error_shape(liming.delete("/api/v1/me/identity"), 403, "identity.required")
    wang = login("王秀英")
    assert wang.get(f"{FILINGS}/{filing['id']}").json["status"] == "effective"
    assert wang.get("/api/v1/me/agents").json == []


# --- DELETE /me -------------------------------------------------------------------------

def test_erasing_my_account_keeps_the_filing_she_must_have_and_ends_every_login(app, client, login):
    liming = login("李明")
    filing = _effective_temporary_proxy_filing(liming)
    draft_id = proxy_filing_through(liming, "attachments")
    account_id = liming.get("/api/v1/me").json["id"]
    assert liming.delete("/api/v1/me").status_code == 204

    assert_error_shape(liming.get("/api/v1/me"), 401, "auth.token_invalid")
    refreshed = client.post("/api/v1/auth/refresh", json={"refresh_token": liming.tokens["refresh_token"]})
    assert_error_shape(refreshed, 401)
    with app.app_context():
        account = session().get(Account, account_id)
        assert account.erased_at is not None and account.person_id is None and account.phone is None
        assert account.openid.startswith("erased:") and account.consent_version is None
        grants = session().scalars(select(FamilyMember).where(FamilyMember.account_id == account_id)).all()
        assert grants and all(g.withdrawn_at is not None and g.withdrawn_by == "erased" for g in grants)
        # the draft went with its photos; the effective filing keeps its own
        assert {a.filing_id for a in session().scalars(select(Attachment))} == {filing["id"]}

    wang = login("王秀英")
    kept = wang.get(f"{FILINGS}/{filing['id']}").json
    assert kept["status"] == "effective" and kept["agent"]["name"] == "李*"
    assert_error_shape(wang.get(f"{FILINGS}/{draft_id}"), 404)
    # the same WeChat user starts afresh: a new account, bound to no one
    again = login(code=liming.code)
    me = again.get("/api/v1/me").json
    assert me["id"] != account_id and me["identity"] is None


def test_an_erased_agent_cannot_grant_himself_back_what_she_withdrew(login):
    liming = login("李明")
    _effective_temporary_proxy_filing(liming)
    wang = login("王秀英")
    grant = wang.get("/api/v1/me/agents").json[0]
    assert wang.delete(f"/api/v1/me/agents/{grant['id']}").status_code == 204
    assert liming.delete("/api/v1/me").status_code == 204
    fresh = login("李明", code=f"demo-{PEOPLE['李明']}-new-phone")   # his new account, real-named to him
    refused = fresh.post("/api/v1/me/family-members",
                         json={"name": "王秀英", "id_number": PEOPLE["王秀英"], "relation": "parent"})
    assert_error_shape(refused, 403, "family.withdrawn_by_insured")


# --- withdrawing the health-data consent -----------------------------------------------------

def test_withdrawing_the_health_consent_removes_the_tags_and_the_key_groups_only_they_gave(client, login):
    chen = login("陈小红")
    signup = draft(chen, team_named(client, HEZHIQIANG), health_tags=["pregnant"], health_consent=True)
    assert signup["key_groups"] == ["pregnant"]
    withdrawn = chen.delete(f"/api/v1/fd/signups/{signup['id']}/health-consent")
    assert withdrawn.status_code == 200, withdrawn.json
    assert withdrawn.json["health_tags"] == [] and withdrawn.json["key_groups"] == []
    assert withdrawn.json["health_consent_version"] is None
    events = chen.get(f"/api/v1/fd/signups/{signup['id']}/events").json
    assert (events[-1]["step"], events[-1]["label"], events[-1]["actor"]) == (
        "health_consent_withdrawn", "撤回健康信息使用授权", "陈*红")
    assert "pregnant" not in json.dumps(events)
    assert_error_shape(chen.delete(f"/api/v1/fd/signups/{signup['id']}/health-consent"), 409,
                       "signup.no_health_consent")


def test_an_elders_age_group_stays_when_his_health_consent_is_withdrawn(client, login):
    liu = login("刘德福")
    signup = draft(liu, team_named(client, HEZHIQIANG), health_tags=["hypertension"], health_consent=True)
    assert signup["key_groups"] == ["elderly", "hypertension"]
    withdrawn = liu.delete(f"/api/v1/fd/signups/{signup['id']}/health-consent").json
    assert withdrawn["key_groups"] == ["elderly"] and withdrawn["health_tags"] == []


def test_a_stranger_cannot_withdraw_someone_elses_health_consent(client, login):
    chen = login("陈小红")
    signup = draft(chen, team_named(client, HEZHIQIANG), health_tags=["pregnant"], health_consent=True)
    assert_error_shape(login("李明").delete(f"/api/v1/fd/signups/{signup['id']}/health-consent"), 404,
                       "signup.not_found")


# --- the ID photo purge ---------------------------------------------------------------------

def test_id_photos_are_purged_thirty_days_after_the_filing_ended_by_the_daily_job(app, runner, login):
    liming = login("李明")
    filing = _effective_temporary_proxy_filing(liming)
    keys = []
    with app.app_context():
        for a in session().scalars(select(Attachment).where(Attachment.filing_id == filing["id"])):
            keys += [a.blob_key, a.thumbnail_key]
    ended = date.fromisoformat(filing["valid_to"]) + timedelta(days=1)  # the first day it no longer runs

    travel_to(app, ended + timedelta(days=29), liming)
    assert "'id_photos_purged': 0" in runner.invoke(args=["expire"]).output
    assert len(liming.get(f"{FILINGS}/{filing['id']}").json["attachments"]) == 2

    travel_to(app, ended + timedelta(days=30), liming)
    result = runner.invoke(args=["expire"])
    assert result.exit_code == 0 and "'id_photos_purged': 2" in result.output, result.output
    after = liming.get(f"{FILINGS}/{filing['id']}").json
    assert after["attachments"] == [] and after["status"] == "expired"
    purged = liming.get(f"{FILINGS}/{filing['id']}/events").json[-1]
    assert (purged["step"], purged["label"], purged["actor_role"], purged["actor"]) == (
        "photos_purged", "证件照片已按规定删除", "system", "系统")
    assert purged["summary"] == "删除照片：2张；保存期限：备案结束后30天"
    for key in keys:
        with pytest.raises(FileNotFoundError):
            app.extensions["blobs"].get(key)
    assert "'id_photos_purged': 0" in runner.invoke(args=["expire"]).output  # again: nothing left


def test_the_retention_is_a_setting_and_a_draft_or_a_filing_in_force_keeps_its_photos(app, runner, login):
    liming = login("李明")
    filing = _effective_temporary_proxy_filing(liming)
    draft_id = proxy_filing_through(liming, "attachments")
    app.config["ID_PHOTO_RETENTION_DAYS"] = 0
    runner.invoke(args=["expire"])
    assert len(liming.get(f"{FILINGS}/{filing['id']}").json["attachments"]) == 2  # still in force
    travel_to(app, date.fromisoformat(filing["valid_to"]), liming)  # its last day: still in force
    assert "'id_photos_purged': 0" in runner.invoke(args=["expire"]).output
    travel_to(app, date.fromisoformat(filing["valid_to"]) + timedelta(days=1), liming)
    assert "'id_photos_purged': 2" in runner.invoke(args=["expire"]).output
    assert len(liming.get(f"{FILINGS}/{draft_id}").json["attachments"]) == 2
