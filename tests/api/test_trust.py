"""Who is who, black-box over HTTP (shared/domain.md, "Trust"): an account is the
person its real-name provider vouches for, never whoever's name and number it types;
an agent acts on a relation the registry and the birth dates allow; a withdrawn agent
stays withdrawn whatever account he uses; a logged-out token is dead at once."""

from __future__ import annotations

import pytest

from tests.api.flows import FILINGS, MOTHER, proxy_filing_through, start
from tests.conftest import PEOPLE, assert_error_shape, code_of

IDENTITY = "/api/v1/me/identity"
MEMBERS = "/api/v1/me/family-members"
AGENTS = "/api/v1/me/agents"


def person_body(name: str) -> dict:
    return {"name": name, "id_number": PEOPLE[name], "consent": True}


# --- 1. identity from the real-name provider -------------------------------------------

def test_the_issue_as_reported_an_account_real_named_to_li_ming_cannot_become_his_mother(login):
    wang = login("王秀英")
    fid = proxy_filing_through(login("李明"), "insured")   # a filing for her exists
    liming = login(code=code_of("李明", "fresh"))
    body = assert_error_shape(liming.put(IDENTITY, json=person_body("王秀英")), 403, "identity.not_account_holder")
    assert "本人" in body["message"]
    assert liming.get("/api/v1/me").json["identity_bound"] is False
    assert_error_shape(liming.get(f"{FILINGS}/{fid}"), 404)
    assert_error_shape(liming.get("/api/v1/me/insurance"), 403, "identity.required")
    assert wang.get(f"{FILINGS}/{fid}").status_code == 200


@pytest.mark.parametrize("name", [n for n in PEOPLE if n != "李明"])
def test_an_account_real_named_to_li_ming_binds_as_nobody_else(login, name):
    liming = login(code=code_of("李明"))
    assert_error_shape(liming.put(IDENTITY, json=person_body(name)), 403, "identity.not_account_holder")
    # Neither the number alone nor the name alone.
    assert_error_shape(liming.put(IDENTITY, json={"id_number": PEOPLE[name], "consent": True}), 403,
                       "identity.not_account_holder")
    assert_error_shape(liming.put(IDENTITY, json={"name": name, "consent": True}), 403,
                       "identity.not_account_holder")
    assert liming.get("/api/v1/me").json["identity_bound"] is False
    # What it may bind to is him, with or without his name and number repeated.
    assert liming.put(IDENTITY, json={"consent": True}).json["identity"]["name"] == "李明"


@pytest.mark.parametrize("code", ["demo-anonymous", "demo-liming", "demo-140121195203180428",
                                  "demo-140121195203180429x", "140121195203180429", "demo-999999999999999999"])
def test_an_account_with_no_real_name_binds_to_nobody(login, code):
    guest = login(code=code)
    for body in ({"consent": True}, person_body("王秀英"), person_body("李明")):
        answer = assert_error_shape(guest.put(IDENTITY, json=body), 403, "identity.no_real_name")
        assert "实名" in answer["message"] and "钱包" in answer["message"] and "医保电子凭证" in answer["message"]
    assert guest.get("/api/v1/me").json["identity_bound"] is False
    assert_error_shape(guest.post(FILINGS, json={"for": "self"}), 403, "identity.required")


def test_a_real_name_outside_the_insurance_registry_is_422(login):
    sun = login(code=code_of("孙不在"))
    body = assert_error_shape(sun.put(IDENTITY, json={"consent": True}), 422, "identity.not_in_registry")
    assert "参保" in body["message"]


def test_several_phones_of_one_person_bind_to_her_and_a_bound_account_never_moves(login):
    first, second = login("王秀英"), login("王秀英", code=code_of("王秀英", "2"))
    assert first.get("/api/v1/me").json["identity"] == second.get("/api/v1/me").json["identity"]
    assert first.get("/api/v1/me").json["id"] != second.get("/api/v1/me").json["id"]
    # Binding again is the same person; naming someone else is refused, the binding kept.
    assert first.put(IDENTITY, json={"consent": True}).status_code == 200
    assert_error_shape(first.put(IDENTITY, json=person_body("李明")), 403, "identity.not_account_holder")
    assert first.get("/api/v1/me").json["identity"]["name"] == "王秀英"


def test_the_real_name_is_kept_as_a_registry_link_and_a_keyed_digest_never_as_text(app, login):
    from sqlalchemy import select

    from backend.adapters.models import RealNameRecord
    from backend.services.runtime import session

    login("李明")
    with app.app_context():
        rows = session().scalars(select(RealNameRecord)).all()
        assert len(rows) == 1 and rows[0].provider == "standin"
        assert PEOPLE["李明"] not in rows[0].id_digest and len(rows[0].id_digest) == 64


# --- 2. agents on checked relations ------------------------------------------------------

