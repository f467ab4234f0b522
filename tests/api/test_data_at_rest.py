"""Personal data at rest: what a copy of the database or of the data folder shows
without `DATA_KEY` (backend/adapters/crypto.py, migration 0004)."""

from __future__ import annotations

import io
import shutil
import stat
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag
from PIL import Image, UnidentifiedImageError
from sqlalchemy import create_engine, inspect, make_url, select, text

from backend import create_app
from backend.adapters.crypto import Keyring, new_key_text
from backend.adapters.migrate import downgrade, upgrade
from backend.adapters.models import Filing, IdempotencyRecord, InsuredPerson, Signup
from backend.services.runtime import now, session
from tests.api.flows import FILINGS, effective_proxy_filing, put_photo, proxy_filing_through
from tests.api.test_family_doctor import ZHOUMIN, draft, team_named
from tests.conftest import PEOPLE, TEST_CONFIG, stored_keys

# What must never be readable without the key: every demo ID number, the phones and
# addresses of the registry and of the filing below, and the health declared.
SECRETS = [
    *PEOPLE.values(),
    "13934560429", "13834560318", "13734560268",
    "山西省太原市小店区平阳路12号", "山西省太原市杏花岭区府东街8号", "湖南省长沙市岳麓区麓山南路5号",
    "海南省海口市美兰区海甸岛人民大道58号",
    "pregnant", "hypertension",
]
JPEG, PNG = b"\xff\xd8\xff", b"\x89PNG"


def _is_sqlite(app) -> bool:
    return app.config["DATABASE_URL"].startswith("sqlite")


def a_proxy_filing_and_a_sign_up_with_health(login, client) -> dict:
    """李明 files for his mother 王秀英 (photos, two signatures, her address in Haikou);
    陈小红 signs up with a family doctor declaring a pregnancy and hypertension."""
    liming = login("李明")
    filing = effective_proxy_filing(liming)
    chen = login("陈小红")
    signup = draft(chen, team_named(client, ZHOUMIN), kinds=("value_added", "personalized"),
                   health_tags=["pregnant", "hypertension"], health_consent=True)
    return {"liming": liming, "filing": filing, "chen": chen, "signup": signup}


def _found(haystack: bytes) -> list[str]:
    return [s for s in SECRETS if s.encode() in haystack]


# --- the database ---------------------------------------------------------------------

def test_a_copy_of_the_sqlite_file_shows_no_id_number_phone_address_or_health_in_clear(app, client, login):
    if not _is_sqlite(app):
        pytest.skip("the SQLite file (TEST_DATABASE_URL names PostgreSQL)")
    walk = a_proxy_filing_and_a_sign_up_with_health(login, client)
    assert walk["liming"].get(f"{FILINGS}/{walk['filing']['id']}").json["address"] == "海南省海口市美兰区海甸岛人民大道58号"
    path = Path(make_url(app.config["DATABASE_URL"]).database)
    raw = b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())
    assert "王秀英".encode() in raw  # the rows are there (names are not encrypted) …
    assert _found(raw) == []          # … their personal data is not readable


