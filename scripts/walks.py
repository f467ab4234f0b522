#!/usr/bin/env python3
"""The QA flow runner: walks every flow against any running server.

Standard library only (urllib), so it runs from any machine with Python 3.9+:

    python3 scripts/walks.py --list
    python3 scripts/walks.py --base http://127.0.0.1:5000                # every walk
    python3 scripts/walks.py --base https://qa.example/api/v1 proxy fd   # walks whose name contains these
    python3 scripts/walks.py --group api --repeat 3 --json out.json --junit out.xml

Each walk is a Python function that makes its own people with `POST /api/v1/qa/people`
(a fresh, valid, insured person and relatives, with a login code real-named to them),
so walks run in any order, again and again on the same server, and two runs at once do
not collide. Every step is logged: method, path, status, `code`, elapsed ms and a
one-line result; a failing step prints the whole error body. Exit code 0 only when
every walk passed.

Groups:
- `api`: the flows (self filing, proxy filing with photos and the agent declaration,
  family-doctor sign-up with the team's answer, settlement then a refused cancellation,
  the work-injury filing: residence with a settlement, a referral filed by the wife and
  approved by the insured place's agency;
  the rescue fund: return, resubmit, approve, pay, close; the funeral advance; its refusals).
- `clock`: walks that move the server's clock (`PUT /qa/clock`) and run the daily jobs
  (`POST /qa/daily-jobs`): a temporary filing expires, a sign-up is renewed in its
  window, another expires. The clock is the server's, for everyone: clock walks run
  one at a time, after the others, and put the clock back (`DELETE /qa/clock`) however
  they end. Do not run them while anything else uses the same server (another runner:
  `--group api` there). Tokens are checked against the moved clock, so these walks log
  in again after moving it.
- `readme`: the README's and docs/' bash walks, run as written (needs bash, curl and jq;
  these use the fixed demo people, so run them on a fresh server). Not run by default.

The QA tools exist outside production only (production answers 404).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIGNATURE = ROOT / "docs" / "sample-signature.png"
AGENT_ID_CARD = ROOT / "docs" / "samples" / "agent-id-card.jpg"
INSURED_HUKOU = ROOT / "docs" / "samples" / "insured-hukou.jpg"


# --- HTTP, logged step by step ------------------------------------------------------

class WalkFailed(Exception):
    pass


@dataclass
class Step:
    method: str
    path: str
    status: int
    code: str
    ms: int
    result: str

    def line(self) -> str:
        return f"  {self.method:<6} {self.path:<52} {self.status:>3} {self.code or '-':<28} {self.ms:>5} ms  {self.result}"


def _summary(body) -> str:
    if isinstance(body, dict):
        keys = ("status", "next_step", "filing_no", "valid_from", "valid_to", "renewals", "now", "moved",
                "filing_required", "scope", "token_type", "total", "name", "version", "id", "message")
        shown = [f"{k}={body[k]}" for k in keys
                 if body.get(k) is not None and not isinstance(body[k], (dict, list))]
        return ", ".join(shown[:5]) or ", ".join(list(body)[:6])
    if isinstance(body, list):
        return f"{len(body)} items"
    if isinstance(body, bytes):
        return f"{len(body)} bytes"
    return str(body)[:100]


def _multipart(path: Path) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    kind = "image/png" if path.suffix == ".png" else "image/jpeg"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{path.name}\"\r\n"
            f"Content-Type: {kind}\r\n\r\n").encode() + path.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


class Walker:
    """One walk's HTTP client: every call is a logged step."""

    def __init__(self, api: str, out=print):
        self.api, self.out, self.steps = api, out, []

    def call(self, method: str, path: str, body=None, *, file: Path | None = None, headers: dict | None = None,
             expect: tuple[int, ...] = (200, 201)):
        headers = dict(headers or {})
        data = None
        if file is not None:
            data, headers["Content-Type"] = _multipart(file)
        elif body is not None:
            data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
        request = urllib.request.Request(self.api + path, data=data, method=method, headers=headers)
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                status, raw, kind = response.status, response.read(), response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as error:
            status, raw, kind = error.code, error.read(), error.headers.get("Content-Type", "")
        except (urllib.error.URLError, OSError) as error:
            step = Step(method, path, 0, "", int((time.monotonic() - started) * 1000), f"no answer: {error}")
            self._log(step)
            raise WalkFailed(f"{method} {self.api}{path}: no answer ({error})") from None
        ms = int((time.monotonic() - started) * 1000)
        answer = raw
        if "json" in kind:
            try:
                answer = json.loads(raw)
            except ValueError:
                pass
        code = answer.get("code", "") if isinstance(answer, dict) and isinstance(answer.get("code"), str) else ""
        self._log(Step(method, path, status, code, ms, _summary(answer)))
        if status not in expect:
            text = raw.decode("utf-8", "replace")
            raise WalkFailed(f"{method} {path}: expected {' or '.join(map(str, expect))}, got {status}\n{text}")
        return answer

    def _log(self, step: Step) -> None:
        self.steps.append(step)
        self.out(step.line())

    # helpers every walk uses
    def person(self, scheme="employee", region="140100", age=40, relations=None) -> dict:
        return self.call("POST", "/qa/people", {"scheme": scheme, "insured_region": region, "age": age,
                                                "relations": relations or []})

    def login(self, person: dict) -> dict:
        """WeChat login with the person's code, then 授权登录: a Bearer header."""
        tokens = self.call("POST", "/auth/wx-login", {"code": person["login_code"]})
        auth = {"Authorization": f"Bearer {tokens['access_token']}"}
        self.call("PUT", "/me/identity", {"consent": True}, headers=auth)
        return auth

    def messages(self, person: dict) -> list[str]:
        """The templates of every notification the person was sent (QA tool)."""
        query = urllib.parse.urlencode({"id_number": person["id_number"]})
        return [m["template"] for m in self.call("GET", f"/qa/messages?{query}")]

    def expect_message(self, person: dict, template: str) -> None:
        sent = self.messages(person)
        check(template in sent, f"{person['name']} was sent no {template} message (sent: {sent})")

    def today(self) -> date:
        """The server's Beijing date (its clock may have been moved)."""
        return datetime.fromisoformat(self.call("GET", "/qa/clock")["now"]).date()

    def now(self) -> datetime:
        return datetime.fromisoformat(self.call("GET", "/qa/clock")["now"])