@pytest.mark.parametrize("relation", ["child", "spouse", "grandchild", "sibling", "grandparent"])
def test_li_ming_cannot_declare_his_mother_anything_but_his_parent(login, relation):
    liming = login("李明")
    body = assert_error_shape(liming.post(MEMBERS, json={"name": "王秀英", "id_number": PEOPLE["王秀英"],
                                                         "relation": relation}), 422, "agent.relation_mismatch")
    assert set(body["errors"]) == {"relation"}
    fid = start(liming)
    assert_error_shape(liming.put(f"{FILINGS}/{fid}/insured", json={**MOTHER, "relation": relation}), 422,
                       "agent.relation_mismatch")
    filing = liming.get(f"{FILINGS}/{fid}").json
    assert filing["insured_person"] is None and filing["next_step"] == "insured"
    assert liming.get(MEMBERS).json == []
    assert login("王秀英").get(AGENTS).json == []


def test_the_registry_household_confirms_a_mother_and_her_son(login):
    chen = login("陈小红")
    son = {"name": "刘小宝", "id_number": PEOPLE["刘小宝"]}
    # 30 years apart, so a grandchild would fit the dates; the household says son.
    body = assert_error_shape(chen.post(MEMBERS, json={**son, "relation": "grandchild"}), 422,
                              "agent.relation_mismatch")
    assert "户籍" in body["errors"]["relation"][0]
    assert chen.post(MEMBERS, json={**son, "relation": "child"}).status_code == 201
    # And from his side, she is his parent.
    assert login("刘小宝").post(MEMBERS, json={"name": "陈小红", "id_number": PEOPLE["陈小红"],
                                               "relation": "parent"}).status_code == 201


@pytest.mark.parametrize("agent, insured, relation, ok", [
    ("张隽", "刘德福", "parent", True),        # born 1988 and 1948: the registry does not know; plausible
    ("张隽", "刘德福", "grandparent", True),   # 40 years: plausible too
    ("张隽", "陈小红", "spouse", True),        # both adults
    ("张隽", "陈小红", "parent", False),       # 5 years apart
    ("张隽", "刘小宝", "spouse", False),       # a child of 3
    ("刘小宝", "陈小红", "parent", True),      # the household agrees (he is 3, but bound to himself)
    ("陈小红", "刘德福", "child", False),      # older than her
    ("刘德福", "张隽", "grandchild", True),    # 40 years younger
    ("刘德福", "赵大山", "other", True),
])
def test_a_relation_the_registry_does_not_know_must_fit_both_birth_dates(login, agent, insured, relation, ok):
    response = login(agent).post(MEMBERS, json={"name": insured, "id_number": PEOPLE[insured], "relation": relation})
    if ok:
        assert response.status_code == 201, response.json
    else:
        assert_error_shape(response, 422, "agent.relation_mismatch")


# --- withdrawal holds whatever account the agent uses --------------------------------------

def test_a_withdrawn_agent_stays_withdrawn_whatever_accounts_he_logs_in_with(login):
    proxy_filing_through(login("李明"), "insured")
    wang = login("王秀英")
    grant = wang.get(AGENTS).json[0]
    assert wang.delete(f"{AGENTS}/{grant['id']}").status_code == 204

    for code in (code_of("李明"), code_of("李明", "2"), code_of("李明", "new-phone")):
        phone = login(code=code)
        # He cannot bind the account as her, so cannot give the right back to himself ...
        assert_error_shape(phone.put(IDENTITY, json=person_body("王秀英")), 403, "identity.not_account_holder")
        assert phone.put(IDENTITY, json={"consent": True}).json["identity"]["name"] == "李明"
        assert_error_shape(phone.post(f"{AGENTS}/{grant['id']}/restore"), 404, "family.agent_not_found")
        # ... nor file for her, nor add her again.
        assert_error_shape(phone.put(f"{FILINGS}/{start(phone)}/insured", json=MOTHER), 403,
                           "family.withdrawn_by_insured")
        assert_error_shape(phone.post(MEMBERS, json={"name": "王秀英", "id_number": PEOPLE["王秀英"],
                                                     "relation": "parent"}), 403, "family.withdrawn_by_insured")
    # An account without a real name cannot become her either.
    guest = login(code="demo-someone")
    assert_error_shape(guest.put(IDENTITY, json=person_body("王秀英")), 403, "identity.no_real_name")
    assert wang.get(AGENTS).json == []

    # Only her own real-named account gives it back: her second phone will do.
    her_phone = login("王秀英", code=code_of("王秀英", "2"))
    assert her_phone.post(f"{AGENTS}/{grant['id']}/restore").status_code == 200
    liming = login("李明")
    assert liming.put(f"{FILINGS}/{start(liming)}/insured", json=MOTHER).status_code == 200


# --- 3. tokens die when they should --------------------------------------------------------

