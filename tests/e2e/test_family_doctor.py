"""家庭医生签约 (seed 001): 陈小红 signs her son 刘小宝, aged 3, up with a family
doctor team: institutions of her city, a team with its members and packages, the
value-added package explained (open to every resident, her too, though she is in no
key group), the agreement, her signature, submit, which parts of the value-added
package apply to him, and the team's answer."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import log_in, sign_with_the_mouse

pytestmark = pytest.mark.e2e


def test_chen_xiaohong_signs_her_three_year_old_son_up_with_a_family_doctor_team(phone, client):
    page = phone.page
    log_in(phone, "陈小红")

    # 亲情账户: her son first.
    page.get_by_role("link", name="我的医保").click()
    phone.ready("home_index")
    page.get_by_label("姓名").fill("刘小宝")
    page.get_by_label("身份证号码").fill("430121202309020572")
    page.get_by_label("是我的").select_option("child")
    page.get_by_role("button", name="添加家庭成员").click()
    page.locator(".js_member").wait_for()
    phone.idle()
    assert "刘小宝" in page.locator(".js_family").inner_text()
    phone.screen("family_member_added")

    page.get_by_role("link", name="服务大厅").click()
    phone.ready("home_index")
    page.get_by_role("link", name="家庭医生签约").click()
    phone.ready("fd_index")
    assert page.get_by_label("城市").input_value() == "430100"
    institutions = page.locator(".js_institution")
    assert institutions.count() >= 2
    phone.screen("fd_index")

    # For herself too the value-added package may be chosen: it is open to everyone.
    page.get_by_role("link", name="岳麓区望月湖街道社区卫生服务中心").click()
    phone.ready("fd_institution")
    phone.screen("fd_institution")
    page.get_by_role("button", name="周敏家庭医生团队").click()
    phone.ready("fd_team")
    assert "上级医院专科医生" in page.locator(".js_members").inner_text()
    assert page.get_by_label("基础服务包").is_checked() and page.get_by_label("基础服务包").is_disabled()
    assert "可以选择增值服务包" in page.locator(".js_eligibility").inner_text()
    assert "增值服务包面向所有签约居民" in page.locator("#js_rule").inner_text()
    value_added = page.locator(".js_packages input[type=checkbox]").nth(1)
    assert value_added.is_enabled() and not value_added.is_checked()
    phone.screen("fd_team_self")

    # For her son, aged 3: a key group by his ID number.
    page.locator(".js_back").click()
    phone.ready("fd_institution")
    page.locator(".js_back").click()
    phone.ready("fd_index")
    tick(page, "刘小宝（子女）")
    phone.ready("fd_index")
    page.get_by_role("link", name="岳麓区望月湖街道社区卫生服务中心").click()
    phone.ready("fd_institution")
    page.get_by_role("button", name="周敏家庭医生团队").click()
    phone.ready("fd_team")
    assert page.locator(".js_signer").inner_text() == "刘小宝（子女）"
    assert "属于0-6岁儿童，选择增值服务包可享门诊和健康管理服务" in page.locator(".js_eligibility").inner_text()
    tick(page, "增值服务包（重点人群）")
    phone.screen("fd_team")
    page.get_by_role("button", name="下一步").click()

    phone.ready("fd_agreement")
    assert "家庭医生签约服务协议" in page.locator("article").inner_text()
    assert page.locator(".js_resident").inner_text() == "刘小宝"
    page.get_by_label("已阅读并同意《签约服务协议》").check()
    phone.screen("fd_agreement")
    page.get_by_role("button", name="同意并签字").click()

    phone.ready("fd_sign")
    assert "代刘小宝（子女）签约" in page.locator("#js_sign_tip").inner_text()
    sign_with_the_mouse(phone)
    phone.screen("fd_sign")
    page.get_by_role("button", name="确定").click()

    phone.ready("fd_status")
    assert page.locator(".js_title").inner_text() == "待提交"
    phone.screen("fd_status_ready")
    page.get_by_role("button", name="提交签约申请").click()
    page.locator(".js_title").filter(has_text="已提交，待团队确认").wait_for()
    phone.idle()
    rows = page.locator(".js_rows").inner_text()
    assert "周敏家庭医生团队" in rows and "增值服务包" in rows and "0-6岁儿童" in rows
    assert "陈小红" in rows
    # The value-added package's parts: for a child of 3, both apply.
    token = page.evaluate("() => JSON.parse(localStorage.getItem('yibao.tokens')).access_token")
    signup_id = int(page.url.split("id=")[1])
    signup = client.get(f"/api/v1/fd/signups/{signup_id}", headers={"Authorization": f"Bearer {token}"}).json
    assert [p["part"] for p in signup["value_added_parts"]] == ["outpatient", "health_management"]
    assert all(p["applies"] for p in signup["value_added_parts"])
    parts = page.locator(".js_part")
    assert parts.count() == 2
    for shown, part in zip(parts.all(), signup["value_added_parts"]):
        assert shown.locator(".weui-cell__bd").inner_text() == part["label"]
        assert shown.locator(".weui-cell__ft").inner_text() == "适用"
    phone.screen("fd_status_pending")

    # The team accepts (partner side); the status shows the contract's year.
    accepted = client.post(f"/api/v1/partner/fd/signups/{signup_id}/accept",
                           headers={"X-Partner-Key": f"demo-fd-team-{signup['team_id']}"}, json={})
    assert accepted.status_code == 200, accepted.json
    page.reload()
    phone.ready("fd_status")
    assert page.locator(".js_title").inner_text() == "签约成功"
    assert f"合同有效期 {accepted.json['valid_from']} 至 {accepted.json['valid_to']}" == page.locator(".js_desc").inner_text()
    assert "团队同意签约" in page.locator(".js_events").inner_text()
    phone.screen("fd_status_active")

    page.goto(phone.base_url + "/#/fd_records")
    phone.ready("fd_records")
    assert "刘小宝 · 周敏家庭医生团队" in page.locator(".js_signup").first.inner_text()
    assert "已签约" in page.locator(".js_signup").first.inner_text()
    phone.screen("fd_records")
    phone.finish()


def tick(page, label: str):
    """WeUI hides the check box itself; a finger taps its row, the <label>."""
    page.locator("label.weui-check__label", has_text=label).click()
    assert page.get_by_label(label).is_checked()