def check(condition: bool, what: str, body=None) -> None:
    if not condition:
        raise WalkFailed(what + ("" if body is None else "\n" + json.dumps(body, ensure_ascii=False, indent=1)))


# --- the flows ----------------------------------------------------------------------

def _accept(w: Walker, document: str) -> dict:
    return {"accepted": True, "version": w.call("GET", f"/documents/{document}")["version"]}


def _self_filing(w: Walker, person: dict, auth: dict, *, category="long_term", start: date | None = None,
                 end: date | None = None) -> dict:
    start = start or w.today()
    filing = w.call("POST", "/filings", {"for": "self"}, headers=auth)
    fid = filing["id"]
    w.call("PUT", f"/filings/{fid}/insured", {"scheme": person["scheme"], "insured_region": person["insured_region"]},
           headers=auth)
    w.call("PUT", f"/filings/{fid}/notice", _accept(w, "filing-notice"), headers=auth)
    details = {"category": category, "destination_region": "460100", "start_date": start.isoformat(),
               "address": "海南省海口市美兰区海甸岛人民大道58号", "contact_name": person["name"],
               "contact_phone": "13834560318"}
    if category == "long_term":
        details["person_type"] = "stationed_worker"
    else:
        details.update(person_type="emergency", end_date=end.isoformat(), hospital="海南省人民医院", reason="急诊抢救")
    w.call("PUT", f"/filings/{fid}/details", details, headers=auth)
    w.call("POST", f"/filings/{fid}/signature", file=SIGNATURE, headers=auth)
    done = w.call("POST", f"/filings/{fid}/submit", headers={**auth, "Idempotency-Key": f"walk-{uuid.uuid4()}"})
    check(done.get("status") == "effective" and done.get("filing_no"), "the filing is not in force", done)
    return done


def walk_self_filing(w: Walker) -> None:
    """李明's walk with a fresh person: files for himself, 备案成功, record and certificate."""
    person = w.person("employee", "140100", 45)
    auth = w.login(person)
    advice = w.call("POST", "/filing-advice", {"scheme": "employee", "insured_region": "140100",
                                               "destination_region": "460100", "situation": "long_term"})
    check(advice.get("filing_required") is True, "a long stay in 海口 needs a filing", advice)
    done = _self_filing(w, person, auth)
    listed = w.call("GET", "/filings?for=self", headers=auth)
    check([i["id"] for i in listed["items"]] == [done["id"]], "his record lists the filing", listed)
    events = w.call("GET", f"/filings/{done['id']}/events", headers=auth)
    check(len(events) >= 5, "the history has every step", events)
    png = w.call("GET", f"/filings/{done['id']}/certificate.png", headers=auth)
    check(isinstance(png, bytes) and png[:4] == b"\x89PNG", "the certificate is a PNG")
    w.expect_message(person, "filing_effective")
    cancelled = w.call("POST", f"/filings/{done['id']}/cancel", {"reason": "计划有变"}, headers=auth)
    check(cancelled.get("status") == "cancelled", "without a settlement it cancels online", cancelled)
    w.expect_message(person, "filing_cancelled")


def walk_proxy_filing(w: Walker) -> None:
    """An agent files for his mother: the relation checked against the household pair,
    the agent's declaration signed, photos of both people's papers, 备案成功; she finds it."""
    agent = w.person("employee", "140100", 46, [{"relation": "parent", "age": 74}])
    mother = agent["relations"][0]
    auth = w.login(agent)
    fid = w.call("POST", "/filings", {"for": "other"}, headers=auth)["id"]
    w.call("PUT", f"/filings/{fid}/insured", {"name": mother["name"], "id_number": mother["id_number"],
                                              "relation": "parent", "scheme": "employee", "insured_region": "140100"},
           headers=auth)
    w.call("PUT", f"/filings/{fid}/notice", _accept(w, "filing-notice"), headers=auth)
    w.call("PUT", f"/filings/{fid}/agent-declaration", _accept(w, "agent-declaration"), headers=auth)
    signed = w.call("POST", f"/filings/{fid}/agent-declaration/signature", file=SIGNATURE, headers=auth)
    check(signed.get("next_step") == "attachments", "photos come after the declaration", signed)
    w.call("POST", f"/filings/{fid}/attachments/agent_id_card", file=AGENT_ID_CARD, headers=auth)
    w.call("POST", f"/filings/{fid}/attachments/insured_hukou", file=INSURED_HUKOU, headers=auth)
    w.call("PUT", f"/filings/{fid}/details", {
        "category": "long_term", "person_type": "retired_resettled", "destination_region": "460100",
        "start_date": (w.today() + timedelta(days=7)).isoformat(), "address": "海南省海口市美兰区海甸岛人民大道58号",
        "contact_name": agent["name"], "contact_phone": "13834560318"}, headers=auth)
    w.call("POST", f"/filings/{fid}/signature", file=SIGNATURE, headers=auth)
    done = w.call("POST", f"/filings/{fid}/submit", headers={**auth, "Idempotency-Key": f"walk-{uuid.uuid4()}"})
    check(done.get("status") == "effective", "the proxy filing is in force", done)
    hers = w.call("GET", "/filings?for=self", headers=w.login(mother))
    check([(i["filing_no"], i["made_by_agent"]) for i in hers["items"]] == [(done["filing_no"], True)],
          "she finds it among her filings, made by her agent", hers)
    w.expect_message(mother, "filing_effective")
    w.expect_message(mother, "filing_made_by_agent")


def _team(w: Walker, region: str) -> dict:
    teams = [t for i in w.call("GET", f"/fd/institutions?region={region}") for t in i["teams"]]
    check(bool(teams), f"no family-doctor team in {region}")
    return max(teams, key=lambda t: (t.get("capacity") or 0) - (t.get("signed") or 0))


