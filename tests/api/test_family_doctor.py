"""Family-doctor sign-up (家庭医生签约) through the API: the catalogue, the steps,
the team's answer, and every rule of backend/domain/family_doctor.py."""

from __future__ import annotations

import io
import threading
from datetime import date, datetime, time, timedelta, timezone

from PIL import Image
from sqlalchemy import select
from stdnum.cn import ric

from backend.adapters.models import Document, InsuranceRecord, InsuredPerson, Signup, Team
from backend.adapters.realname import StandInRealName, demo_real_names
from backend.domain.filing import add_months
from backend.services.runtime import CHINA, session
from tests.conftest import Person, assert_error_shape, signature_png, upload

def team_key(signup_or_team: dict) -> dict:
    """The partner key of the team a sign-up (or the team itself) belongs to."""
    team_id = signup_or_team.get("team_id", signup_or_team.get("id"))
    return {"X-Partner-Key": f"demo-fd-team-{team_id}"}
AGREEMENT = {"accepted": True, "version": "2026.1"}


# --- helpers ------------------------------------------------------------------------

def institutions(client, **query) -> list[dict]:
    response = client.get("/api/v1/fd/institutions", query_string=query)
    assert response.status_code == 200, response.json
    return response.json


def team_named(client, name: str) -> dict:
    for institution in institutions(client):
        for team in institution["teams"]:
            if team["name"] == name:
                return client.get(f"/api/v1/fd/teams/{team['id']}").json
    raise AssertionError(f"no team {name}")


def package_of(team: dict, kind: str) -> dict:
    return next(p for p in team["packages"] if p["kind"] == kind)


# 周敏家庭医生团队 (岳麓区, with a specialist of 湘雅医院) offers a maternity package.
ZHOUMIN = "周敏家庭医生团队"
HEZHIQIANG = "何志强家庭医生团队"


def draft(person, team: dict, *, kinds=("value_added",), **overrides) -> dict:
    body = {"for": "self", "team_id": team["id"],
            "package_ids": [package_of(team, k)["id"] for k in kinds]}
    body.update(overrides)
    response = person.post("/api/v1/fd/signups", json=body)
    assert response.status_code == 201, response.json
    return response.json


def agree_and_sign(person, signup_id: int) -> dict:
    response = person.put(f"/api/v1/fd/signups/{signup_id}/agreement", json=AGREEMENT)
    assert response.status_code == 200, response.json
    response = person.post(f"/api/v1/fd/signups/{signup_id}/signature", data=upload(signature_png()),
                           content_type="multipart/form-data")
    assert response.status_code == 200, response.json
    return response.json


def submitted(person, team: dict, **kw) -> dict:
    signup = draft(person, team, **kw)
    agree_and_sign(person, signup["id"])
    response = person.post(f"/api/v1/fd/signups/{signup['id']}/submit")
    assert response.status_code == 200, response.json
    return response.json


def active(client, person, team: dict, **kw) -> dict:
    signup = submitted(person, team, **kw)
    response = client.post(f"/api/v1/partner/fd/signups/{signup['id']}/accept", headers=team_key(signup), json={})
    assert response.status_code == 200, response.json
    return person.get(f"/api/v1/fd/signups/{signup['id']}").json


def blank_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", (600, 200), (0, 0, 0, 0)).save(buffer, format="PNG")
    return buffer.getvalue()


def son_as_member(mother) -> int:
    response = mother.post("/api/v1/me/family-members",
                           json={"name": "刘小宝", "id_number": "430121202309020572", "relation": "child"})
    assert response.status_code == 201, response.json
    return response.json["id"]


def team_row(app, team_id: int) -> tuple[int, int]:
    with app.app_context():
        team = session().get(Team, team_id)
        return team.capacity, team.signed


def travel_to(app, day: date, *people) -> None:
    """The service clock reads Beijing dates; noon keeps us clear of midnight. Tokens
    read the same clock, so the people who go on acting sign in again."""
    app.config["CLOCK"] = lambda: datetime.combine(day, time(12), CHINA).astimezone(timezone.utc)
    for person in people:
        person.sign_in_again()


def beijing_today() -> date:
    return datetime.now(CHINA).date()