def _postgres_text(url: str) -> str:
    """Every row of every table, as PostgreSQL prints it."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            tables = inspect(conn).get_table_names()
            return "\n".join(str(row[0]) for table in tables
                             for row in conn.execute(text(f'SELECT t::text FROM "{table}" t')))
    finally:
        engine.dispose()


def test_a_dump_of_postgresql_shows_no_id_number_phone_address_or_health_in_clear(app, client, login):
    if _is_sqlite(app):
        pytest.skip("needs PostgreSQL (TEST_DATABASE_URL)")
    a_proxy_filing_and_a_sign_up_with_health(login, client)
    url = app.config["DATABASE_URL"]
    rows = _postgres_text(url)
    assert "王秀英" in rows and _found(rows.encode()) == []
    if shutil.which("pg_dump"):
        plain_url = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        dump = subprocess.run(["pg_dump", "--data-only", plain_url], capture_output=True, check=True).stdout
        assert "王秀英".encode() in dump and _found(dump) == []


# --- files ----------------------------------------------------------------------------

def _stored_files(app) -> list[Path]:
    return [p for p in Path(app.config["DATA_DIR"], "blobs").rglob("*") if p.is_file()]


def test_no_stored_file_opens_as_an_image_yet_the_photos_and_signatures_come_back(app, client, login):
    walk = a_proxy_filing_and_a_sign_up_with_health(login, client)
    liming, fid = walk["liming"], walk["filing"]["id"]
    store = app.extensions["blobs"]
    keys = stored_keys(app)  # in the folder or the bucket, as BLOB_STORE says
    assert len(keys) == 6  # two photos, their thumbnails, the declaration and the pledge signatures
    for key in keys:
        content = store.raw(key)
        assert not content.startswith((JPEG, PNG)), key
        with pytest.raises(UnidentifiedImageError):
            Image.open(io.BytesIO(content))

    for attachment in walk["filing"]["attachments"]:
        photo = liming.get(f"{FILINGS}/{fid}/attachments/{attachment['id']}")
        assert photo.status_code == 200 and photo.data.startswith(JPEG)
        assert Image.open(io.BytesIO(photo.data)).format == "JPEG"
    for path in (f"{FILINGS}/{fid}/signature", f"{FILINGS}/{fid}/agent-declaration/signature"):
        signature = liming.get(path)
        assert signature.status_code == 200 and signature.data.startswith(PNG)


def test_a_stored_file_does_not_open_under_another_name_or_with_another_key(app, login):
    liming = login("李明")
    fid = proxy_filing_through(liming, "agent_declaration")
    assert put_photo(liming, fid, "agent_id_card").status_code == 201
    first, second = [key for key in stored_keys(app) if key.endswith(".jpg")]
    ring, sealed = app.extensions["crypto"], app.extensions["blobs"].raw(first)
    assert ring.open(sealed, first).startswith(JPEG)
    with pytest.raises(InvalidTag):
        ring.open(sealed, second)
    with pytest.raises(InvalidTag):
        Keyring(new_key_text()).open(sealed, first)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("blob_store_kind", ["local"])  # file modes: the folder's
def test_stored_files_the_keys_and_the_sqlite_file_are_readable_by_their_owner_only(app, client, login, tmp_path):
    a_proxy_filing_and_a_sign_up_with_health(login, client)
    blobs = Path(app.config["DATA_DIR"], "blobs")
    assert {_mode(p) for p in _stored_files(app)} == {0o600}
    assert {_mode(p) for p in [blobs, *blobs.iterdir()]} == {0o700}

    data_dir = tmp_path / "fresh"
    created = create_app({**TEST_CONFIG, "DATABASE_URL": f"sqlite:///{data_dir / 'yibao.sqlite3'}", "DATA_DIR": str(data_dir)})
    try:
        upgrade(created.config["DATABASE_URL"], data_key=created.config["DATA_KEY"])
        assert _mode(data_dir / "data_key") == 0o600
        assert (data_dir / "data_key").read_text() == created.config["DATA_KEY"]
        database = data_dir / "yibao.sqlite3"
        assert _mode(database) == 0o600
        with created.app_context():
            from backend.services.seed import seed_reference
            seed_reference()
        for path in (database, Path(f"{database}-wal")):
            assert not path.exists() or _mode(path) == 0o600
    finally:
        created.extensions["db"].dispose()


def test_a_development_secret_key_is_created_0600_too(tmp_path):
    from backend.config import from_environment
    from_environment({"DATA_DIR": str(tmp_path / "d")})
    assert _mode(tmp_path / "d" / "secret_key") == _mode(tmp_path / "d" / "data_key") == 0o600


def test_plain_files_left_from_before_are_encrypted_by_db_upgrade(app, runner):
    blobs = app.extensions["blobs"]
    old = "ab" + "0" * 30 + ".png"
    blobs._write(old, PNG + b"an old signature")  # as written before blobs were encrypted
    result = runner.invoke(args=["db-upgrade"])
    assert result.exit_code == 0, result.output
    assert "1 stored files encrypted" in result.output
    assert not blobs.raw(old).startswith(PNG)
    with app.app_context():
        assert blobs.get(old) == PNG + b"an old signature"
        assert blobs.seal_plain_files() == 0  # already done: nothing twice


# --- values and the blind index ---------------------------------------------------------

def test_the_same_value_encrypts_differently_twice_but_the_blind_index_finds_it(app):
    number = PEOPLE["王秀英"]
    with app.app_context():
        ring = app.extensions["crypto"]
        once, twice = ring.encrypt(number), ring.encrypt(number)
        assert once != twice and once.startswith("v1:") and number not in once
        assert ring.decrypt(once) == ring.decrypt(twice) == number
        assert ring.blind_index(number) == ring.blind_index(number) != ring.blind_index(PEOPLE["李明"])

        stored = session().execute(text("SELECT id_number, id_number_index FROM insured_persons")).all()
        assert len({row.id_number for row in stored}) == len(stored) and all(number not in row.id_number for row in stored)
        person = session().scalar(select(InsuredPerson).where(InsuredPerson.id_number_is(number)))
        assert person.name == "王秀英" and person.id_number == number
        assert person.phone == "13934560429" and person.address == "山西省太原市小店区平阳路12号"


def test_an_encrypted_column_refuses_to_be_compared_in_sql_so_no_lookup_silently_finds_nothing(app):
    with app.app_context():
        with pytest.raises(TypeError, match="blind index"):
            select(InsuredPerson).where(InsuredPerson.id_number == PEOPLE["王秀英"])
        with pytest.raises(TypeError, match="blind index"):
            select(Filing).where(Filing.address.contains("海口"))
        assert session().scalar(select(InsuredPerson).where(InsuredPerson.phone.is_(None))).name == "刘小宝"


def test_binding_an_identity_and_adding_a_family_member_find_people_by_the_blind_index(login):
    mother = login("陈小红")
    r = mother.post("/api/v1/me/family-members",
                    json={"name": "刘小宝", "id_number": PEOPLE["刘小宝"], "relation": "child"})
    assert r.status_code == 201, r.json


def test_health_tags_and_key_groups_are_encrypted_in_the_row_and_read_back_as_lists(app, client, login):
    walk = a_proxy_filing_and_a_sign_up_with_health(login, client)
    with app.app_context():
        raw = session().execute(text("SELECT health_tags, key_groups FROM fd_signups")).one()
        assert all(str(v).startswith("v1:") for v in raw)
        signup = session().get(Signup, walk["signup"]["id"])
        assert signup.health_tags == ["pregnant", "hypertension"]
        assert "pregnant" in signup.key_groups


# --- the migration ----------------------------------------------------------------------

SCHEMA = "atrest_migration"

PLAIN_ROWS = [
    "INSERT INTO insured_persons (id, id_number, name, phone, address) VALUES "
    "(1, '140121195203180429', '王秀英', '13934560429', '山西省太原市小店区平阳路12号'), "
    "(2, '140121198007120318', '李明', NULL, NULL)",
    "INSERT INTO insurance_records (person_id, scheme, insured_region, status, retired) VALUES "
    "(1, 'employee', '140100', 'active', false)",
    "INSERT INTO accounts (id, openid, person_id, phone, created_at) VALUES "
    "(1, 'o-before', 2, '13834560318', CURRENT_TIMESTAMP)",
    "INSERT INTO filings (id, for_whom, status, steps_done, created_by_account_id, agent_person_id, agent_phone,"
    " insured_person_id, address, contact_name, contact_phone, created_at, updated_at) VALUES "
    "(1, 'other', 'draft', '[]', 1, 2, '13834560318', 1, '海南省海口市美兰区海甸岛人民大道58号', '李明',"
    " '13834560318', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
    "INSERT INTO fd_institutions (id, code, name, kind, region, district, address) VALUES "
    "(1, 'i-before', '岳麓街道社区卫生服务中心', 'community', '430100', '岳麓区', '长沙市岳麓区1号')",
    "INSERT INTO fd_teams (id, code, institution_id, name, capacity, signed) VALUES (1, 't-before', 1, '团队', 10, 0)",
    "INSERT INTO fd_signups (id, for_whom, status, steps_done, created_by_account_id, resident_person_id, team_id,"
    " health_tags, key_groups, renewals, created_at, updated_at) VALUES "
    "(1, 'self', 'draft', '[]', 1, 1, 1, '[\"hypertension\"]', '[\"elderly\", \"hypertension\"]', 0,"
    " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
    "INSERT INTO idempotency_records (account_id, scope, key, status, body, created_at) VALUES "
    "(1, 'filing-submit:1', 'k', 200, '{\"contact_phone\": \"13834560318\"}', CURRENT_TIMESTAMP)",
]


@pytest.fixture
def empty_database(database_url, tmp_path):
    """A database of its own: an SQLite file, or a schema of the PostgreSQL database."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'before.sqlite3'}"
        return
    engine = create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {SCHEMA}"))
    url = make_url(database_url).update_query_dict({"options": f"-csearch_path={SCHEMA}"})
    yield url.render_as_string(hide_password=False)
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {SCHEMA} CASCADE"))
    engine.dispose()


