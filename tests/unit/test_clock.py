"""The one clock (backend/adapters/clock.py), the Beijing-time field and the tokens
that read the clock."""

from datetime import date, datetime, timedelta, timezone

import marshmallow as ma
import pytest
from flask import Flask

from backend.adapters import clock, tokens
from backend.adapters.models.base import utcnow
from backend.api.fields import BeijingDateTime
from backend.services import runtime

UTC = timezone.utc
# 00:30 on 2 December in Beijing, still 1 December in UTC.
HALF_PAST_MIDNIGHT_IN_BEIJING = datetime(2026, 12, 1, 16, 30, tzinfo=UTC)


def app_with_clock(moment, env="test") -> Flask:
    app = Flask(__name__)
    app.config.update(ENV_NAME=env, CLOCK=lambda: moment)
    return app


def test_the_clock_setting_moves_now_and_today_for_services_and_the_clock_alike():
    with app_with_clock(HALF_PAST_MIDNIGHT_IN_BEIJING).app_context():
        assert clock.now() == runtime.now() == HALF_PAST_MIDNIGHT_IN_BEIJING
        assert clock.today() == runtime.today() == date(2026, 12, 2)


def test_now_is_always_aware_utc_whatever_zone_the_clock_speaks():
    with app_with_clock(datetime(2026, 12, 2, 0, 30, tzinfo=clock.CHINA)).app_context():
        moment = clock.now()
    assert moment == HALF_PAST_MIDNIGHT_IN_BEIJING and moment.tzinfo is UTC


def test_a_clock_that_gives_a_naive_time_is_refused():
    with app_with_clock(datetime(2026, 12, 2, 0, 30)).app_context(), pytest.raises(ValueError):
        clock.now()


def test_production_ignores_a_clock_setting():
    with app_with_clock(datetime(2000, 1, 1, tzinfo=UTC), env="production").app_context():
        assert clock.now() > datetime(2026, 1, 1, tzinfo=UTC)


def test_without_an_app_the_clock_is_the_real_time():
    before = datetime.now(UTC)
    assert before <= clock.now() <= datetime.now(UTC)


def test_column_defaults_read_the_same_clock():
    with app_with_clock(HALF_PAST_MIDNIGHT_IN_BEIJING).app_context():
        assert utcnow() == HALF_PAST_MIDNIGHT_IN_BEIJING


def test_a_beijing_date_is_the_date_on_the_wall_in_beijing():
    assert clock.beijing_date(datetime(2026, 12, 2, 7, 30, tzinfo=clock.CHINA)) == date(2026, 12, 2)
    assert clock.beijing_date(datetime(2026, 12, 1, 23, 30, tzinfo=UTC)) == date(2026, 12, 2)
    assert clock.beijing_date(datetime(2026, 12, 1, 15, 59, tzinfo=UTC)) == date(2026, 12, 1)
    assert runtime.beijing_date is clock.beijing_date and runtime.CHINA is clock.CHINA


def test_china_has_no_daylight_saving():
    summer, winter = datetime(2026, 7, 1, tzinfo=clock.CHINA), datetime(2026, 1, 1, tzinfo=clock.CHINA)
    assert summer.utcoffset() == winter.utcoffset() == timedelta(hours=8)


class Moment(ma.Schema):
    at = BeijingDateTime(allow_none=True)


def test_the_field_answers_any_moment_in_beijing_time_with_its_offset_to_the_second():
    assert Moment().dump({"at": datetime(2026, 12, 1, 23, 30, 15, 123456, tzinfo=UTC)}) == {
        "at": "2026-12-02T07:30:15+08:00"}
    assert Moment().dump({"at": datetime(2026, 12, 1, 23, 30)}) == {"at": "2026-12-02T07:30:00+08:00"}
    assert Moment().dump({"at": None}) == {"at": None}


@pytest.mark.parametrize("given", ["2026-12-02T07:30+08:00", "2026-12-02T07:30:00", "2026-12-02T07:30",
                                   "2026-12-01T23:30:00Z", "2026-12-01T23:30:00+00:00"])
def test_the_field_reads_a_time_without_an_offset_as_beijing_time_and_one_with_as_given(given):
    loaded = Moment().load({"at": given})["at"]
    assert loaded.tzinfo is not None
    assert loaded == datetime(2026, 12, 2, 7, 30, tzinfo=clock.CHINA)


def test_a_token_is_read_under_the_clock_it_was_issued_by():
    a_year_on = datetime.now(UTC) + timedelta(days=365)
    kw = {"key": "k" * 64, "issuer": "yibao", "audience": "yibao-miniprogram"}
    token = tokens.issue_access_token(7, seconds=900, now=a_year_on, **kw)
    assert tokens.read_access_token(token, now=a_year_on + timedelta(minutes=14), **kw) == 7
    with pytest.raises(tokens.TokenInvalid):
        tokens.read_access_token(token, now=a_year_on + timedelta(minutes=15), **kw)
    with pytest.raises(tokens.TokenInvalid):
        tokens.read_access_token(token, now=a_year_on - timedelta(minutes=1), **kw)


def test_qa_moves_the_clock_with_yibao_clock_and_it_runs_on_from_there(tmp_path):
    from backend.config import from_environment

    settings = from_environment({"DATA_DIR": str(tmp_path), "YIBAO_CLOCK": "2027-01-01T09:00"})
    start = datetime(2027, 1, 1, 1, 0, tzinfo=UTC)  # 09:00 in Beijing
    with app_with_clock(None).app_context() as context:
        context.app.config["CLOCK"] = settings["CLOCK"]
        first = clock.now()
        assert start <= first < start + timedelta(seconds=5)
        assert clock.now() >= first
        assert clock.today() == date(2027, 1, 1)


def test_production_refuses_to_start_with_a_moved_clock_and_a_bad_one_is_refused(tmp_path):
    from backend.config import ConfigError, from_environment

    production = {"DATA_DIR": str(tmp_path), "YIBAO_ENV": "production", "SECRET_KEY": "s" * 48,
                  "WECHAT_APP_ID": "wx0123456789abcdef", "WECHAT_APP_SECRET": "s" * 32,
                  "YIBAO_CLOCK": "2027-01-01T09:00+08:00"}
    with pytest.raises(ConfigError, match="YIBAO_CLOCK"):
        from_environment(production)
    with pytest.raises(ConfigError, match="YIBAO_CLOCK"):
        from_environment({"DATA_DIR": str(tmp_path), "YIBAO_CLOCK": "next tuesday"})
    assert "CLOCK" not in from_environment({"DATA_DIR": str(tmp_path)})