def extra_residents(app, count: int) -> list[tuple[str, str]]:
    """People the demo registry does not hold, with valid GB 11643 numbers (born
    1993-01-01 in 岳麓区, sequence 100 on, check digit computed), insured in 长沙."""
    people = []
    with app.app_context():
        s = session()
        for i in range(count):
            base = "43010419930101" + f"{100 + i:03d}"
            number = base + ric.calc_check_digit(base + "0")
            assert ric.is_valid(number)
            name = f"测试居民{i:02d}"
            person = InsuredPerson(id_number=number, name=name, address="湖南省长沙市岳麓区")
            s.add(person)
            s.flush()
            s.add(InsuranceRecord(person_id=person.id, scheme="resident", insured_region="430100",
                                  since=date(2015, 1, 1), status="active"))
            people.append((name, number))
        s.commit()
    return people


# --- the catalogue --------------------------------------------------------------------

def test_changsha_zhuzhou_and_xiangtan_each_list_institutions_with_teams_of_the_seed_001_make_up(client):
    for city in ("430100", "430200", "430300"):
        found = institutions(client, region=city)
        assert len(found) >= 3
        assert {i["kind"] for i in found} == {"township_health_centre", "community_health_centre"}
        for institution in found:
            assert institution["region"] == city
            assert len(institution["teams"]) >= 2
            for team in institution["teams"]:
                roles = {m["role"] for m in team["members"]}
                assert {"general_practitioner", "public_health", "village_doctor"} <= roles
                assert 0 <= team["signed"] <= team["capacity"]
                assert team["available"] == team["capacity"] - team["signed"]
    specialists = [m for i in institutions(client, region="430100") for t in i["teams"] for m in t["members"]
                   if m["role"] == "specialist"]
    assert specialists and all(m["organisation"] for m in specialists)


def test_a_province_code_lists_every_city_and_a_text_narrows_the_list(client):
    everything = institutions(client, region="430000")
    assert {i["region"] for i in everything} >= {"430100", "430200", "430300"}
    yuelu = institutions(client, q="岳麓")
    assert [i["name"] for i in yuelu] == ["岳麓区望月湖街道社区卫生服务中心"]
    townships = institutions(client, region="430100", q="卫生院")
    assert townships and all(i["kind"] == "township_health_centre" for i in townships)
    assert institutions(client, region="430200", q="岳麓") == []
    assert institutions(client, q="100%_") == []


def test_an_institution_page_shows_the_three_kinds_of_package_with_what_each_includes(client):
    institution = institutions(client, q="岳麓")[0]
    page = client.get(f"/api/v1/fd/institutions/{institution['id']}").json
    basic = next(p for p in page["packages"] if p["kind"] == "basic")
    assert basic["price"] == 0 and basic["free"]
    assert basic["includes"] == ["电子健康档案", "明确家庭医生和联系人", "健康指导", "绿色就医通道", "预约上级医院转诊"]
    value_added = next(p for p in page["packages"] if p["kind"] == "value_added")
    assert value_added["price"] == 0 and value_added["key_groups_only"]
    assert value_added["outpatient_ratio_percent"] == 70 and value_added["outpatient_annual_limit"] >= 420
    personalised = [p for p in page["packages"] if p["kind"] == "personalized"]
    assert personalised and all(p["price"] > 0 and p["self_paid"] and p["includes"] for p in personalised)


def test_a_team_page_shows_members_by_role_capacity_places_signed_and_packages(client):
    team = team_named(client, ZHOUMIN)
    assert [m["role"] for m in team["members"]] == ["general_practitioner", "public_health", "village_doctor",
                                                   "specialist"]
    assert team["members"][3]["organisation"] == "中南大学湘雅医院"
    assert team["capacity"] > team["signed"] > 0
    assert {p["kind"] for p in team["packages"]} == {"basic", "value_added", "personalized"}


def test_unknown_institutions_and_teams_are_404_in_the_one_error_shape(client):
    assert_error_shape(client.get("/api/v1/fd/institutions/99999"), 404, "fd.institution_not_found")
    assert_error_shape(client.get("/api/v1/fd/teams/99999"), 404, "fd.team_not_found")
    assert_error_shape(client.get("/api/v1/fd/institutions?region=43"), 422)


def test_seeding_again_adds_nothing_and_keeps_the_places_taken(app, client, login):
    team = team_named(client, HEZHIQIANG)
    submitted(login("陈小红"), team, kinds=())
    with app.app_context():
        from backend.services.seed import seed_all
        counts = seed_all()
    assert (counts["fd_institutions"], counts["fd_teams"], counts["fd_packages"]) == (0, 0, 0)
    assert team_named(client, HEZHIQIANG)["signed"] == team["signed"] + 1


# --- the story: 陈小红 and 刘小宝 -------------------------------------------------------------