def _raw(url: str, sql: str) -> list:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(sql))]
    finally:
        engine.dispose()


def test_the_migration_encrypts_rows_written_before_it_and_the_app_reads_them(empty_database, tmp_path):
    url, key = empty_database, new_key_text()
    upgrade(url, "0003_agent_declaration")
    engine = create_engine(url)
    with engine.begin() as conn:
        for statement in PLAIN_ROWS:
            conn.execute(text(statement))
        if url.startswith("postgresql"):
            for table in ("insured_persons", "accounts", "filings", "fd_institutions", "fd_teams", "fd_signups"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), 10)"))
    engine.dispose()

    upgrade(url, data_key=key)

    stored = _raw(url, "SELECT id_number, phone, address, id_number_index FROM insured_persons ORDER BY id")
    assert all(v.startswith("v1:") for v in stored[0][:3]) and stored[1][1:3] == (None, None)
    everything = "".join(map(str, _raw(url, "SELECT * FROM insured_persons") + _raw(url, "SELECT * FROM accounts")
                             + _raw(url, "SELECT * FROM filings") + _raw(url, "SELECT * FROM fd_signups")
                             + _raw(url, "SELECT * FROM idempotency_records")))
    assert "王秀英" in everything and _found(everything.encode()) == []
    if url.startswith("sqlite"):
        # Nor is the plain text left in the file's free space or its log.
        path = Path(make_url(url).database)
        raw = b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())
        assert "王秀英".encode() in raw and _found(raw) == []
    assert _raw(url, "SELECT count(*) FROM idempotency_records") == [(1,)]

    app = create_app({**TEST_CONFIG, "DATABASE_URL": url, "DATA_DIR": str(tmp_path / "data"), "DATA_KEY": key})
    try:
        with app.app_context():
            mother = session().scalar(select(InsuredPerson).where(InsuredPerson.id_number_is(PEOPLE["王秀英"])))
            assert (mother.id, mother.phone, mother.address) == (1, "13934560429", "山西省太原市小店区平阳路12号")
            filing = session().get(Filing, 1)
            assert (filing.address, filing.contact_name, filing.contact_phone, filing.agent_phone) == \
                ("海南省海口市美兰区海甸岛人民大道58号", "李明", "13834560318", "13834560318")
            signup = session().get(Signup, 1)
            assert (signup.health_tags, signup.key_groups) == (["hypertension"], ["elderly", "hypertension"])
            assert not hasattr(IdempotencyRecord, "body")
            # A person added after the migration is found the same way.
            session().add(InsuredPerson(id_number=PEOPLE["赵大山"], name="赵大山", phone="13534560155"))
            session().commit()
            assert session().scalar(select(InsuredPerson.name).where(InsuredPerson.id_number_is(PEOPLE["赵大山"]))) \
                == "赵大山"
    finally:
        app.extensions["db"].dispose()

    downgrade(url, "0003_agent_declaration", data_key=key)
    assert _raw(url, "SELECT id_number, phone, address FROM insured_persons WHERE id = 1") == \
        [("140121195203180429", "13934560429", "山西省太原市小店区平阳路12号")]
    assert _raw(url, "SELECT address, contact_phone FROM filings") == [("海南省海口市美兰区海甸岛人民大道58号", "13834560318")]
    tags = _raw(url, "SELECT health_tags FROM fd_signups")[0][0]
    assert tags in (["hypertension"], '["hypertension"]')
    upgrade(url, data_key=key)  # and up again
    assert _raw(url, "SELECT id_number FROM insured_persons WHERE id = 1")[0][0].startswith("v1:")