def test_after_logout_the_old_access_token_gets_401_on_the_next_request(login):
    liming = login("李明")
    other_login = login("李明")                      # the same account, logged in on another phone
    assert liming.get("/api/v1/me").status_code == 200
    assert liming.post("/api/v1/auth/logout", json={"refresh_token": liming.tokens["refresh_token"]}).status_code == 204
    assert_error_shape(liming.get("/api/v1/me"), 401, "auth.token_invalid")
    assert_error_shape(liming.post("/api/v1/auth/logout", json={}), 401)
    assert_error_shape(liming.client.post("/api/v1/auth/refresh",
                                          json={"refresh_token": liming.tokens["refresh_token"]}), 401)
    # Only that login ended.
    assert other_login.get("/api/v1/me").status_code == 200


def test_logout_without_a_refresh_token_ends_every_login_of_the_account(login):
    first, second = login("李明"), login("李明")
    assert first.post("/api/v1/auth/logout", json={}).status_code == 204
    assert_error_shape(first.get("/api/v1/me"), 401, "auth.token_invalid")
    assert_error_shape(second.get("/api/v1/me"), 401, "auth.token_invalid")
    assert_error_shape(second.client.post("/api/v1/auth/refresh",
                                          json={"refresh_token": second.tokens["refresh_token"]}), 401)
    assert login("李明").get("/api/v1/me").status_code == 200   # logging in again works


def test_reusing_a_refresh_token_kills_the_access_tokens_of_its_chain(client, login):
    liming = login("李明")
    bystander = login("李明")                       # another login of the same account
    first_access, first_refresh = liming.tokens["access_token"], liming.tokens["refresh_token"]
    rotated = client.post("/api/v1/auth/refresh", json={"refresh_token": first_refresh}).json
    new_headers = {"Authorization": f"Bearer {rotated['access_token']}"}
    assert client.get("/api/v1/me", headers=new_headers).status_code == 200
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {first_access}"}).status_code == 200

    assert_error_shape(client.post("/api/v1/auth/refresh", json={"refresh_token": first_refresh}), 401,
                       "auth.refresh_reused")
    assert_error_shape(client.get("/api/v1/me", headers=new_headers), 401, "auth.token_invalid")
    assert_error_shape(client.get("/api/v1/me", headers={"Authorization": f"Bearer {first_access}"}), 401,
                       "auth.token_invalid")
    assert bystander.get("/api/v1/me").status_code == 200


def test_a_well_signed_token_without_a_session_is_refused(client, app, login):
    from backend.adapters.tokens import issue_access_token

    liming = login("李明")
    account_id = liming.get("/api/v1/me").json["id"]
    with app.app_context():
        kw = {"key": app.config["SECRET_KEY"], "issuer": "yibao", "audience": "yibao-miniprogram", "seconds": 600}
        no_sid = issue_access_token(account_id, **kw)
        unknown_sid = issue_access_token(account_id, session_id="f" * 32, **kw)
    for token in (no_sid, unknown_sid):
        assert_error_shape(client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}), 401,
                           "auth.token_invalid")


class FakeProvider:
    """The production shape: nothing at login, a real name per 医保电子凭证 auth code."""

    kind = "medical_insurance_card"

    def __init__(self, codes):
        self.codes = codes

    def at_login(self, code, openid):
        return None

    def at_binding(self, openid, auth_code):
        from backend.adapters.realname import ProviderUnavailable

        if auth_code == "down":
            raise ProviderUnavailable("unreachable")
        return self.codes.get(auth_code)


def test_in_production_the_real_name_comes_with_the_auth_code_at_binding(app, login, monkeypatch):
    from backend.adapters.realname import RealName

    monkeypatch.setitem(app.extensions, "realname", FakeProvider({
        "auth-liming": RealName("李明", PEOPLE["李明"]), "auth-wang": RealName("王秀英", PEOPLE["王秀英"])}))
    phone = login(code=code_of("李明"))   # a login code says nothing here
    assert_error_shape(phone.put(IDENTITY, json={"consent": True}), 403, "identity.no_real_name")
    assert_error_shape(phone.put(IDENTITY, json={"consent": True, "auth_code": "expired"}), 403,
                       "identity.no_real_name")
    assert_error_shape(phone.put(IDENTITY, json={"consent": True, "auth_code": "down"}), 503,
                       "identity.provider_unavailable")
    bound = phone.put(IDENTITY, json={"consent": True, "auth_code": "auth-liming"})
    assert bound.status_code == 200 and bound.json["identity"]["name"] == "李明"
    # Another person's authorisation on this account changes nothing.
    assert_error_shape(phone.put(IDENTITY, json={"consent": True, "auth_code": "auth-wang"}), 403,
                       "identity.not_account_holder")
    assert phone.get("/api/v1/me").json["identity"]["name"] == "李明"
