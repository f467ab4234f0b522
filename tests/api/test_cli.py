"""The commands ./scripts/run and a daily job call."""

from datetime import datetime, timedelta, timezone

from tests.api.flows import effective_self_filing, temporary_details


def test_seeding_twice_adds_nothing_the_second_time(runner):
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0
    assert "'regions': 0" in result.output and "'people': 0" in result.output


def test_expire_marks_temporary_filings_past_their_end_and_leaves_long_term_ones(app, runner, login):
    liming = login("李明")
    temporary = effective_self_filing(liming, details=temporary_details())
    long_term = effective_self_filing(liming)
    later = datetime.now(timezone.utc) + timedelta(days=400)
    app.config["CLOCK"] = lambda: later
    liming.sign_in_again()  # 400 days on, under the one clock, the old token has expired
    result = runner.invoke(args=["expire"])
    assert result.exit_code == 0, result.output
    assert liming.get(f"/api/v1/filings/{temporary['id']}").json["status"] == "expired"
    assert liming.get(f"/api/v1/filings/{long_term['id']}").json["status"] == "effective"