def test_chen_xiaohong_signs_up_herself_and_her_son_and_the_team_accepts_one_and_declines_the_other(
        app, client, login):
    chen = login("陈小红")
    team = team_named(client, ZHOUMIN)
    member_id = son_as_member(chen)

    mine = draft(chen, team, kinds=("value_added", "personalized"), health_tags=["pregnant"], health_consent=True)
    assert mine["status"] == "draft" and mine["for"] == "self" and mine["next_step"] == "agreement"
    assert mine["key_groups"] == ["pregnant"] and mine["health_consent_version"] == "2026.1"
    assert [p["kind"] for p in mine["packages"]] == ["basic", "value_added", "personalized"]
    assert mine["annual_fee"] == package_of(team, "personalized")["price"]

    sons = draft(chen, team, **{"for": "member", "member_id": member_id})
    assert sons["for"] == "member" and sons["resident"]["name"] == "刘小宝"
    assert sons["key_groups"] == ["child"]          # aged 3, from the ID number
    assert sons["agent"]["relation"] == "child"

    for signup in (mine, sons):
        after_agreement = chen.put(f"/api/v1/fd/signups/{signup['id']}/agreement", json=AGREEMENT).json
        assert after_agreement["next_step"] == "signature"
        signed = chen.post(f"/api/v1/fd/signups/{signup['id']}/signature", data=upload(signature_png()),
                           content_type="multipart/form-data").json
        assert signed["next_step"] is None
        pending = chen.post(f"/api/v1/fd/signups/{signup['id']}/submit")
        assert pending.status_code == 200 and pending.json["status"] == "pending"
    assert team_named(client, ZHOUMIN)["signed"] == team["signed"] + 2

    start = beijing_today() + timedelta(days=7)
    accepted = client.post(f"/api/v1/partner/fd/signups/{mine['id']}/accept", headers=team_key(mine),
                           json={"start_date": start.isoformat()})
    assert accepted.status_code == 200, accepted.json
    assert accepted.json["resident"]["name"] == "陈*红"   # the partner side sees masked names
    declined = client.post(f"/api/v1/partner/fd/signups/{sons['id']}/reject", headers=team_key(sons),
                           json={"reason": "团队儿童签约名额已满，请选择本机构何志强团队。"})
    assert declined.status_code == 200 and declined.json["status"] == "rejected"

    mine = chen.get(f"/api/v1/fd/signups/{mine['id']}").json
    assert mine["status"] == "active"
    assert (mine["valid_from"], mine["valid_to"]) == (start.isoformat(),
                                                      (add_months(start, 12) - timedelta(days=1)).isoformat())
    sons = chen.get(f"/api/v1/fd/signups/{sons['id']}").json
    assert sons["reject_reason"] == "团队儿童签约名额已满，请选择本机构何志强团队。"
    assert team_named(client, ZHOUMIN)["signed"] == team["signed"] + 1   # the declined place went back

    # Declined, the son may apply again, with another team.
    again = submitted(chen, team_named(client, HEZHIQIANG), **{"for": "member", "member_id": member_id})
    assert again["status"] == "pending"

    listed = chen.get("/api/v1/fd/signups").json
    assert [s["id"] for s in listed["items"]] == [again["id"], sons["id"], mine["id"]]

    # 刘小宝, with his own account, sees the contracts made for him, not his mother's.
    xiaobao = login("刘小宝")
    his = xiaobao.get("/api/v1/fd/signups").json["items"]
    assert {s["id"] for s in his} == {sons["id"], again["id"]}
    assert his[0]["viewer_role"] == "resident" and his[0]["agent"]["name"] == "陈*红"
    assert_error_shape(xiaobao.get(f"/api/v1/fd/signups/{mine['id']}"), 404, "signup.not_found")

    events = chen.get(f"/api/v1/fd/signups/{sons['id']}/events").json
    assert [(e["step"], e["actor_role"]) for e in events] == [
        ("created", "agent"), ("agreement", "agent"), ("signature", "agent"), ("submitted", "agent"),
        ("rejected", "partner")]
    assert all(e["on_behalf_of"] == "刘*宝" for e in events)


def test_a_stranger_gets_404_for_someone_elses_sign_up_and_its_events(client, login):
    chen = login("陈小红")
    signup = draft(chen, team_named(client, HEZHIQIANG), kinds=())
    stranger = login("李明")
    for path in (f"/api/v1/fd/signups/{signup['id']}", f"/api/v1/fd/signups/{signup['id']}/events"):
        assert_error_shape(stranger.get(path), 404, "signup.not_found")
    assert_error_shape(stranger.put(f"/api/v1/fd/signups/{signup['id']}/agreement", json=AGREEMENT), 404)
    assert_error_shape(stranger.post(f"/api/v1/fd/signups/{signup['id']}/cancel", json={"reason": "own_wish"}),
                       404)
    assert stranger.get("/api/v1/fd/signups").json["total"] == 0


