"""Two app servers on one PostgreSQL database and one S3 bucket, behind nginx
(issue 15: scale-out).

Server A is the production recipe (`scripts/serve`: nginx and its gunicorn), with
server B, a second gunicorn of `backend:create_app()` (another machine, in life), in
nginx's upstream (`UPSTREAMS`): nginx sends the requests to each in turn. Both start
at the same moment on a fresh database and one DATA_DIR without SECRET_KEY or
DATA_KEY, so they race to migrate, to seed and to make the development keys. Then
every walk of scripts/walks.py runs through nginx, and a photo and a signature
uploaded through A are fetched from B.

PostgreSQL is the server's of TEST_DATABASE_URL (default 127.0.0.1:5432, as
./scripts/test uses), with a database of this test's own, made fresh. An unreachable
PostgreSQL skips these tests outside CI only; the S3 bucket is moto's server."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from backend.config import RATE_LIMITS
from tests.conftest import ROOT, S3_BUCKET, S3_CREDENTIALS
from tests.live import free_port, healthz

sys.path.insert(0, str(ROOT / "scripts"))
import walks  # noqa: E402

NGINX = Path(os.environ.get("NGINX", "/usr/sbin/nginx"))
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"
BIN = Path(sys.prefix) / "bin"


def _fresh_postgres_database(suffix: str) -> str:
    """A new, empty database beside TEST_DATABASE_URL's (or the default's): its URL.
    Unreachable: a skip outside CI, a failure in CI."""
    import psycopg
    base = make_url(os.environ.get("TEST_DATABASE_URL") or DEFAULT_PG).set(drivername="postgresql")
    name = f"{base.database}_{suffix}"
    admin = base.set(database="postgres").render_as_string(hide_password=False)
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip(f"PostgreSQL at {base.host}:{base.port} is unreachable ({type(exc).__name__}); "
                    "./scripts/test runs it")
    return base.set(database=name).render_as_string(hide_password=False)


def _drop_postgres_database(url: str) -> None:
    import psycopg
    parsed = make_url(url)
    admin = parsed.set(database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True, connect_timeout=3) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')


def _redis_url() -> str:
    try:
        import redis
        redis.Redis(socket_connect_timeout=1).ping()
    except Exception:  # noqa: BLE001 - no Redis: each server counts on its own
        return ""
    return "redis://127.0.0.1:6379/7"


def _server_env(data_dir: Path, database_url: str, s3_endpoint: str, public: str) -> dict:
    """What both servers share: the database, the bucket, Redis, DATA_DIR; no
    SECRET_KEY or DATA_KEY (development: both use the ones generated into DATA_DIR)."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "TEST_DATABASE_URL", "SECRET_KEY", "DATA_KEY", "YIBAO_CLOCK", "BLOB_STORE")}
    env.update(DATA_DIR=str(data_dir), DATABASE_URL=database_url, PYTHONPATH=str(ROOT), YIBAO_VENV=sys.prefix,
               BLOB_STORE=f"s3://{S3_BUCKET}/two-servers", S3_ENDPOINT_URL=s3_endpoint, **S3_CREDENTIALS,
               REDIS_URL=_redis_url(), PUBLIC_BASE_URL=public, WEB_CONCURRENCY="2", GUNICORN_THREADS="4")
    # The walks log in and upload far faster than people: the limits are tested elsewhere.
    for name in RATE_LIMITS:
        env["RATE_LIMIT_" + name.replace(".", "_").upper()] = ("1000000000000/day" if name.startswith("upload_bytes")
                                                               else "100000/minute")
    return env


class Process:
    """A command in its own process group, its output in a file; `stop()` ends the group."""

    def __init__(self, argv: list[str], env: dict, log: Path):
        self.log_path = log
        self.log = log.open("wb")
        self.process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                        start_new_session=True)

    def output(self) -> str:
        self.log.flush()
        return self.log_path.read_text(errors="replace")

    def wait_answers(self, base: str, seconds: float = 90) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"{self.log_path.name} stopped:\n{self.output()[-4000:]}")
            try:
                if healthz(base, timeout=2) == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"{base} did not answer in {seconds} s:\n{self.output()[-4000:]}")

    def stop(self) -> None:
        for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.process.wait(wait)
                break
            except subprocess.TimeoutExpired:
                continue
        self.log.close()


