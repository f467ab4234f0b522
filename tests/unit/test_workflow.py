import pytest

from backend.domain.errors import Conflict
from backend.domain.filing import FLOW


def test_a_step_cannot_be_done_before_the_steps_it_follows():
    with pytest.raises(Conflict) as err:
        FLOW.check_step("self", "draft", ["insured"], "details")
    assert err.value.code == "filing.step_out_of_order"
    assert "阅读备案告知书" in err.value.message


def test_the_proxy_flow_waits_for_photos_before_details():
    with pytest.raises(Conflict):
        FLOW.check_step("other", "draft", ["insured", "notice", "agent_declaration"], "details")
    FLOW.check_step("other", "draft", ["insured", "notice", "agent_declaration", "attachments"], "details")


def test_the_agent_signs_the_declaration_before_uploading_photos():
    # seed 002, 为他人备案: 核对代办人信息；随后根据提示进行确认、签字；依次上传…照片
    assert FLOW.steps_for("other").index("agent_declaration") < FLOW.steps_for("other").index("attachments")
    with pytest.raises(Conflict) as err:
        FLOW.check_step("other", "draft", ["insured", "notice"], "attachments")
    assert "代办承诺书" in err.value.message


def test_a_returned_flow_reopens_only_the_steps_named():
    from backend.domain.workflow import Workflow
    flow = Workflow(name="demo", steps={"self": ("a", "b")}, transitions={("returned", "resubmit"): "submitted"},
                    editable_statuses=("draft", "returned"))
    flow.check_step("self", "returned", ["a", "b"], "b", reopened={"b"})
    with pytest.raises(Conflict) as err:
        flow.check_step("self", "returned", ["a", "b"], "a", reopened={"b"})
    assert err.value.code == "demo.not_reopened"


def test_redoing_an_earlier_step_asks_for_the_later_ones_again():
    done = ["insured", "notice", "details", "signature"]
    assert FLOW.complete("self", done, "details") == ["insured", "notice", "details"]
    assert FLOW.next_step("self", FLOW.complete("self", done, "details")) == "signature"


def test_uploads_keep_the_later_steps():
    done = ["insured", "notice", "details"]
    assert FLOW.complete("other", done, "attachments", keeps_later=True) == \
        ["insured", "notice", "attachments", "details"]


def test_only_a_draft_can_be_edited():
    with pytest.raises(Conflict) as err:
        FLOW.check_step("self", "effective", ["insured"], "notice")
    assert err.value.code == "filing.not_editable"


@pytest.mark.parametrize("status, action, result", [
    ("draft", "submit", "effective"), ("effective", "cancel", "cancelled"), ("effective", "expire", "expired"),
])
def test_the_transition_table_allows_exactly_its_moves(status, action, result):
    assert FLOW.apply(status, action) == result


@pytest.mark.parametrize("status, action", [
    ("draft", "cancel"), ("cancelled", "cancel"), ("effective", "submit"), ("expired", "cancel"),
    ("cancelled", "submit"),
])
def test_any_other_move_is_refused_in_chinese(status, action):
    with pytest.raises(Conflict) as err:
        FLOW.apply(status, action)
    assert err.value.code == "filing.invalid_transition"