def test_signing_up_needs_a_login_and_a_bound_identity(client, login):
    team = team_named(client, HEZHIQIANG)
    body = {"for": "self", "team_id": team["id"]}
    assert_error_shape(client.post("/api/v1/fd/signups", json=body), 401)
    assert_error_shape(login(code="demo-nobody").post("/api/v1/fd/signups", json=body), 403, "identity.required")


# --- packages and key groups ----------------------------------------------------------------

def test_the_basic_package_is_always_included_even_when_not_chosen(client, login):
    team = team_named(client, HEZHIQIANG)
    signup = draft(login("陈小红"), team, kinds=())
    assert signup["package_ids"] == [package_of(team, "basic")["id"]]
    assert signup["annual_fee"] == 0


def test_an_adult_outside_the_key_groups_takes_the_value_added_package_for_its_outpatient_part(client, login):
    # seed 001: the outpatient part (70%, at least 420 yuan) is for every signed resident;
    # free health management only for the key groups.
    chen = login("陈小红")  # 33, nothing declared
    response = chen.post("/api/v1/fd/signups", json={"for": "self", "team_id": team_named(client, ZHOUMIN)["id"],
                                                     "package_ids": [package_of(team_named(client, ZHOUMIN),
                                                                                "value_added")["id"]]})
    assert response.status_code == 201, response.json
    assert [p["kind"] for p in response.json["packages"]] == ["basic", "value_added"]
    parts = {p["part"]: p for p in response.json["value_added_parts"]}
    assert parts["outpatient"]["applies"] is True and "70%" in parts["outpatient"]["label"]
    assert parts["health_management"]["applies"] is False


def test_someone_aged_65_or_more_qualifies_for_value_added_from_the_id_number_alone(client, login):
    signup = draft(login("刘德福"), team_named(client, HEZHIQIANG))   # born 1948
    assert signup["key_groups"] == ["elderly"] and signup["health_tags"] == []
    assert signup["health_consent_version"] is None


def test_a_declared_chronic_disease_qualifies_for_value_added_once_its_consent_is_given(app, client, login):
    team = team_named(client, HEZHIQIANG)
    chen = login("陈小红")
    refused = chen.post("/api/v1/fd/signups", json={
        "for": "self", "team_id": team["id"], "package_ids": [package_of(team, "value_added")["id"]],
        "health_tags": ["hypertension"]})
    assert_error_shape(refused, 422, "signup.health_consent_required")
    signup = draft(chen, team, health_tags=["hypertension", "diabetes"], health_consent=True)
    assert signup["key_groups"] == ["hypertension", "diabetes"]
    with app.app_context():
        row = session().get(Signup, signup["id"])
        consent = session().scalar(select(Document).where(Document.name == "health-consent"))
        assert (row.health_consent_version, row.health_consent_sha256) == (consent.version, consent.sha256)
        assert row.health_consent_at is not None


def test_a_man_cannot_be_declared_pregnant(client, login):
    team = team_named(client, ZHOUMIN)
    response = login("刘德福").post("/api/v1/fd/signups", json={
        "for": "self", "team_id": team["id"], "health_tags": ["pregnant"], "health_consent": True})
    assert_error_shape(response, 422, "signup.health_tag_invalid")


def test_unknown_health_tags_and_packages_of_another_institution_are_refused(client, login):
    chen = login("陈小红")
    zhoumin, elsewhere = team_named(client, ZHOUMIN), team_named(client, "钟明家庭医生团队")
    assert_error_shape(chen.post("/api/v1/fd/signups", json={
        "for": "self", "team_id": zhoumin["id"], "health_tags": ["smoker"], "health_consent": True}), 422)
    response = chen.post("/api/v1/fd/signups", json={
        "for": "self", "team_id": zhoumin["id"], "package_ids": [package_of(elsewhere, "personalized")["id"]]})
    assert_error_shape(response, 422, "signup.package_not_offered")
    assert_error_shape(chen.post("/api/v1/fd/signups", json={"for": "self", "team_id": 99999}), 422,
                       "signup.team_unknown")


# --- the steps ----------------------------------------------------------------------