def _sign_up(w: Walker, auth: dict, request: dict) -> dict:
    sid = w.call("POST", "/fd/signups", request, headers=auth)["id"]
    w.call("PUT", f"/fd/signups/{sid}/agreement", _accept(w, "signup-agreement"), headers=auth)
    w.call("POST", f"/fd/signups/{sid}/signature", file=SIGNATURE, headers=auth)
    pending = w.call("POST", f"/fd/signups/{sid}/submit", headers=auth)
    check(pending.get("status") == "pending", "a submitted sign-up waits for the team", pending)
    return pending


def _package(w: Walker, team_id: int) -> int:
    packages = w.call("GET", f"/fd/teams/{team_id}")["packages"]
    basic = [p["id"] for p in packages if p["kind"] == "basic"]
    return (basic or [packages[0]["id"]])[0]


def _active_signup(w: Walker, person: dict, auth: dict) -> dict:
    team = _team(w, person["insured_region"])
    signup = _sign_up(w, auth, {"for": "self", "team_id": team["id"], "package_ids": [_package(w, team["id"])]})
    active = w.call("POST", f"/partner/fd/signups/{signup['id']}/accept", {},
                    headers={"X-Partner-Key": f"demo-fd-team-{team['id']}"})
    check(active.get("status") == "active" and active.get("valid_to"), "the team accepted", active)
    return active


def walk_family_doctor(w: Walker) -> None:
    """A mother signs up a family doctor for herself and her son (3); the team accepts
    her and declines him."""
    mother = w.person("resident", "430100", 31, [{"relation": "child", "age": 3}])
    son = mother["relations"][0]
    auth = w.login(mother)
    member = w.call("POST", "/me/family-members", {"name": son["name"], "id_number": son["id_number"],
                                                   "relation": "child"}, headers=auth)
    team = _team(w, "430100")
    package = _package(w, team["id"])
    mine = _sign_up(w, auth, {"for": "self", "team_id": team["id"], "package_ids": [package]})
    his = _sign_up(w, auth, {"for": "member", "member_id": member["id"], "team_id": team["id"],
                             "package_ids": [package]})
    key = {"X-Partner-Key": f"demo-fd-team-{team['id']}"}
    accepted = w.call("POST", f"/partner/fd/signups/{mine['id']}/accept", {}, headers=key)
    check(accepted.get("status") == "active", "the team accepted her", accepted)
    rejected = w.call("POST", f"/partner/fd/signups/{his['id']}/reject", {"reason": "儿童签约请选择本机构另一团队"},
                      headers=key)
    check(rejected.get("status") == "rejected", "the team declined him", rejected)
    w.expect_message(mother, "signup_accepted")
    w.expect_message(son, "signup_rejected")


def walk_team_ends_a_contract(w: Walker) -> None:
    """The team ends a contract in force for a reason on its side (moved away); never
    for "own wish", which only the resident gives; another team's key cannot."""
    person = w.person("resident", "430100", 44)
    auth = w.login(person)
    active = _active_signup(w, person, auth)
    path = f"/partner/fd/signups/{active['id']}/terminate"
    own = {"X-Partner-Key": f"demo-fd-team-{active['team_id']}"}
    w.call("POST", path, {"reason": "own_wish"}, headers=own, expect=(422,))   # the resident's to give
    whoami = w.call("GET", "/partner/whoami", headers={"X-Partner-Key": "demo-settlement-key"})
    check(whoami.get("role") == "settlement", "whoami names the key's role", whoami)
    foreign = w.call("POST", path, {"reason": "moved_away"}, headers={"X-Partner-Key": "demo-settlement-key"},
                     expect=(403,))
    check(foreign.get("code") == "partner.out_of_scope", "a key of another role is out of scope", foreign)
    ended = w.call("POST", path, {"reason": "moved_away"}, headers=own)
    check(ended.get("status") == "cancelled" and ended.get("cancel_reason") == "moved_away",
          "the team ended the contract", ended)


def walk_settlement_then_cancel(w: Walker) -> None:
    """A hospital records a settlement; cancelling online is then refused (409 filing.settled)."""
    person = w.person("employee", "140100", 52)
    auth = w.login(person)
    done = _self_filing(w, person, auth)
    settled_at = (w.now() - timedelta(minutes=1)).isoformat(timespec="seconds")
    w.call("POST", "/partner/settlements", {"filing_no": done["filing_no"], "amount": "8650.00",
                                            "settled_at": settled_at, "institution": "海南省人民医院"},
           headers={"X-Partner-Key": "demo-settlement-key"})
    refused = w.call("POST", f"/filings/{done['id']}/cancel", {"reason": "回太原居住"}, headers=auth, expect=(409,))
    check(refused.get("code") == "filing.settled", "cancellation refused after a settlement", refused)


# --- work-injury cross-province filing (seed 001) ------------------------------------

def _injured(w: Walker, relations=None) -> dict:
    """A fresh worker insured for work injury in 乌鲁木齐 with a recognised injury."""
    person = w.person("employee", "650100", 37, relations)
    w.call("POST", "/qa/work-injuries", {"id_number": person["id_number"], "injury": "脑外伤"})
    return person


def _wi_steps(w: Walker, auth: dict, fid: int, injury: dict, details: dict, photos: bool = False) -> dict:
    w.call("PUT", f"/wi-filings/{fid}/injury", injury, headers=auth)
    w.call("PUT", f"/wi-filings/{fid}/notice", _accept(w, "wi-filing-notice"), headers=auth)
    if photos:
        w.call("POST", f"/wi-filings/{fid}/attachments/agent_id_card", file=AGENT_ID_CARD, headers=auth)
        w.call("POST", f"/wi-filings/{fid}/attachments/insured_hukou", file=INSURED_HUKOU, headers=auth)
    w.call("PUT", f"/wi-filings/{fid}/details", details, headers=auth)
    w.call("POST", f"/wi-filings/{fid}/signature", file=SIGNATURE, headers=auth)
    return w.call("POST", f"/wi-filings/{fid}/submit", headers={**auth, "Idempotency-Key": f"walk-{uuid.uuid4()}"})


