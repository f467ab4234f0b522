"""Settings come from the environment, and production refuses weak ones."""

import base64

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


PRODUCTION = {"YIBAO_ENV": "production", "WECHAT_APP_ID": "wx0123456789abcdef", "WECHAT_APP_SECRET": "s" * 32,
              "REALNAME_URL": "https://mip.example", "REALNAME_PARTNER_ID": "P", "REALNAME_SECRET": "s"}


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


def test_production_refuses_to_start_without_a_data_key(tmp_path):
    production = {"DATA_DIR": str(tmp_path), **PRODUCTION, "SECRET_KEY": "k" * 40}
    with pytest.raises(ConfigError, match="DATA_KEY is required in production"):
        from_environment(production)
    assert not (tmp_path / "data_key").exists()  # never generated in production
    key = base64.b64encode(bytes(range(32))).decode()
    assert from_environment({**production, "DATA_KEY": key})["DATA_KEY"] == key


def test_an_app_configured_for_production_without_a_data_key_does_not_start(tmp_path):
    from backend import create_app
    with pytest.raises(ConfigError, match="DATA_KEY"):
        create_app({"SECRET_KEY": "k" * 40, "ENV_NAME": "production", "DATA_DIR": str(tmp_path),
                    "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}", "PARTNER_KEYS": ["p"]})


@pytest.mark.parametrize("bad", ["short", base64.b64encode(b"k" * 16).decode(), bytes(range(32)).hex(), "***"])
def test_a_data_key_that_is_not_base64_of_32_bytes_is_refused(tmp_path, bad):
    with pytest.raises(ConfigError, match="DATA_KEY must be base64 of 32"):
        from_environment({"DATA_DIR": str(tmp_path), "DATA_KEY": bad})


def test_a_development_data_key_is_generated_once_kept_0600_and_read_in_either_base64_alphabet(tmp_path):
    first = from_environment({"DATA_DIR": str(tmp_path)})["DATA_KEY"]
    assert from_environment({"DATA_DIR": str(tmp_path)})["DATA_KEY"] == first
    assert (tmp_path / "data_key").stat().st_mode & 0o777 == 0o600
    raw = bytes([0xfb, 0xff] * 16)  # "+" and "/" in one alphabet, "-" and "_" in the other
    for text in (base64.b64encode(raw).decode(), base64.urlsafe_b64encode(raw).decode().rstrip("=")):
        assert from_environment({"DATA_DIR": str(tmp_path), "DATA_KEY": text})["DATA_KEY"] == text