def test_the_steps_go_in_order_and_a_blank_signature_or_an_old_agreement_is_refused(client, login):
    chen = login("陈小红")
    signup = draft(chen, team_named(client, HEZHIQIANG), kinds=())
    sid = signup["id"]
    assert_error_shape(chen.post(f"/api/v1/fd/signups/{sid}/submit"), 409, "signup.incomplete")
    assert_error_shape(chen.post(f"/api/v1/fd/signups/{sid}/signature", data=upload(signature_png()),
                                 content_type="multipart/form-data"), 409, "signup.step_out_of_order")
    assert_error_shape(chen.put(f"/api/v1/fd/signups/{sid}/agreement", json={"accepted": False, "version": "2026.1"}),
                       422, "signup.agreement_not_accepted")
    assert_error_shape(chen.put(f"/api/v1/fd/signups/{sid}/agreement", json={"accepted": True, "version": "2020.1"}),
                       409, "signup.agreement_outdated")
    assert chen.put(f"/api/v1/fd/signups/{sid}/agreement", json=AGREEMENT).status_code == 200
    assert_error_shape(chen.post(f"/api/v1/fd/signups/{sid}/signature", data=upload(blank_png()),
                                 content_type="multipart/form-data"), 422, "signature.blank")
    assert_error_shape(chen.post(f"/api/v1/fd/signups/{sid}/signature", data=upload(b"GIF89a...", "s.gif", "image/gif"),
                                 content_type="multipart/form-data"), 415)
    assert chen.get(f"/api/v1/fd/signups/{sid}").json["next_step"] == "signature"


def test_a_submitted_sign_up_can_no_longer_be_changed_or_submitted_again(client, login):
    chen = login("陈小红")
    signup = submitted(chen, team_named(client, HEZHIQIANG), kinds=())
    assert_error_shape(chen.put(f"/api/v1/fd/signups/{signup['id']}/agreement", json=AGREEMENT), 409,
                       "signup.not_editable")
    assert_error_shape(chen.post(f"/api/v1/fd/signups/{signup['id']}/submit"), 409, "signup.invalid_transition")


# --- one contract per person ----------------------------------------------------------------

def test_a_person_has_at_most_one_pending_or_active_contract(client, login):
    chen = login("陈小红")
    first, second = team_named(client, HEZHIQIANG), team_named(client, ZHOUMIN)
    early = draft(chen, second, kinds=())
    agree_and_sign(chen, early["id"])
    submitted(chen, first, kinds=())
    body = assert_error_shape(chen.post("/api/v1/fd/signups", json={"for": "self", "team_id": second["id"]}),
                              409, "signup.already_signed")
    assert HEZHIQIANG in body["message"]
    # A draft made before still cannot be submitted while the first is open.
    assert_error_shape(chen.post(f"/api/v1/fd/signups/{early['id']}/submit"), 409, "signup.already_signed")