def walk_work_injury_residence(w: Walker) -> None:
    """张隽's walk with a fresh worker: residence filing to 长沙, in force at once; 12,000 yuan
    settled under inpatient medical; cancelling online is then refused (409 wi_filing.settled)."""
    person = _injured(w)
    auth = w.login(person)
    injuries = w.call("GET", "/me/work-injuries", headers=auth)
    check(len(injuries) == 1 and injuries[0]["insured_region"] == "650100", "one recognised injury", injuries)
    fid = w.call("POST", "/wi-filings", {"for": "self"}, headers=auth)["id"]
    done = _wi_steps(w, auth, fid, {"injury_id": injuries[0]["id"]}, {
        "filing_type": "residence", "destination_region": "430100", "start_date": w.today().isoformat(),
        "address": "湖南省长沙市天心区劳动西路9号", "institution": "湖南省职业病防治院",
        "services": ["inpatient_medical", "inpatient_rehab"], "contact_name": person["name"],
        "contact_phone": "13134560190"})
    check(done.get("status") == "effective" and done.get("filing_no"), "a residence filing is in force at once", done)
    w.expect_message(person, "wi_filing_effective")
    png = w.call("GET", f"/wi-filings/{fid}/certificate.png", headers=auth)
    check(isinstance(png, bytes) and png[:4] == b"\x89PNG", "the certificate is a PNG")
    settled_at = (w.now() - timedelta(minutes=1)).isoformat(timespec="seconds")
    w.call("POST", "/partner/wi-settlements", {"filing_no": done["filing_no"], "settled_at": settled_at,
                                               "institution": "湖南省职业病防治院",
                                               "amounts": {"inpatient_medical": "12000.00"}},
           headers={"X-Partner-Key": "demo-settlement-key"})
    refused = w.call("POST", f"/wi-filings/{fid}/cancel", {"reason": "回乌鲁木齐治疗"}, headers=auth, expect=(409,))
    check(refused.get("code") == "wi_filing.settled", "cancellation refused after a settlement", refused)


def walk_work_injury_referral(w: Walker) -> None:
    """His wife files a referral for him (a brain-injury patient may not manage the phone):
    photos of both people's papers, pending; the 乌鲁木齐 agency approves, another key cannot."""
    worker = _injured(w, [{"relation": "spouse", "age": 35}])
    wife = worker["relations"][0]
    auth = w.login(wife)
    fid = w.call("POST", "/wi-filings", {"for": "other"}, headers=auth)["id"]
    start = w.today()
    pending = _wi_steps(w, auth, fid, {"name": worker["name"], "id_number": worker["id_number"],
                                       "relation": "spouse"}, {
        "filing_type": "referral", "destination_region": "430100", "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=90)).isoformat(), "institution": "湖南省职业病防治院",
        "referred_by": {"institution": "新疆维吾尔自治区人民医院", "document_no": "XJ-ZZ-2026-0193"},
        "services": ["inpatient_medical", "inpatient_rehab"], "contact_name": wife["name"],
        "contact_phone": "13134560267"}, photos=True)
    check(pending.get("status") == "pending", "a referral waits for the insured place's agency", pending)
    w.expect_message(worker, "wi_filing_pending")
    w.expect_message(worker, "wi_filing_made_by_agent")
    foreign = w.call("POST", f"/partner/wi-filings/{fid}/approve", headers={"X-Partner-Key": "demo-settlement-key"},
                     expect=(403,))
    check(foreign.get("code") == "partner.out_of_scope", "a key of another role is out of scope", foreign)
    queue = w.call("GET", "/partner/wi-filings?status=pending&per_page=100",
                   headers={"X-Partner-Key": "demo-wi-agency-650100"})
    check(fid in [i["id"] for i in queue["items"]], "the agency finds it in its queue", queue)
    approved = w.call("POST", f"/partner/wi-filings/{fid}/approve", headers={"X-Partner-Key": "demo-wi-agency-650100"})
    check(approved.get("status") == "effective", "the agency approved the referral", approved)
    w.expect_message(worker, "wi_filing_effective")
    his = w.call("GET", "/wi-filings?for=self", headers=w.login(worker))
    check([(i["id"], i["made_by_agent"]) for i in his["items"]] == [(fid, True)], "he finds it, made by his agent", his)


def walk_work_injury_rejected(w: Walker) -> None:
    """A worker's own referral is refused by the agency with a reason; he files again and
    withdraws it while it waits (the message of each)."""
    person = _injured(w)
    auth = w.login(person)
    start = w.today()
    details = {"filing_type": "referral", "destination_region": "110100", "start_date": start.isoformat(),
               "end_date": (start + timedelta(days=60)).isoformat(), "institution": "北京积水潭医院",
               "referred_by": {"institution": "乌鲁木齐市第一人民医院", "document_no": "WLMQ-2026-77"},
               "services": ["inpatient_medical"], "contact_name": person["name"], "contact_phone": "13134560190"}
    first = w.call("POST", "/wi-filings", {"for": "self"}, headers=auth)["id"]
    _wi_steps(w, auth, first, {}, details)
    rejected = w.call("POST", f"/partner/wi-filings/{first}/reject", {"reason": "参保地协议机构具备相应诊疗条件"},
                      headers={"X-Partner-Key": "demo-wi-agency-650100"})
    check(rejected.get("status") == "rejected", "the agency refused the referral", rejected)
    w.expect_message(person, "wi_filing_rejected")
    second = w.call("POST", "/wi-filings", {"for": "self"}, headers=auth)["id"]
    _wi_steps(w, auth, second, {}, details)
    withdrawn = w.call("POST", f"/wi-filings/{second}/cancel", {"reason": "已在参保地住院"}, headers=auth)
    check(withdrawn.get("status") == "cancelled", "a pending referral is withdrawn", withdrawn)
    w.expect_message(person, "wi_filing_cancelled")


# --- road-accident rescue fund (seed 000) ---------------------------------------------