# --- idempotency records ------------------------------------------------------------------

def _later(app, hours: float) -> None:
    moment = now() + timedelta(hours=hours)
    app.config["CLOCK"] = lambda: moment


def test_idempotency_keys_are_replayed_within_a_day_and_purged_after_it(app, login, runner):
    liming = login("李明")
    fid = proxy_filing_through(liming, "signature")
    first = liming.post(f"{FILINGS}/{fid}/submit", headers={"Idempotency-Key": "once"})
    assert first.status_code == 200, first.json
    with app.app_context():
        columns = {c["name"] for c in inspect(session().connection()).get_columns("idempotency_records")}
        assert "body" not in columns  # no copy of the answer is kept

    with app.app_context():
        _later(app, 23)
    liming.sign_in_again()
    assert "'idempotency_records': 0" in runner.invoke(args=["expire"]).output
    again = liming.post(f"{FILINGS}/{fid}/submit", headers={"Idempotency-Key": "once"})
    assert again.status_code == 200 and again.json["filing_no"] == first.json["filing_no"]

    with app.app_context():
        _later(app, 2)
    liming.sign_in_again()
    assert "'idempotency_records': 1" in runner.invoke(args=["expire"]).output
    with app.app_context():
        assert session().scalar(select(IdempotencyRecord)) is None
    late = liming.post(f"{FILINGS}/{fid}/submit", headers={"Idempotency-Key": "once"})
    assert late.status_code == 409  # forgotten: an ordinary second submit of an effective filing