def _plain_server(port: int) -> list[str]:
    """Server B as scripts/run starts one: migrate, seed, then gunicorn."""
    flask = f"{BIN}/flask --app backend"
    return ["bash", "-c", f"{flask} db-upgrade --seed && exec {BIN}/gunicorn --bind 127.0.0.1:{port} "
                          f"--workers 2 --threads 4 --access-logfile - 'backend:create_app()'"]


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory, s3_endpoint):
    if not NGINX.exists():
        pytest.fail("nginx is not installed (./scripts/test installs it: lib.sh ensure_nginx)")
    database_url = _fresh_postgres_database("two_servers")
    root = tmp_path_factory.mktemp("two-servers")
    nginx_port, port_a, port_b = free_port(), free_port(), free_port()
    public = f"http://127.0.0.1:{nginx_port}"
    env = _server_env(root / "data", database_url, s3_endpoint, public)
    # At the same moment, on the fresh database: both migrate and seed, and make the keys.
    a = Process([str(ROOT / "scripts" / "serve")],
                {**env, "PORT": str(nginx_port), "GUNICORN_BIND": f"127.0.0.1:{port_a}",
                 "UPSTREAMS": f"127.0.0.1:{port_b}"}, root / "server-a.log")
    b = Process(_plain_server(port_b), {**env, "PORT": str(port_b)}, root / "server-b.log")
    try:
        a.wait_answers(public)
        b.wait_answers(f"http://127.0.0.1:{port_b}")
        yield {"nginx": public, "a": f"http://127.0.0.1:{port_a}", "b": f"http://127.0.0.1:{port_b}",
               "processes": (a, b), "data_dir": root / "data", "s3": s3_endpoint, "root": root,
               "database_url": database_url}
    finally:
        a.stop()
        b.stop()
        _drop_postgres_database(database_url)


def test_two_servers_started_together_on_a_fresh_database_both_migrate_seed_and_serve(two_servers):
    a, b = two_servers["processes"]
    for server in (a, b):
        log = server.output()
        assert "database migrated" in log and "seeded:" in log, log[-3000:]
        assert "Traceback" not in log and "duplicate key" not in log, log[-3000:]
    # One development key each, made once, read by both servers.
    data_dir = two_servers["data_dir"]
    assert sorted(p.name for p in data_dir.iterdir() if "key" in p.name) == ["data_key", "secret_key"]
    # nginx shares out to both.
    conf = (data_dir / "run" / "nginx.conf").read_text()
    assert f"server {two_servers['a'].removeprefix('http://')} fail_timeout=0;" in conf
    assert f"server {two_servers['b'].removeprefix('http://')} fail_timeout=0;" in conf


def _walker(base: str) -> walks.Walker:
    return walks.Walker(base + "/api/v1", out=lambda _line: None)


def test_a_photo_and_a_signature_uploaded_through_one_server_come_back_from_the_other(two_servers):
    via_a, via_b = _walker(two_servers["a"]), _walker(two_servers["b"])
    agent = via_a.person("employee", "140100", 46, [{"relation": "parent", "age": 74}])
    mother = agent["relations"][0]
    auth = via_a.login(agent)  # a token server A signed ...
    assert via_b.call("GET", "/me", headers=auth)["identity"]  # ... is good on server B
    fid = via_a.call("POST", "/filings", {"for": "other"}, headers=auth)["id"]
    via_b.call("PUT", f"/filings/{fid}/insured", {"name": mother["name"], "id_number": mother["id_number"],
                                                  "relation": "parent", "scheme": "employee",
                                                  "insured_region": "140100"}, headers=auth)
    via_a.call("PUT", f"/filings/{fid}/notice", walks._accept(via_a, "filing-notice"), headers=auth)
    via_b.call("PUT", f"/filings/{fid}/agent-declaration", walks._accept(via_b, "agent-declaration"), headers=auth)
    via_a.call("POST", f"/filings/{fid}/agent-declaration/signature", file=walks.SIGNATURE, headers=auth)
    photo = via_a.call("POST", f"/filings/{fid}/attachments/agent_id_card", file=walks.AGENT_ID_CARD,
                       headers=auth)["attachments"][0]

    from_a = via_a.call("GET", f"/filings/{fid}/attachments/{photo['id']}", headers=auth)
    from_b = via_b.call("GET", f"/filings/{fid}/attachments/{photo['id']}", headers=auth)
    assert from_b == from_a and from_b.startswith(b"\xff\xd8\xff")
    thumbnail = via_b.call("GET", f"/filings/{fid}/attachments/{photo['id']}/thumbnail", headers=auth)
    assert thumbnail.startswith(b"\xff\xd8\xff")
    signature = via_b.call("GET", f"/filings/{fid}/agent-declaration/signature", headers=auth)
    assert signature.startswith(b"\x89PNG")
    # In the bucket, encrypted; not on a disk of either server.
    import boto3
    bucket = boto3.client("s3", endpoint_url=two_servers["s3"], aws_access_key_id="testing",
                          aws_secret_access_key="testing", region_name="us-east-1")
    listed = bucket.list_objects_v2(Bucket=S3_BUCKET, Prefix="two-servers/")["Contents"]
    assert len(listed) >= 3  # the photo, its thumbnail, the signature
    stored = bucket.get_object(Bucket=S3_BUCKET, Key=listed[0]["Key"])["Body"].read()
    assert not stored.startswith((b"\xff\xd8\xff", b"\x89PNG"))
    assert not (two_servers["data_dir"] / "blobs").exists()


