"""A database that cannot be reached: one sentence with the fix for an operator, and
503 `server.database_unavailable` in the one error shape for a client."""

import os

import pytest
from sqlalchemy import make_url

from backend import create_app
from tests.conftest import TEST_CONFIG, assert_error_shape


@pytest.fixture
def app_on(tmp_path):
    made = []

    def make(url: str):
        app = create_app({**TEST_CONFIG, "DATABASE_URL": url, "DATA_DIR": str(tmp_path / "data")})
        made.append(app)
        return app

    yield make
    for app in made:
        app.extensions["db"].dispose()


def missing_directory_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'no-such-dir' / 'yibao.sqlite3'}"


def one_sentence(result) -> str:
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output, result.output
    return lines[0]


@pytest.mark.parametrize("command", ["db-upgrade", "seed", "expire"])
def test_the_commands_say_in_one_sentence_that_the_sqlite_directory_is_missing(app_on, tmp_path, command):
    url = missing_directory_url(tmp_path)
    line = one_sentence(app_on(url).test_cli_runner().invoke(args=[command]))
    assert line.startswith("Error: Cannot connect to the database sqlite:///")
    assert f"mkdir -p {tmp_path / 'no-such-dir'}" in line and line.endswith("DATABASE_URL.")


@pytest.mark.parametrize("command", ["db-upgrade", "seed"])
def test_the_commands_say_in_one_sentence_that_the_postgresql_database_is_missing(app_on, command):
    given = os.environ.get("TEST_DATABASE_URL", "")
    if not given.startswith("postgres"):
        pytest.skip("needs a PostgreSQL server (TEST_DATABASE_URL)")
    url = make_url(given.replace("postgres://", "postgresql://", 1)).set(
        drivername="postgresql+psycopg", database="nosuchdb_yibao", password="hush-hush")
    result = app_on(url.render_as_string(hide_password=False)).test_cli_runner().invoke(args=[command])
    line = one_sentence(result)
    assert 'the database "nosuchdb_yibao" does not exist' in line, line
    assert "createdb" in line and "nosuchdb_yibao" in line and "hush-hush" not in line


def test_an_unreachable_postgresql_server_is_one_sentence_too(app_on):
    line = one_sentence(app_on("postgres://someone:secret@127.0.0.1:1/yibao").test_cli_runner()
                        .invoke(args=["db-upgrade"]))
    assert "postgresql://someone:***@127.0.0.1:1/yibao" in line and "nothing answers at 127.0.0.1:1" in line
    assert "secret" not in line


@pytest.mark.parametrize("method, path, body", [
    ("get", "/api/v1/regions", None),
    ("get", "/api/v1/regions?parent=140000", None),
    ("post", "/api/v1/filing-advice", {"scheme": "employee", "insured_region": "140100",
                                       "destination_region": "460100", "situation": "other"}),
    ("post", "/api/v1/auth/wx-login", {"code": "demo-a"}),
    ("get", "/api/v1/healthz", None),
])
def test_a_request_with_the_database_gone_is_503_in_the_error_shape(app_on, tmp_path, method, path, body):
    client = app_on(missing_directory_url(tmp_path)).test_client()
    response = getattr(client, method)(path, json=body)
    error = assert_error_shape(response, 503, "server.database_unavailable")
    assert "数据库" in error["message"] and "sqlite" not in response.get_data(as_text=True)


def test_other_database_errors_stay_a_plain_500(app_on, tmp_path):
    # A database that answers but has no tables: a fault of ours, not an outage.
    client = app_on(f"sqlite:///{tmp_path / 'empty.sqlite3'}").test_client()
    error = assert_error_shape(client.get("/api/v1/regions"), 500, "server.error")
    assert "regions" not in error["message"]
