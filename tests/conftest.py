"""Fixtures in the flaskr style: `app`, `client`, `runner`, plus logins.

The database is real: an SQLite file by default, PostgreSQL when
`TEST_DATABASE_URL` names one (./scripts/test runs the suite both ways). Tables
come from the Alembic migrations, as in production; between tests every row is
deleted and the reference data seeded again.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from sqlalchemy import MetaData, create_engine, text

from backend import create_app
from backend.config import RATE_LIMITS
from backend.adapters.migrate import upgrade
from backend.adapters import storage
from backend.config import normalise_database_url
from backend.services.seed import seed_all

pytest_plugins = ["tests.error_codes_seen"]

KEEP = {"alembic_version", "regions", "documents"}
PEOPLE = {
    "王秀英": "140121195203180429",
    "李明": "140121198007120318",
    "赵大山": "140302198509210155",
    "陈小红": "430104199302050268",
    "刘小宝": "430121202309020572",
    "刘德福": "430121194806110133",
    "张隽": "650102198804230190",
    "马丽": "650102199003150267",
    "孙不在": "140121197001010113",
    "赵小军": "140302200703150213",
}


def _reset_schema(url: str) -> None:
    if url.startswith("postgresql"):
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        url = normalise_database_url(url)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    _reset_schema(url)
    upgrade(url)
    return url


TEST_CONFIG = {
    "SECRET_KEY": "test-secret-key-that-is-long-enough-for-hs256-and-hs512-0123456789",
    "PUBLIC_BASE_URL": "http://127.0.0.1:5000",
    "ENV_NAME": "test",
    "ACCESS_TOKEN_SECONDS": 900,
    "REFRESH_TOKEN_DAYS": 30,
    "TOKEN_ISSUER": "yibao",
    "TOKEN_AUDIENCE": "yibao-miniprogram",
    "MAX_CONTENT_LENGTH": 11 * 1024 * 1024,
    "WECHAT_APP_ID": "",
    "WECHAT_APP_SECRET": "",
    "TESTING": True,
    # The suite logs in and uploads far faster than a person: limits are tested on their own.
    "RATE_LIMITS": {name: "1000000000000/day" if name.startswith("upload_bytes") else "100000/minute"
                    for name in RATE_LIMITS},
}


@pytest.fixture(scope="session")
def tables_to_empty(database_url) -> list:
    """Every table but the reference ones, children before parents."""
    engine = create_engine(database_url)
    schema = MetaData()
    schema.reflect(engine)
    engine.dispose()
    return [t for t in reversed(schema.sorted_tables) if t.name not in KEEP]


@pytest.fixture(scope="session")
def shared_app(database_url, tmp_path_factory):
    # One app for the session: building the spec on every test would cost more than
    # the tests. Each test gets it with an emptied database, its own DATA_DIR and the
    # configuration restored afterwards.
    app = create_app({**TEST_CONFIG, "DATABASE_URL": database_url,
                      "DATA_DIR": str(tmp_path_factory.mktemp("data"))})
    yield app
    app.extensions["db"].dispose()


# --- where blobs go: a folder, or a bucket of S3 (moto's server, over HTTP) -------------

S3_BUCKET = "yibao-test"
S3_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": "us-east-1"}


@pytest.fixture(scope="session")
def s3_endpoint():
    """moto's S3 server on a free loopback port for the session, with one bucket;
    each test that uses it gets a prefix of its own (`s3_settings`)."""
    import boto3
    from moto.server import ThreadedMotoServer
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    boto3.client("s3", endpoint_url=endpoint, aws_access_key_id="testing", aws_secret_access_key="testing",
                 region_name="us-east-1").create_bucket(Bucket=S3_BUCKET)
    yield endpoint
    server.stop()


def s3_settings(endpoint: str, prefix: str) -> dict:
    return {"BLOB_STORE": f"s3://{S3_BUCKET}/{prefix}", "S3_ENDPOINT_URL": endpoint, **S3_CREDENTIALS}


@pytest.fixture
def blob_store_kind() -> str:
    """`local` unless TEST_BLOB_STORE=s3; a module may override this fixture with a
    parametrised one to run its tests on both (tests/api/test_blob_stores.py)."""
    return os.environ.get("TEST_BLOB_STORE", "local")


@pytest.fixture
def blob_settings(blob_store_kind, request, tmp_path) -> dict:
    if blob_store_kind == "s3":
        import uuid
        return s3_settings(request.getfixturevalue("s3_endpoint"), uuid.uuid4().hex)
    return {"BLOB_STORE": ""}


@pytest.fixture
def app(shared_app, tables_to_empty, database_url, tmp_path, blob_settings):
    saved_config, saved_blobs = dict(shared_app.config), shared_app.extensions["blobs"]
    shared_app.config["DATA_DIR"] = str(tmp_path)
    shared_app.config.update(blob_settings)
    shared_app.extensions["blobs"] = storage.from_config(shared_app.config)
    db = shared_app.extensions["db"]
    with db.engine.begin() as conn:
        if database_url.startswith("postgresql"):
            names = ", ".join(f'"{t.name}"' for t in tables_to_empty)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables_to_empty:
                conn.execute(table.delete())
    with shared_app.app_context():
        seed_all()
    yield shared_app
    db.session.remove()
    shared_app.config.clear()
    shared_app.config.update(saved_config)
    shared_app.extensions["blobs"] = saved_blobs


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class Person:
    """A logged-in test account, optionally bound to a demo person."""

    def __init__(self, client, code: str):
        self.client, self.code = client, code
        self.sign_in_again()

    def sign_in_again(self):
        """A fresh login for the same account: after the app clock moved past the
        access token's 15 minutes, the old one has expired, as it would in life."""
        response = self.client.post("/api/v1/auth/wx-login", json={"code": self.code})
        assert response.status_code == 200, response.json
        self.tokens = response.json
        self.headers = {"Authorization": f"Bearer {self.tokens['access_token']}"}
        return self

    def bind(self):
        """授权登录: the account binds to the person its real name names (the stand-in
        real-names `demo-<ID number>` accounts); nothing is typed."""
        response = self.client.put("/api/v1/me/identity", headers=self.headers, json={"consent": True})
        assert response.status_code == 200, response.json
        return self

    def get(self, path, **kw):
        return self.client.get(path, headers={**self.headers, **kw.pop("headers", {})}, **kw)

    def post(self, path, **kw):
        return self.client.post(path, headers={**self.headers, **kw.pop("headers", {})}, **kw)

    def put(self, path, **kw):
        return self.client.put(path, headers={**self.headers, **kw.pop("headers", {})}, **kw)

    def delete(self, path, **kw):
        return self.client.delete(path, headers={**self.headers, **kw.pop("headers", {})}, **kw)


