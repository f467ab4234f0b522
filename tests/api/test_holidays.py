"""An operator installs a year's official holiday arrangement (`flask holidays load`):
it replaces the provisional year, due dates through it stop being provisional, and the
running ones are counted again. The year's dates here are MADE UP for the test (2027's
real notice is not published as of this writing); nothing of them is in backend/data."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.api.rescue_flow import R, set_clock, submitted

SPRING = date(2027, 2, 4)   # a Thursday before the (statutory) Spring Festival break

# TEST DATA, invented for this test: NOT the State Council's 2027 notice.
MADE_UP_2027 = {
    "year": 2027,
    "source": "测试数据（虚构，非国务院办公厅通知）：2027年部分节假日安排",
    "holidays": ["2027-01-01", *[f"2027-02-{d:02d}" for d in range(5, 13)], "2027-04-05",
                 *[f"2027-05-0{d}" for d in range(1, 6)], "2027-06-09", "2027-09-15",
                 *[f"2027-10-0{d}" for d in range(1, 8)]],
    "adjusted_workdays": ["2027-02-13", "2027-02-20"],
}


@pytest.fixture
def arrangement(tmp_path):
    def write(**over) -> str:
        path = tmp_path / "test-data-made-up-2027.json"
        path.write_text(json.dumps({**MADE_UP_2027, **over}, ensure_ascii=False), encoding="utf-8")
        return str(path)
    return write


def test_loading_the_official_year_replaces_the_provisional_one_and_counts_running_dates_again(
        app, runner, login, arrangement):
    set_clock(app, SPRING)
    dad = login("赵大山")
    before = submitted(dad, SPRING)
    # Provisional: Feb 5-10 off by the statutory rule; Feb 11, 12 and Monday 15.
    assert before["review_due"] == "2027-02-15" and before["due_dates_provisional"] is True

    result = runner.invoke(args=["holidays", "load", "2027", arrangement()])
    assert result.exit_code == 0, result.output
    assert "no longer provisional for 2027" in result.output
    assert f"{before['application_no']}: review_due 2027-02-15 -> 2027-02-16" in result.output

    # Made-up days: Feb 5-12 off, Saturday 13 worked, then Monday 15 and Tuesday 16.
    after = dad.get(f"{R}/{before['id']}").json
    assert after["review_due"] == "2027-02-16" and after["due_dates_provisional"] is False
    history = dad.get(f"{R}/{before['id']}/events").json
    recount = [e for e in history if e["step"] == "due_recounted"]
    assert len(recount) == 1 and recount[0]["label"] == "按国务院正式放假安排重新计算期限"
    # A new application counts on the loaded year at once.
    fresh = submitted(dad, SPRING, accident_over={"police_notice_no": "阳公交垫〔2027〕0002号"})
    assert fresh["review_due"] == "2027-02-16" and fresh["due_dates_provisional"] is False

    listed = runner.invoke(args=["holidays", "list"])
    assert "2027" in listed.output and "测试数据" in listed.output
    # Loading it again (a corrected file) replaces it; nothing moves a second time.
    again = runner.invoke(args=["holidays", "load", "2027", arrangement()])
    assert again.exit_code == 0 and "replaced the earlier load" in again.output
    assert "0 due date(s) counted again" in again.output


@pytest.mark.parametrize("over, code, words", [
    ({"adjusted_workdays": ["2027-02-15"]}, "holidays.arrangement_invalid", "调休上班日应为周六或周日：2027-02-15"),
    ({"adjusted_workdays": ["2027-02-06"]}, "holidays.arrangement_invalid", "既是放假日又是上班日：2027-02-06"),
    ({"holidays": ["2027-02-05"]}, "holidays.arrangement_invalid", "少于法定的 13 天"),
    ({"holidays": MADE_UP_2027["holidays"][1:] + ["2027-12-31"]}, "holidays.arrangement_invalid", "缺少元旦"),
    ({"holidays": MADE_UP_2027["holidays"] + ["2028-01-01"]}, "holidays.arrangement_invalid", "不是 2027 年的日期"),
    ({"source": " "}, "holidays.arrangement_invalid", "请写明放假安排通知的标题和文号"),
    ({"year": 2028}, "holidays.year_mismatch", "与要导入的 2027 年不一致"),
])
def test_a_wrong_arrangement_is_refused_saying_what_is_wrong_and_nothing_changes(app, runner, arrangement,
                                                                                  over, code, words):
    result = runner.invoke(args=["holidays", "load", "2027", arrangement(**over)])
    assert result.exit_code != 0 and code in result.output and words in result.output
    assert runner.invoke(args=["holidays", "list"]).output.strip() == ""


def test_a_year_the_package_holds_or_an_unreadable_file_is_refused(runner, tmp_path, arrangement):
    result = runner.invoke(args=["holidays", "load", "2026", arrangement(year=2026)])
    assert result.exit_code != 0 and "holidays.year_in_package" in result.output and "chinese-calendar" in result.output
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    result = runner.invoke(args=["holidays", "load", "2027", str(broken)])
    assert result.exit_code != 0 and "holidays.file_unreadable" in result.output