def test_two_drafts_of_one_person_submitted_at_the_same_moment_make_one_open_contract(app, client, login):
    chen = login("陈小红")
    drafts = [draft(chen, team_named(client, name), kinds=()) for name in (HEZHIQIANG, ZHOUMIN)]
    for signup in drafts:
        agree_and_sign(chen, signup["id"])
    ready = threading.Barrier(len(drafts))
    answers: list[int] = []

    def submit(signup_id: int) -> None:
        own_client = app.test_client()
        ready.wait(timeout=30)
        response = own_client.post(f"/api/v1/fd/signups/{signup_id}/submit", headers=chen.headers)
        answers.append(response.status_code)

    threads = [threading.Thread(target=submit, args=(s["id"],)) for s in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(answers) == [200, 409]
    statuses = sorted(chen.get(f"/api/v1/fd/signups/{s['id']}").json["status"] for s in drafts)
    assert statuses == ["draft", "pending"]


def test_a_declined_resident_may_apply_again(client, login):
    chen = login("陈小红")
    team = team_named(client, HEZHIQIANG)
    first = submitted(chen, team, kinds=())
    client.post(f"/api/v1/partner/fd/signups/{first['id']}/reject", headers=team_key(first), json={"reason": "地址不在服务区域"})
    assert submitted(chen, team, kinds=())["status"] == "pending"


def test_a_mother_cannot_sign_up_her_son_twice_either(client, login):
    chen = login("陈小红")
    member_id = son_as_member(chen)
    submitted(chen, team_named(client, ZHOUMIN), **{"for": "member", "member_id": member_id})
    response = chen.post("/api/v1/fd/signups", json={"for": "member", "member_id": member_id,
                                                     "team_id": team_named(client, HEZHIQIANG)["id"]})
    assert_error_shape(response, 409, "signup.already_signed")


# --- family members -----------------------------------------------------------------

def test_only_an_active_family_member_of_my_own_account_can_be_signed_up(client, login):
    team = team_named(client, HEZHIQIANG)
    chen = login("陈小红")
    member_id = son_as_member(chen)
    assert_error_shape(chen.post("/api/v1/fd/signups", json={"for": "member", "team_id": team["id"]}), 422,
                       "signup.member_required")
    assert_error_shape(chen.post("/api/v1/fd/signups", json={"for": "self", "member_id": member_id,
                                                             "team_id": team["id"]}), 422,
                       "signup.member_not_expected")
    liming = login("李明")
    assert_error_shape(liming.post("/api/v1/fd/signups", json={"for": "member", "member_id": member_id,
                                                               "team_id": team["id"]}), 422,
                       "signup.member_unknown")
    assert chen.delete(f"/api/v1/me/family-members/{member_id}").status_code == 204
    assert_error_shape(chen.post("/api/v1/fd/signups", json={"for": "member", "member_id": member_id,
                                                             "team_id": team["id"]}), 422,
                       "signup.member_unknown")


# --- capacity ---------------------------------------------------------------------

def test_a_full_team_refuses_new_sign_ups(client, login):
    full = team_named(client, "石磊家庭医生团队")   # 湘潭: every place taken
    assert full["full"] and full["available"] == 0
    response = login("陈小红").post("/api/v1/fd/signups", json={"for": "self", "team_id": full["id"]})
    assert_error_shape(response, 409, "signup.team_full")


def test_submitting_takes_a_place_and_declining_or_cancelling_gives_it_back(app, client, login):
    team = team_named(client, HEZHIQIANG)
    start = team["signed"]
    chen, liu = login("陈小红"), login("刘德福")
    declined, withdrawn = submitted(chen, team, kinds=()), submitted(liu, team, kinds=())
    assert team_row(app, team["id"])[1] == start + 2
    client.post(f"/api/v1/partner/fd/signups/{declined['id']}/reject", headers=team_key(declined), json={"reason": "已满"})
    assert team_row(app, team["id"])[1] == start + 1
    assert liu.post(f"/api/v1/fd/signups/{withdrawn['id']}/cancel", json={"reason": "own_wish"}).status_code == 200
    assert team_row(app, team["id"])[1] == start


def test_the_last_place_goes_to_the_first_submit_and_the_next_is_told_the_team_is_full(app, client, login):
    team = team_named(client, HEZHIQIANG)
    with app.app_context():
        row = session().get(Team, team["id"])
        row.signed = row.capacity - 1
        session().commit()
    chen, liu = login("陈小红"), login("刘德福")
    first, second = draft(chen, team, kinds=()), draft(liu, team, kinds=())
    for person, signup in ((chen, first), (liu, second)):
        agree_and_sign(person, signup["id"])
    assert chen.post(f"/api/v1/fd/signups/{first['id']}/submit").status_code == 200
    assert_error_shape(liu.post(f"/api/v1/fd/signups/{second['id']}/submit"), 409, "signup.team_full")
    assert liu.get(f"/api/v1/fd/signups/{second['id']}").json["status"] == "draft"
    assert team_row(app, team["id"]) == (team["capacity"], team["capacity"])


def test_thirty_concurrent_sign_ups_for_a_team_with_ten_places_left_end_in_exactly_ten_contracts(app, client, monkeypatch):
    team = team_named(client, HEZHIQIANG)
    with app.app_context():
        row = session().get(Team, team["id"])
        row.signed = row.capacity - 10
        session().commit()
    residents = extra_residents(app, 30)
    # The stand-in real-names each of them by a login code of their number.
    monkeypatch.setitem(app.extensions, "realname",
                        StandInRealName({**demo_real_names(), **{number: name for name, number in residents}}))
    ready = threading.Barrier(len(residents))
    outcomes: list[tuple[int, dict]] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def sign_up(code: str, name: str, number: str) -> None:
        try:
            person = Person(app.test_client(), code).bind()
            signup = draft(person, team, kinds=())
            agree_and_sign(person, signup["id"])
            ready.wait(timeout=60)   # every submit leaves at the same moment
            response = person.post(f"/api/v1/fd/signups/{signup['id']}/submit")
            with lock:
                outcomes.append((response.status_code, response.get_json()))
        except BaseException as exc:  # noqa: BLE001 -- reported below, with the thread's error
            ready.abort()
            with lock:
                failures.append(exc)

    threads = [threading.Thread(target=sign_up, args=(f"demo-{number}-concurrent", name, number))
               for i, (name, number) in enumerate(residents)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    statuses = sorted(status for status, _ in outcomes)
    assert statuses == [200] * 10 + [409] * 20
    assert {body["code"] for status, body in outcomes if status == 409} == {"signup.team_full"}
    with app.app_context():
        open_contracts = session().scalars(select(Signup).where(Signup.team_id == team["id"],
                                                                Signup.status.in_(("pending", "active")))).all()
        assert len(open_contracts) == 10
    assert team_row(app, team["id"]) == (team["capacity"], team["capacity"])


# --- the team's answer --------------------------------------------------------------------

def test_the_team_lists_what_waits_for_an_answer_with_masked_names(client, login):
    team = team_named(client, HEZHIQIANG)
    signup = submitted(login("陈小红"), team, kinds=())
    draft(login("刘德福"), team, kinds=())   # a draft is not the team's business yet
    waiting = client.get("/api/v1/partner/fd/signups", headers=team_key(team),
                         query_string={"team_id": team["id"], "status": "pending"}).json
    assert [s["id"] for s in waiting["items"]] == [signup["id"]]
    assert waiting["items"][0]["resident"]["name"] == "陈*红"
    assert_error_shape(client.get("/api/v1/partner/fd/signups"), 401, "partner.key_invalid")


def test_the_start_date_lies_within_the_coming_month(client, login):
    signup = submitted(login("陈小红"), team_named(client, HEZHIQIANG), kinds=())
    too_late = add_months(beijing_today(), 1) + timedelta(days=1)
    for day in (beijing_today() - timedelta(days=1), too_late):
        response = client.post(f"/api/v1/partner/fd/signups/{signup['id']}/accept", headers=team_key(signup),
                               json={"start_date": day.isoformat()})
        assert_error_shape(response, 422, "signup.start_date_invalid")
    accepted = client.post(f"/api/v1/partner/fd/signups/{signup['id']}/accept", headers=team_key(signup))
    assert accepted.status_code == 200, accepted.json
    assert accepted.json["valid_from"] == beijing_today().isoformat()


def test_the_team_answers_only_pending_sign_ups_and_only_with_its_key(client, login):
    signup = submitted(login("陈小红"), team_named(client, HEZHIQIANG), kinds=())
    path = f"/api/v1/partner/fd/signups/{signup['id']}"
    assert_error_shape(client.post(f"{path}/accept", json={}), 401, "partner.key_invalid")
    assert_error_shape(client.post(f"{path}/reject", headers=team_key(signup), json={"reason": ""}), 422)
    assert client.post(f"{path}/accept", headers=team_key(signup), json={}).status_code == 200
    assert_error_shape(client.post(f"{path}/accept", headers=team_key(signup), json={}), 409, "signup.invalid_transition")
    assert_error_shape(client.post(f"{path}/reject", headers=team_key(signup), json={"reason": "晚了"}), 409,
                       "signup.invalid_transition")
    assert_error_shape(client.post("/api/v1/partner/fd/signups/99999/accept", headers=team_key(signup), json={}), 404)


# --- cancellation, renewal, expiry ----------------------------------------------------------

def test_a_contract_is_cancelled_with_a_reason_from_the_termination_list(app, client, login):
    chen = login("陈小红")
    team = team_named(client, HEZHIQIANG)
    signup = active(client, chen, team, kinds=())
    path = f"/api/v1/fd/signups/{signup['id']}/cancel"
    assert_error_shape(chen.post(path, json={"reason": "bored"}), 422)
    assert_error_shape(chen.post(path, json={"reason": "other"}), 422, "signup.cancel_note_required")
    cancelled = chen.post(path, json={"reason": "moved_away", "note": "已搬至株洲市居住"})
    assert cancelled.status_code == 200
    assert (cancelled.json["status"], cancelled.json["cancel_reason_label"]) == ("cancelled", "迁出服务区域")
    assert team_row(app, team["id"])[1] == team["signed"]
    assert_error_shape(chen.post(path, json={"reason": "own_wish"}), 409, "signup.invalid_transition")
    # Cancelled, she may sign up again.
    assert submitted(chen, team, kinds=())["status"] == "pending"


def test_renewal_opens_30_days_before_expiry_and_extends_the_contract_by_a_year(app, client, login):
    chen = login("陈小红")
    signup = active(client, chen, team_named(client, HEZHIQIANG), kinds=())
    valid_to = date.fromisoformat(signup["valid_to"])
    path = f"/api/v1/fd/signups/{signup['id']}/renew"
    assert signup["renewable_from"] == (valid_to - timedelta(days=29)).isoformat()

    travel_to(app, valid_to - timedelta(days=30), chen)
    assert_error_shape(chen.post(path, json=AGREEMENT), 409, "signup.renewal_too_early")
    travel_to(app, valid_to - timedelta(days=29), chen)
    assert_error_shape(chen.post(path, json={"accepted": False, "version": "2026.1"}), 422)
    renewed = chen.post(path, json=AGREEMENT)
    assert renewed.status_code == 200, renewed.json
    assert renewed.json["valid_to"] == (add_months(valid_to + timedelta(days=1), 12) - timedelta(days=1)).isoformat()
    assert renewed.json["valid_from"] == signup["valid_from"] and renewed.json["renewals"] == 1
    assert [e["step"] for e in chen.get(f"/api/v1/fd/signups/{signup['id']}/events").json][-1] == "renewed"


def test_a_child_who_turns_7_by_the_next_term_keeps_only_the_outpatient_part_when_renewed(app, client, login):
    chen = login("陈小红")
    team = team_named(client, ZHOUMIN)
    member_id = son_as_member(chen)
    # 刘小宝 was born 2023-09-02: contracted on 2029-09-10 he is 6, on the next
    # term's first day (2030-09-10) he is 7.
    travel_to(app, date(2029, 9, 10), chen)
    son = active(client, chen, team, **{"for": "member", "member_id": member_id})
    assert son["valid_to"] == "2030-09-09" and son["key_groups"] == ["child"]
    travel_to(app, date(2030, 8, 20), chen)
    renewed = chen.post(f"/api/v1/fd/signups/{son['id']}/renew", json=AGREEMENT)
    assert renewed.status_code == 200, renewed.json
    assert "value_added" in [p["kind"] for p in renewed.json["packages"]]
    assert renewed.json["valid_to"] == "2031-09-09" and renewed.json["key_groups"] == []
    parts = {p["part"]: p["applies"] for p in renewed.json["value_added_parts"]}
    assert parts == {"outpatient": True, "health_management": False}


def test_contracts_past_their_end_expire_from_the_cli_and_give_their_place_back(app, client, login, runner):
    chen = login("陈小红")
    team = team_named(client, HEZHIQIANG)
    signup = active(client, chen, team, kinds=())
    travel_to(app, date.fromisoformat(signup["valid_to"]))
    assert "'fd_signups': 0" in runner.invoke(args=["expire"]).output
    travel_to(app, date.fromisoformat(signup["valid_to"]) + timedelta(days=1), chen)
    result = runner.invoke(args=["expire"])
    assert "'fd_signups': 1" in result.output, result.output
    expired = chen.get(f"/api/v1/fd/signups/{signup['id']}").json
    assert expired["status"] == "expired"
    assert team_row(app, team["id"])[1] == team["signed"]
    assert_error_shape(chen.post(f"/api/v1/fd/signups/{signup['id']}/renew", json=AGREEMENT), 409)
    assert chen.get(f"/api/v1/fd/signups/{signup['id']}/events").json[-1]["actor_role"] == "system"
    # Expired, she may sign up again.
    assert submitted(chen, team, kinds=())["status"] == "pending"


def test_the_team_may_end_a_contract_in_force_for_a_reason_on_its_side(app, client, login):
    chen = login("陈小红")
    team = team_named(client, HEZHIQIANG)
    signup = active(client, chen, team, kinds=())
    path = f"/api/v1/partner/fd/signups/{signup['id']}/terminate"
    assert_error_shape(client.post(path, json={"reason": "unreachable_one_year"}), 401)
    # The resident's own wish is hers to give, not the team's.
    assert_error_shape(client.post(path, headers=team_key(signup), json={"reason": "own_wish"}), 422)
    assert_error_shape(client.post(path, headers=team_key(signup), json={"reason": "other"}), 422,
                       "signup.cancel_note_required")
    ended = client.post(path, headers=team_key(signup), json={"reason": "unreachable_one_year", "note": "电话、上门均联系不上"})
    assert ended.status_code == 200, ended.json
    mine = chen.get(f"/api/v1/fd/signups/{signup['id']}").json
    assert (mine["status"], mine["cancel_reason_label"]) == ("cancelled", "连续一年联系不上")
    assert team_row(app, team["id"])[1] == team["signed"]
    events = chen.get(f"/api/v1/fd/signups/{signup['id']}/events").json
    assert events[-1]["step"] == "terminated_by_team" and events[-1]["actor_role"] == "partner"
    assert_error_shape(client.post(path, headers=team_key(signup), json={"reason": "moved_away"}), 409, "signup.not_active")
