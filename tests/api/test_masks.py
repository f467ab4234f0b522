"""Masks that stay masked: no answer puts a full birth date (or anything else that
restores the masked digits) beside a masked ID number, and a partner sees only what
it needs."""

from __future__ import annotations

import json
from datetime import datetime

from backend.adapters.clock import CHINA
from tests.api.flows import FILINGS, effective_proxy_filing
from tests.api.test_family_doctor import ZHOUMIN, team_key, son_as_member, submitted, team_named
from tests.conftest import PEOPLE


def _digits_hidden_by_the_mask(name: str) -> list[str]:
    """Digits 7-14 of the number (the birth date), in the forms an answer could carry."""
    born = PEOPLE[name][6:14]
    return [born, f"{born[:4]}-{born[4:6]}-{born[6:]}", f"{born[:4]}年{int(born[4:6])}月{int(born[6:])}日"]


def _age(name: str) -> int:
    born, today = PEOPLE[name][6:14], datetime.now(CHINA).date()
    return today.year - int(born[:4]) - ((today.month, today.day) < (int(born[4:6]), int(born[6:])))


def test_an_identity_carries_a_birth_year_and_an_age_never_the_birth_date(login):
    liming = login("李明")
    identity = liming.get("/api/v1/me").json["identity"]
    assert identity == {"name": "李明", "id_number": "140***********0318", "sex": "male",
                        "birth_year": 1980, "age": _age("李明")}


def test_no_answer_about_a_proxy_filing_restores_the_masked_digits(login):
    liming = login("李明")
    filing = effective_proxy_filing(liming)
    wang = login("王秀英")
    answers = [liming.get(f"{FILINGS}/{filing['id']}").json, wang.get(f"{FILINGS}/{filing['id']}").json,
               liming.get("/api/v1/me").json, wang.get("/api/v1/me/agents").json,
               liming.get(f"{FILINGS}", query_string={"for": "other"}).json,
               wang.get(f"{FILINGS}/{filing['id']}/events").json, wang.get("/api/v1/me/access-log").json]
    text = json.dumps(answers, ensure_ascii=False, default=str)
    for name in ("王秀英", "李明"):
        assert PEOPLE[name] not in text
        for form in _digits_hidden_by_the_mask(name):
            assert form not in text, (name, form)
    assert '"birth_date"' not in text


def test_a_team_sees_a_masked_name_sex_and_age_and_no_id_number_at_all(client, login):
    mother = login("陈小红")
    member_id = son_as_member(mother)
    signup = submitted(mother, team_named(client, ZHOUMIN), **{"for": "member", "member_id": member_id})
    listed = client.get("/api/v1/partner/fd/signups", headers=team_key(signup), query_string={"status": "pending"}).json
    seen = next(item for item in listed["items"] if item["id"] == signup["id"])
    assert seen["resident"] == {"name": "刘*宝", "sex": "male", "age": _age("刘小宝")}
    assert seen["agent"] == {"name": "陈*红", "sex": "female", "age": _age("陈小红"),
                             "relation": "child", "relation_label": "子女"}
    assert seen["key_groups"] == ["child"]
    answered = client.post(f"/api/v1/partner/fd/signups/{signup['id']}/accept", headers=team_key(signup), json={}).json
    text = json.dumps([listed, answered], ensure_ascii=False)
    assert "id_number" not in text and "birth" not in text
    # the mother herself still sees her son's masked number
    assert mother.get(f"/api/v1/fd/signups/{signup['id']}").json["resident"]["id_number"] == "430***********0572"
