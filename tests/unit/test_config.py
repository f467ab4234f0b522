"""Settings come from the environment, and production refuses weak ones."""

import pytest

from backend.adapters import wechat
from backend.config import ConfigError, from_environment, normalise_database_url


def test_a_development_key_is_generated_once_and_kept(tmp_path):
    first = from_environment({"DATA_DIR": str(tmp_path)})
    again = from_environment({"DATA_DIR": str(tmp_path)})
    assert first["SECRET_KEY"] == again["SECRET_KEY"] and len(first["SECRET_KEY"]) >= 32
    assert first["DATABASE_URL"] == f"sqlite:///{tmp_path / 'yibao.sqlite3'}"


def test_a_short_secret_key_is_refused(tmp_path):
    with pytest.raises(ConfigError):
        from_environment({"DATA_DIR": str(tmp_path), "SECRET_KEY": "short"})


PRODUCTION = {"YIBAO_ENV": "production", "WECHAT_APP_ID": "wx0123456789abcdef", "WECHAT_APP_SECRET": "s" * 32}


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        from_environment({"DATA_DIR": str(tmp_path), **PRODUCTION})


def test_production_refuses_to_start_with_the_login_stand_in(tmp_path):
    with pytest.raises(ConfigError, match="WECHAT_APP_ID"):
        from_environment({"DATA_DIR": str(tmp_path), "YIBAO_ENV": "production", "SECRET_KEY": "k" * 40})


def test_the_data_directory_is_created_private(tmp_path):
    target = tmp_path / "fresh" / "data"
    from_environment({"DATA_DIR": str(target)})
    assert target.is_dir() and target.stat().st_mode & 0o777 == 0o700


def test_postgresql_urls_use_the_psycopg_driver(tmp_path):
    config = from_environment({"DATA_DIR": str(tmp_path), "DATABASE_URL": "postgresql://u@h:5432/d"})
    assert config["DATABASE_URL"] == "postgresql+psycopg://u@h:5432/d"


@pytest.mark.parametrize("url", ["postgres://u:pw@h:5432/d", "postgresql://u:pw@h:5432/d",
                                 "postgresql+psycopg://u:pw@h:5432/d"])
def test_postgres_and_postgresql_urls_are_both_accepted(tmp_path, url):
    config = from_environment({"DATA_DIR": str(tmp_path), "DATABASE_URL": url})
    assert config["DATABASE_URL"] == "postgresql+psycopg://u:pw@h:5432/d"


def test_other_database_urls_are_left_as_they_are():
    assert normalise_database_url("sqlite:////tmp/x.sqlite3") == "sqlite:////tmp/x.sqlite3"


def test_the_wechat_stand_in_is_used_unless_an_app_id_and_secret_are_configured():
    assert isinstance(wechat.from_config({}), wechat.StandInCode2Session)
    real = wechat.from_config({"WECHAT_APP_ID": "wx123", "WECHAT_APP_SECRET": "s"})
    assert isinstance(real, wechat.WeChatCode2Session) and real.app_id == "wx123"


def test_the_stand_in_gives_the_same_openid_for_the_same_code():
    stand_in = wechat.StandInCode2Session()
    assert stand_in.openid_for("demo-a") == stand_in.openid_for("demo-a") != stand_in.openid_for("demo-b")
