"""Every row of seed 002's table (Shanxi), through POST /filing-advice."""

import pytest

from tests.conftest import assert_error_shape

TAIYUAN, DATONG, HAIKOU, CHANGSHA, URUMQI = "140100", "140200", "460100", "430100", "650100"

SEED_002_ROWS = [
    # scheme, destination, situation → filing_required, scope, ratio points
    ("resident", DATONG, "other", False, "in_province", 0),        # 城乡居民 省内住院: 无需备案
    ("resident", DATONG, "emergency", False, "in_province", 0),
    ("employee", DATONG, "emergency", False, "in_province", 0),    # 急诊 flag uploaded by the hospital
    ("employee", DATONG, "referral", False, "in_province", 0),     # 转诊 视同已备案
    ("employee", DATONG, "other", False, "in_province", 0),        # 非急诊未转诊: 执行参保地政策
    ("employee", DATONG, "long_term", True, "in_province", 0),     # 长期居住: 自助备案后不降比例
    ("employee", HAIKOU, "other", True, "cross_province", 0),      # 跨省: 先备案，后结算
    ("resident", HAIKOU, "emergency", True, "cross_province", 0),
    ("employee", HAIKOU, "referral", True, "cross_province", 0),
    ("resident", HAIKOU, "referral", True, "cross_province", -5),  # 居民跨省转诊: 下调5个百分点
    ("resident", HAIKOU, "long_term", True, "cross_province", 0),  # 长期居住: 双向享受
    ("employee", HAIKOU, "long_term", True, "cross_province", 0),
]


@pytest.mark.parametrize("scheme, destination, situation, required, scope, points", SEED_002_ROWS)
def test_shanxi_advice_follows_the_seed_002_table(client, scheme, destination, situation, required, scope, points):
    response = client.post("/api/v1/filing-advice", json={
        "scheme": scheme, "insured_region": TAIYUAN, "destination_region": destination, "situation": situation})
    assert response.status_code == 200, response.json
    body = response.json
    assert (body["filing_required"], body["scope"], body["ratio_change_points"]) == (required, scope, points)
    assert body["note"]


def test_the_referred_resident_of_yangquan_is_told_of_the_five_point_cut(client):
    body = client.post("/api/v1/filing-advice", json={
        "scheme": "resident", "insured_region": "140300", "destination_region": "110100",
        "situation": "referral"}).json
    assert body["ratio_change_points"] == -5 and "5个百分点" in body["note"]


def test_a_long_term_filer_is_told_both_places_pay_as_at_home(client):
    body = client.post("/api/v1/filing-advice", json={
        "scheme": "employee", "insured_region": TAIYUAN, "destination_region": HAIKOU,
        "situation": "long_term"}).json
    assert "双向享受" in body["note"]


def test_provinces_without_rows_of_their_own_follow_the_national_rules(client):
    body = client.post("/api/v1/filing-advice", json={
        "scheme": "employee", "insured_region": URUMQI, "destination_region": CHANGSHA,
        "situation": "long_term"}).json
    assert body == {**body, "filing_required": True, "scope": "cross_province", "ratio_change_points": 0}


def test_advice_for_the_same_region_says_no_filing_is_needed(client):
    body = assert_error_shape(client.post("/api/v1/filing-advice", json={
        "scheme": "employee", "insured_region": TAIYUAN, "destination_region": TAIYUAN,
        "situation": "other"}), 422, "filing.same_region")
    assert "无需备案" in body["message"]


@pytest.mark.parametrize("body, field", [
    ({"scheme": "farmer", "insured_region": TAIYUAN, "destination_region": HAIKOU, "situation": "other"}, "scheme"),
    ({"scheme": "employee", "insured_region": "14", "destination_region": HAIKOU, "situation": "other"}, "insured_region"),
    ({"scheme": "employee", "insured_region": "999999", "destination_region": HAIKOU, "situation": "other"}, "insured_region"),
    ({"scheme": "employee", "insured_region": TAIYUAN, "destination_region": HAIKOU}, "situation"),
])
def test_bad_advice_requests_name_the_field_in_chinese(client, body, field):
    error = assert_error_shape(client.post("/api/v1/filing-advice", json=body), 422)
    assert field in error["errors"]