def _as_fresh(database_url: str, data_dir: Path) -> None:
    """The database as a fresh server's: every row but the reference data gone, the
    demo data seeded again (the README's walks use the fixed demo people)."""
    from sqlalchemy import MetaData, create_engine, text

    from backend import create_app
    from backend.config import normalise_database_url
    from backend.services.seed import seed_all
    from tests.conftest import KEEP, TEST_CONFIG
    url = normalise_database_url(database_url)
    engine = create_engine(url)
    schema = MetaData()
    schema.reflect(engine)
    names = ", ".join(f'"{t.name}"' for t in schema.sorted_tables if t.name not in KEEP)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()
    app = create_app({**TEST_CONFIG, "ENV_NAME": "development", "DATABASE_URL": url, "DATA_DIR": str(data_dir),
                      "DATA_KEY": (data_dir / "data_key").read_text().strip()})
    try:
        with app.app_context():
            seed_all()
    finally:
        app.extensions["db"].dispose()


def test_every_walk_passes_through_nginx_with_requests_shared_between_the_two(two_servers, capsys):
    code = walks.main(["--base", two_servers["nginx"], "--junit", str(two_servers["root"] / "walks.xml")])
    output = capsys.readouterr().out
    assert code == 0, output[-8000:]
    assert f"{len(walks.WALKS)} passed, 0 failed" in output  # the api and clock groups
    # The README's walks use the fixed demo people: each on a database as fresh as a new server's.
    readme = [w for w in walks.all_walks() if w.group == "readme"]
    assert readme
    for walk in readme:
        _as_fresh(two_servers["database_url"], two_servers["data_dir"])
        result = walks.run_walk(walk, two_servers["nginx"], out=lambda _line: None)
        assert result.ok, (walk.name, result.error, result.output[-4000:])
    # nginx's access lines name the gunicorn that answered: both did, about as often.
    a, _ = two_servers["processes"]
    answered = re.findall(r" upstream \S+s (127\.0\.0\.1:\d+)$", a.output(), flags=re.M)
    by_server = {address: answered.count(address) for address in set(answered)}
    assert set(by_server) == {two_servers["a"].removeprefix("http://"), two_servers["b"].removeprefix("http://")}
    assert min(by_server.values()) > 0.3 * len(answered), by_server


# --- the race alone ------------------------------------------------------------------------

def _together(commands: list[list[str]], env: dict) -> list[subprocess.CompletedProcess]:
    started = [subprocess.Popen(c, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
               for c in commands]
    return [subprocess.CompletedProcess(p.args, p.wait(120), p.communicate()[0]) for p in started]


@pytest.mark.parametrize("database", ["postgresql", "sqlite"])
def test_two_migrations_and_seeds_at_once_on_a_fresh_database_both_succeed(database, tmp_path):
    url = _fresh_postgres_database("migration_race") if database == "postgresql" else \
        f"sqlite:///{tmp_path / 'race.sqlite3'}"
    env = {k: v for k, v in os.environ.items() if k not in ("TEST_DATABASE_URL", "SECRET_KEY", "DATA_KEY")}
    env.update(DATABASE_URL=url, DATA_DIR=str(tmp_path / "data"), PYTHONPATH=str(ROOT))
    flask = f"{BIN}/flask --app backend"
    try:
        # Two starters, as two servers' scripts/run: migrate, then seed.
        for result in _together([["bash", "-c", f"{flask} db-upgrade && {flask} seed"]] * 2, env):
            assert result.returncode == 0, result.stdout[-3000:]
        from sqlalchemy import create_engine, text

        from backend.config import normalise_database_url
        engine = create_engine(normalise_database_url(url))
        with engine.connect() as conn:
            regions = conn.execute(text("SELECT count(*) FROM regions")).scalar()
            documents = conn.execute(text("SELECT count(*), count(DISTINCT name || version) FROM documents")).one()
            people = conn.execute(text("SELECT count(*), count(DISTINCT id_number_index) FROM insured_persons")).one()
        engine.dispose()
        # Seeded once: nothing twice.
        assert regions > 100 and documents[0] == documents[1] and people[0] == people[1] > 5
        assert len({p.read_text() for p in (tmp_path / "data").glob("*_key")}) == 2  # one of each key
    finally:
        if database == "postgresql":
            _drop_postgres_database(url)