def _beijing(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _rescue_until_victim(w: Walker, auth: dict, notice_no: str, accident_at: datetime) -> int:
    rid = w.call("POST", "/rescue/applications", {"kind": "rescue", "for": "other"}, headers=auth)["id"]
    w.call("PUT", f"/rescue/applications/{rid}/notice", _accept(w, "rescue-notice"), headers=auth)
    w.call("POST", f"/rescue/applications/{rid}/materials/police_notice", file=INSURED_HUKOU, headers=auth)
    w.call("PUT", f"/rescue/applications/{rid}/accident", {
        "police_notice_no": notice_no, "police_unit": "阳泉市公安局交通警察支队城区大队",
        "accident_at": _beijing(accident_at), "accident_region": "140300", "accident_place": "国道239线阳泉城区段",
        "situation": "uninsured_vehicle"}, headers=auth)
    return rid


def walk_rescue_fund(w: Walker) -> None:
    """A father applies to the rescue fund for his uninsured son: the police register the
    notice, the hospital uploads the cost list, the manager returns it ("日清单缺少医院公章"),
    he resubmits, 138,900.00 approved, paid to 阳泉市第一人民医院, closed; messages at each turn."""
    father = w.person("resident", "140300", 41, [{"relation": "child", "age": 18}])
    son = father["relations"][0]
    auth = w.login(father)
    now = w.now()
    notice_no = f"阳公交垫-{uuid.uuid4().hex[:10]}"
    police = {"X-Partner-Key": "demo-police-140300"}
    manager = {"X-Partner-Key": "demo-fund-manager-14"}
    w.call("POST", "/partner/rescue/notices", {"notice_no": notice_no, "accident_at": _beijing(now - timedelta(days=3)),
                                               "accident_region": "140300", "situation": "uninsured_vehicle"},
           headers=police)
    hospital = next(h for h in w.call("GET", "/rescue/hospitals?region=140300") if h["name"] == "阳泉市第一人民医院")
    rid = _rescue_until_victim(w, auth, notice_no, now - timedelta(days=3))
    w.call("POST", f"/rescue/applications/{rid}/materials/victim_id_card", file=AGENT_ID_CARD, headers=auth)
    w.call("POST", f"/rescue/applications/{rid}/materials/relation_proof", file=INSURED_HUKOU, headers=auth)
    w.call("PUT", f"/rescue/applications/{rid}/victim", {
        "victim_identified": True, "victim_name": son["name"], "victim_id_number": son["id_number"],
        "relation": "child", "victim_condition": "in_treatment"}, headers=auth)
    w.call("PUT", f"/rescue/applications/{rid}/hospital", {
        "hospital_id": hospital["id"], "rescue_started_at": _beijing(now - timedelta(days=3) + timedelta(minutes=30)),
        "period": "within_7_days", "claimed_amount": "138900.00"}, headers=auth)
    w.call("POST", f"/partner/rescue/applications/{rid}/materials/cost_list", file=INSURED_HUKOU,
           headers={"X-Partner-Key": f"demo-hospital-{hospital['id']}"})
    w.call("POST", f"/rescue/applications/{rid}/materials/medical_record", file=INSURED_HUKOU, headers=auth)
    w.call("PUT", f"/rescue/applications/{rid}/contact", {"contact_name": father["name"],
                                                          "contact_phone": "13935300155"}, headers=auth)
    w.call("POST", f"/rescue/applications/{rid}/signature", file=SIGNATURE, headers=auth)
    done = w.call("POST", f"/rescue/applications/{rid}/submit", headers={**auth, "Idempotency-Key": f"walk-{uuid.uuid4()}"})
    check(done["status"] == "submitted" and done["notice_verified"] and done["review_due"], "submitted, verified", done)
    returned = w.call("POST", f"/partner/rescue/applications/{rid}/return",
                      {"items": [{"item": "cost_list", "reason": "日清单缺少医院公章"}]}, headers=manager)
    check(returned["status"] == "returned", "returned for correction", returned)
    w.expect_message(father, "rescue_returned")
    mine = w.call("GET", f"/rescue/applications/{rid}", headers=auth)
    check(mine["editable_steps"] == ["materials"], "only the materials reopen", mine)
    refused = w.call("PUT", f"/rescue/applications/{rid}/contact", {"contact_name": father["name"],
                                                                    "contact_phone": "13935300156"},
                     headers=auth, expect=(409,))
    check(refused["code"] == "rescue.not_reopened", "other steps stay closed", refused)
    old = mine["materials"]["cost_list"][0]["id"]
    w.call("DELETE", f"/rescue/applications/{rid}/materials/cost_list/{old}", headers=auth)
    w.call("POST", f"/rescue/applications/{rid}/materials/cost_list", file=INSURED_HUKOU, headers=auth)
    again = w.call("POST", f"/rescue/applications/{rid}/resubmit", headers=auth)
    check(again["status"] == "submitted", "resubmitted", again)
    approved = w.call("POST", f"/partner/rescue/applications/{rid}/approve",
                      {"amount_within_7_days": "138900.00", "amount_beyond_7_days": "0.00"}, headers=manager)
    check(approved["approved_amount"] == "138900.00" and approved["payment_due"], "approved", approved)
    w.expect_message(father, "rescue_approved")
    paid = w.call("POST", f"/partner/rescue/applications/{rid}/payments",
                  {"amount": "138900.00", "paid_at": _beijing(w.now()), "payee": "阳泉市第一人民医院"}, headers=manager)
    check(paid["status"] == "paid", "paid", paid)
    w.expect_message(father, "rescue_paid")
    closed = w.call("POST", f"/partner/rescue/applications/{rid}/close", {"returned_amount": "0.00"}, headers=manager)
    check(closed["status"] == "closed" and closed["final_amount"] == "138900.00", "closed", closed)


def walk_rescue_funeral(w: Walker) -> None:
    """A mother applies for the funeral advance (丧葬费垫付) for her son killed in a hit-and-run:
    relatives only, the victim deceased, the police's 尸体处理通知书 and the funeral bill;
    approved at the province's standard at most, paid, closed."""
    mother = w.person("resident", "140300", 45, [{"relation": "child", "age": 20}])
    son = mother["relations"][0]
    auth = w.login(mother)
    now = w.now()
    manager = {"X-Partner-Key": "demo-fund-manager-14"}
    rid = w.call("POST", "/rescue/applications", {"kind": "funeral", "for": "other"}, headers=auth)["id"]
    w.call("PUT", f"/rescue/applications/{rid}/notice", _accept(w, "rescue-notice"), headers=auth)
    w.call("POST", f"/rescue/applications/{rid}/materials/police_notice", file=INSURED_HUKOU, headers=auth)
    w.call("PUT", f"/rescue/applications/{rid}/accident", {
        "police_notice_no": f"阳公交丧-{uuid.uuid4().hex[:10]}", "police_unit": "阳泉市公安局交通警察支队郊区大队",
        "accident_at": _beijing(now - timedelta(days=5)), "accident_region": "140300", "accident_place": "阳五高速",
        "situation": "hit_and_run"}, headers=auth)
    w.call("POST", f"/rescue/applications/{rid}/materials/victim_id_card", file=AGENT_ID_CARD, headers=auth)
    w.call("POST", f"/rescue/applications/{rid}/materials/relation_proof", file=INSURED_HUKOU, headers=auth)
    living = w.call("PUT", f"/rescue/applications/{rid}/victim", {
        "victim_identified": True, "victim_name": son["name"], "victim_id_number": son["id_number"],
        "relation": "child", "victim_condition": "in_treatment"}, headers=auth, expect=(422,))
    check(living["code"] == "rescue.condition_invalid", "a funeral advance is for a victim who died", living)
    w.call("PUT", f"/rescue/applications/{rid}/victim", {
        "victim_identified": True, "victim_name": son["name"], "victim_id_number": son["id_number"],
        "relation": "child", "victim_condition": "deceased"}, headers=auth)
    hospital = next(h for h in w.call("GET", "/rescue/hospitals?region=140300") if h["name"] == "阳泉市第一人民医院")
    w.call("PUT", f"/rescue/applications/{rid}/hospital", {
        "hospital_id": hospital["id"], "rescue_started_at": _beijing(now - timedelta(days=5) + timedelta(minutes=40)),
        "period": "within_7_days"}, headers=auth)
    wrong = w.call("POST", f"/rescue/applications/{rid}/materials/cost_list", file=INSURED_HUKOU, headers=auth,
                   expect=(422,))
    check(wrong["code"] == "rescue.material_invalid", "no cost list in a funeral advance", wrong)
    w.call("POST", f"/rescue/applications/{rid}/materials/body_handling_notice", file=INSURED_HUKOU, headers=auth)
    step = w.call("POST", f"/rescue/applications/{rid}/materials/funeral_invoice", file=INSURED_HUKOU, headers=auth)
    check(step["next_step"] == "contact", "the notice and the bill complete the materials", step)
    w.call("PUT", f"/rescue/applications/{rid}/contact", {"contact_name": mother["name"],
                                                          "contact_phone": "13935300157"}, headers=auth)
    w.call("POST", f"/rescue/applications/{rid}/signature", file=SIGNATURE, headers=auth)
    done = w.call("POST", f"/rescue/applications/{rid}/submit", headers={**auth, "Idempotency-Key": f"walk-{uuid.uuid4()}"})
    check(done["status"] == "submitted" and done["kind_label"] == "丧葬费垫付", "submitted", done)
    over = w.call("POST", f"/partner/rescue/applications/{rid}/approve", {"amount_within_7_days": "42000.01"},
                  headers=manager, expect=(422,))
    check(over["code"] == "rescue.over_cap", "no more than the funeral standard", over)
    approved = w.call("POST", f"/partner/rescue/applications/{rid}/approve", {"amount_within_7_days": "36000.00"},
                      headers=manager)
    check(approved["status"] == "approved" and approved["approved_amount"] == "36000.00", "approved", approved)
    w.expect_message(mother, "rescue_approved")
    paid = w.call("POST", f"/partner/rescue/applications/{rid}/payments",
                  {"amount": "36000.00", "paid_at": _beijing(w.now()), "payee": hospital["name"]}, headers=manager)
    check(paid["status"] == "paid", "paid", paid)
    closed = w.call("POST", f"/partner/rescue/applications/{rid}/close", {"returned_amount": "0.00"}, headers=manager)
    check(closed["status"] == "closed" and closed["final_amount"] == "36000.00", "closed", closed)


def walk_rescue_refusals(w: Walker) -> None:
    """A 61-day-old accident is refused (rescue.deadline_passed); an unidentified victim is
    accepted with the police certificate; a second open application is 409."""
    person = w.person("resident", "140300", 50)
    auth = w.login(person)
    now = w.now()
    rid = w.call("POST", "/rescue/applications", {"kind": "rescue", "for": "other"}, headers=auth)["id"]
    w.call("PUT", f"/rescue/applications/{rid}/notice", _accept(w, "rescue-notice"), headers=auth)
    w.call("POST", f"/rescue/applications/{rid}/materials/police_notice", file=INSURED_HUKOU, headers=auth)
    late = w.call("PUT", f"/rescue/applications/{rid}/accident", {
        "police_notice_no": f"晚-{uuid.uuid4().hex[:8]}", "police_unit": "阳泉市公安局交通警察支队",
        "accident_at": _beijing(now - timedelta(days=61)), "accident_region": "140300", "accident_place": "阳五高速",
        "situation": "hit_and_run"}, headers=auth, expect=(422,))
    check(late["code"] == "rescue.deadline_passed", "61 days is too late", late)
    w.call("DELETE", f"/rescue/applications/{rid}", headers=auth, expect=(204,))
    notice_no = f"无名-{uuid.uuid4().hex[:8]}"
    for attempt in (1, 2):
        rid = _rescue_until_victim(w, auth, notice_no, now - timedelta(days=2))
        w.call("POST", f"/rescue/applications/{rid}/materials/victim_unidentified_certificate", file=INSURED_HUKOU,
               headers=auth)
        victim = w.call("PUT", f"/rescue/applications/{rid}/victim", {
            "victim_identified": False, "relation": "other_party", "victim_condition": "in_treatment"}, headers=auth)
        check(victim["victim"]["id_number"] is None, "no ID number needed", victim)
        hospital = w.call("GET", "/rescue/hospitals?region=140300")[0]
        w.call("PUT", f"/rescue/applications/{rid}/hospital", {
            "hospital_id": hospital["id"], "rescue_started_at": _beijing(now - timedelta(days=2, minutes=-20)),
            "period": "within_7_days"}, headers=auth)
        w.call("POST", f"/rescue/applications/{rid}/materials/cost_list", file=INSURED_HUKOU, headers=auth)
        w.call("POST", f"/rescue/applications/{rid}/materials/treatment_summary", file=INSURED_HUKOU, headers=auth)
        w.call("PUT", f"/rescue/applications/{rid}/contact", {"contact_name": person["name"],
                                                              "contact_phone": "13935300155"}, headers=auth)
        w.call("POST", f"/rescue/applications/{rid}/signature", file=SIGNATURE, headers=auth)
        answer = w.call("POST", f"/rescue/applications/{rid}/submit", headers=auth,
                        expect=(200,) if attempt == 1 else (409,))
        if attempt == 1:
            check(answer["status"] == "submitted" and answer["notice_verified"] is False,
                  "accepted, the notice not registered by the police", answer)
        else:
            check(answer["code"] == "rescue.duplicate", "one open application per notice, victim and kind", answer)


# --- walks that move the server's clock --------------------------------------------

def _move(w: Walker, days: int) -> None:
    moved = w.call("PUT", "/qa/clock", {"advance_days": days})
    check(moved.get("moved") is True, "the clock moved", moved)


def walk_clock_temporary_filing_expires(w: Walker) -> None:
    """A temporary filing (6 months) expires once the clock passes its end and the daily job runs."""
    person = w.person("employee", "140100", 38)
    auth = w.login(person)
    start = w.today()
    end = date(start.year + (start.month + 6 - 1) // 12, (start.month + 6 - 1) % 12 + 1, 1) + timedelta(days=31)
    done = _self_filing(w, person, auth, category="temporary", start=start, end=end)
    valid_to = date.fromisoformat(done["valid_to"])
    _move(w, (valid_to - w.today()).days - 10)        # inside the last 30 days: a reminder
    w.call("POST", "/qa/daily-jobs")
    w.expect_message(person, "filing_expiring")
    _move(w, (valid_to - w.today()).days + 2)
    jobs = w.call("POST", "/qa/daily-jobs")
    check(jobs["expired"].get("filings", 0) >= 1, "the daily job expired filings", jobs)
    auth = w.login(person)  # the old token expired with the moved clock
    filing = w.call("GET", f"/filings/{done['id']}", headers=auth)
    check(filing.get("status") == "expired", "the filing expired", filing)


def walk_clock_signup_renewed(w: Walker) -> None:
    """A sign-up reaches its renewal window (last 30 days) and is renewed for a year."""
    person = w.person("resident", "430100", 55)
    auth = w.login(person)
    active = _active_signup(w, person, auth)
    early = w.call("POST", f"/fd/signups/{active['id']}/renew", _accept(w, "signup-agreement"), headers=auth,
                   expect=(409,))
    check(early.get("code") == "signup.renewal_too_early", "no renewal before the window", early)
    valid_to = date.fromisoformat(active["valid_to"])
    _move(w, (valid_to - w.today()).days - 10)
    auth = w.login(person)
    renewed = w.call("POST", f"/fd/signups/{active['id']}/renew", _accept(w, "signup-agreement"), headers=auth)
    check(renewed.get("renewals") == 1 and date.fromisoformat(renewed["valid_to"]) > valid_to,
          "renewed for one more year", renewed)


def walk_clock_signup_expires(w: Walker) -> None:
    """A sign-up nobody renews expires after its year, with the daily job."""
    person = w.person("resident", "430100", 60)
    auth = w.login(person)
    active = _active_signup(w, person, auth)
    _move(w, (date.fromisoformat(active["valid_to"]) - w.today()).days - 10)
    w.call("POST", "/qa/daily-jobs")
    w.expect_message(person, "signup_expiring")
    _move(w, (date.fromisoformat(active["valid_to"]) - w.today()).days + 2)
    w.call("POST", "/qa/daily-jobs")
    signup = w.call("GET", f"/fd/signups/{active['id']}", headers=w.login(person))
    check(signup.get("status") == "expired", "the sign-up expired", signup)


@dataclass
class Walk:
    name: str
    group: str
    function: object = None
    script: str = ""

    @property
    def doc(self) -> str:
        if not self.function:
            return "bash, as written"
        return " ".join((self.function.__doc__ or "").split("\n\n")[0].split())


WALKS = [Walk("self-filing", "api", walk_self_filing), Walk("proxy-filing", "api", walk_proxy_filing),
         Walk("family-doctor", "api", walk_family_doctor),
         Walk("settlement-then-cancel", "api", walk_settlement_then_cancel),
         Walk("team-ends-a-contract", "api", walk_team_ends_a_contract),
         Walk("work-injury-residence", "api", walk_work_injury_residence),
         Walk("work-injury-referral", "api", walk_work_injury_referral),
         Walk("work-injury-rejected", "api", walk_work_injury_rejected),
         Walk("rescue-fund", "api", walk_rescue_fund), Walk("rescue-funeral", "api", walk_rescue_funeral),
         Walk("rescue-refusals", "api", walk_rescue_refusals),
         Walk("clock-temporary-filing-expires", "clock", walk_clock_temporary_filing_expires),
         Walk("clock-signup-renewed", "clock", walk_clock_signup_renewed),
         Walk("clock-signup-expires", "clock", walk_clock_signup_expires)]


# --- the README's bash walks (kept: the documentation runs as written) --------------

def _script(markdown: str) -> str:
    """The bash blocks of a walk, in order, as one script. Blocks that start a server
    are left out: the runner points the walk at a server that is already running."""
    blocks = re.findall(r"```bash\n(.*?)```", markdown, flags=re.S)
    return "\n".join(b for b in blocks if "flask --app backend" not in b)


def walks() -> dict[str, str]:
    """The documented bash walks: README `### Walk: ...` sections and docs/walkthrough-*.md."""
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
    """Run one bash walk with every documented address pointed at `base`, from `cwd`."""
    script = re.sub(r"http://127\.0\.0\.1:\d+", base.rstrip("/"), script)
    docs = cwd / "docs"  # for walks that still name docs/ relative to where they run
    if not docs.exists():
        docs.symlink_to(ROOT / "docs")
    result = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=cwd, capture_output=True, text=True,
                            env={**os.environ, "BASE": base, "REPO": str(ROOT)}, timeout=300)
    expected = re.findall(r"^# expect: (.*)$", script, flags=re.M)
    return Outcome(result.returncode, result.stdout + result.stderr,
                   [line for line in expected if line not in result.stdout])


def all_walks() -> list[Walk]:
    return WALKS + [Walk(name, "readme", script=script) for name, script in walks().items()]


# --- running and reporting ---------------------------------------------------------

@dataclass
class Result:
    name: str
    group: str
    ok: bool
    seconds: float
    steps: list[Step] = field(default_factory=list)
    error: str = ""
    output: str = ""


def run_walk(walk: Walk, base: str, out=print) -> Result:
    api = base.rstrip("/")
    api = api if api.endswith("/api/v1") else api + "/api/v1"
    started = time.monotonic()
    out(f"== {walk.name} ({walk.group}): {walk.doc}")
    if walk.script:
        with tempfile.TemporaryDirectory(prefix="yibao-walk-") as tmp:
            outcome = run(walk.script, api.removesuffix("/api/v1"), Path(tmp))
        out(outcome.output.rstrip())
        error = "" if outcome.ok else f"exit {outcome.returncode}; missing expectations: {outcome.missing}"
        result = Result(walk.name, walk.group, outcome.ok, time.monotonic() - started, error=error,
                        output=outcome.output)
    else:
        w = Walker(api, out)
        error = ""
        try:
            walk.function(w)
        except WalkFailed as failure:
            error = str(failure)
        except Exception as crash:  # noqa: BLE001 - a walk's own bug is a failure too
            error = f"{type(crash).__name__}: {crash}"
        finally:
            if walk.group == "clock":
                try:
                    w.call("DELETE", "/qa/clock")
                except WalkFailed as failure:
                    error = error or f"the clock could not be reset: {failure}"
        result = Result(walk.name, walk.group, not error, time.monotonic() - started, w.steps, error)
    if result.error:
        out("  FAILED: " + result.error)
    out(f"{'PASS' if result.ok else 'FAIL'}: {walk.name} ({result.seconds:.1f} s)")
    return result


def choose(names: list[str], groups: list[str]) -> list[Walk]:
    chosen = [w for w in all_walks() if w.group in groups and (not names or any(n in w.name for n in names))]
    # the clock is the server's: clock walks go last, one at a time
    return [w for w in chosen if w.group != "clock"] + [w for w in chosen if w.group == "clock"]


def write_json(path: str, base: str, results: list[Result]) -> None:
    report = {"base": base, "passed": sum(r.ok for r in results), "failed": sum(not r.ok for r in results),
              "walks": [{"name": r.name, "group": r.group, "ok": r.ok, "seconds": round(r.seconds, 3),
                         "error": r.error, "steps": [vars(s) for s in r.steps]} for r in results]}
    Path(path).write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")


def write_junit(path: str, results: list[Result]) -> None:
    suite = ET.Element("testsuite", name="yibao-walks", tests=str(len(results)),
                       failures=str(sum(not r.ok for r in results)), errors="0",
                       time=f"{sum(r.seconds for r in results):.3f}")
    for r in results:
        case = ET.SubElement(suite, "testcase", classname=f"walks.{r.group}", name=r.name, time=f"{r.seconds:.3f}")
        log = "\n".join(s.line() for s in r.steps) or r.output
        if not r.ok:
            failure = ET.SubElement(case, "failure", message=r.error.split("\n")[0][:200])
            failure.text = log + "\n\n" + r.error
        else:
            ET.SubElement(case, "system-out").text = log
    ET.ElementTree(suite).write(path, encoding="utf-8", xml_declaration=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="run the walks whose name contains any of these (default: all)")
    parser.add_argument("--base", default=os.environ.get("BASE") or "http://127.0.0.1:" + os.environ.get("PORT", "5000"),
                        help="the server, with or without /api/v1 (default: $BASE or http://127.0.0.1:$PORT)")
    parser.add_argument("--group", action="append", choices=("api", "clock", "readme"),
                        help="only these groups (repeatable; default: api and clock)")
    parser.add_argument("--repeat", type=int, default=1, help="run the chosen walks this many times")
    parser.add_argument("--json", metavar="FILE", help="write a JSON report")
    parser.add_argument("--junit", metavar="FILE", help="write a JUnit XML report")
    parser.add_argument("--list", action="store_true", help="list the walks and stop")
    args = parser.parse_args(argv)
    chosen = choose(args.names, args.group or ["api", "clock"])
    if args.list:
        for walk in choose(args.names, args.group or ["api", "clock", "readme"]):
            print(f"{walk.group:<6} {walk.name:<34} {walk.doc}")
        return 0
    if not chosen:
        print(f"no walk matches {args.names!r}")
        return 1
    results = [run_walk(walk, args.base) for _ in range(max(args.repeat, 1)) for walk in chosen]
    failed = [r.name for r in results if not r.ok]
    print(f"\n{len(results) - len(failed)} passed, {len(failed)} failed" + (f": {', '.join(failed)}" if failed else ""))
    if args.json:
        write_json(args.json, args.base, results)
    if args.junit:
        write_junit(args.junit, results)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