def code_of(name: str, phone: str | None = None) -> str:
    """The stand-in's login code of an account real-named to `name`: `demo-<ID number>`,
    `demo-<ID number>-<phone>` for another phone of the same person."""
    return f"demo-{PEOPLE[name]}" + (f"-{phone}" if phone else "")


@pytest.fixture
def login(client):
    """`login("李明")`: an account real-named to 李明, bound by 授权登录. `login(code=...)`:
    an account of that code, not bound (`demo-<anything>` but an ID number: no real name)."""
    def make(name: str | None = None, code: str | None = None) -> Person:
        person = Person(client, code or (code_of(name) if name else "demo-anonymous"))
        return person.bind() if name else person
    return make


def signature_png(width=600, height=200) -> bytes:
    """A hand-drawn-looking signature: a few strokes across the box."""
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.line([(40, 150), (120, 40), (160, 160), (220, 60), (300, 150), (380, 50), (520, 140)],
              fill=(0, 0, 0, 255), width=6)
    draw.line([(60, 100), (500, 95)], fill=(0, 0, 0, 255), width=5)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def upload(data: bytes, name: str = "signature.png", content_type: str = "image/png"):
    return {"file": (io.BytesIO(data), name, content_type)}


def assert_error_shape(response, status: int, code: str | None = None):
    body = response.get_json()
    assert response.status_code == status, body
    assert set(body) == {"code", "status", "message", "errors"}, body
    assert body["status"] == status
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["message"]), body["message"]
    if code:
        assert body["code"] == code, body
    return body


def stored_keys(app) -> list[str]:
    """The keys of every stored blob, wherever the app keeps them."""
    return sorted(key for key, _ in app.extensions["blobs"].stored())


ROOT = Path(__file__).resolve().parents[1]
