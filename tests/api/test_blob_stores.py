"""Photos and signatures in the folder or in a bucket (BLOB_STORE, issue 15: scale-out).

The store's own promises are checked on both stores; the flows that use blobs -- a
whole filing with photos, signatures and the certificate, the purges, the export,
erasing an account -- run again here on S3 (moto's S3 server, over HTTP). The whole
suite runs on S3 with `TEST_BLOB_STORE=s3`."""

from __future__ import annotations

import io
import logging
from datetime import datetime, timedelta, timezone
from pathlib import Path

import boto3
import pytest
from PIL import Image

from backend import create_app
from backend.adapters import storage
from backend.adapters.storage import BlobMissing, LocalBlobStore, S3BlobStore
from backend.config import ConfigError, from_environment
from tests.api.flows import FILINGS, effective_proxy_filing, proxy_filing_through
from tests.conftest import S3_BUCKET, S3_CREDENTIALS, assert_error_shape, stored_keys
from tests.live import free_port

# The same flows, on S3: pytest runs each imported test again in this module, with
# this module's `blob_store_kind` ("s3"); in their own modules they run on the folder.
from tests.api.test_attachments import (  # noqa: F401
    test_a_deleted_photo_is_gone, test_photos_are_stored_under_server_made_names_in_the_data_folder,
    test_uploading_the_same_kind_again_replaces_the_previous_photo)
from tests.api.test_data_at_rest import (  # noqa: F401
    test_no_stored_file_opens_as_an_image_yet_the_photos_and_signatures_come_back,
    test_plain_files_left_from_before_are_encrypted_by_db_upgrade)
from tests.api.test_disk_limits import (  # noqa: F401
    test_drafts_left_alone_for_30_days_are_purged_with_their_photos_by_the_daily_job,
    test_files_no_record_points_at_are_purged_after_a_day)
from tests.api.test_pipl_rights import (  # noqa: F401
    test_erasing_my_account_keeps_the_filing_she_must_have_and_ends_every_login,
    test_id_photos_are_purged_thirty_days_after_the_filing_ended_by_the_daily_job,
    test_the_data_export_holds_my_account_my_filings_with_their_history_and_my_access_log)
from tests.api.test_proxy_filing import test_a_son_files_for_his_mother_and_the_filing_becomes_effective  # noqa: F401
from tests.api.test_self_filing import (  # noqa: F401
    test_the_certificate_qr_code_holds_a_verification_url_that_shows_only_a_masked_name)

JPEG, PNG = b"\xff\xd8\xff", b"\x89PNG"


@pytest.fixture
def blob_store_kind() -> str:
    return "s3"


def _bucket(endpoint: str):
    return boto3.client("s3", endpoint_url=endpoint, aws_access_key_id="testing", aws_secret_access_key="testing",
                        region_name="us-east-1")


# --- the store's promises, on both ---------------------------------------------------

@pytest.fixture(params=["local", "s3"])
def store(request, app, tmp_path):
    if request.param == "local":
        return LocalBlobStore(tmp_path / "own-blobs", app.extensions["crypto"])
    endpoint = request.getfixturevalue("s3_endpoint")
    return S3BlobStore(S3_BUCKET, f"contract-{tmp_path.name}", endpoint_url=endpoint,
                       access_key_id="testing", secret_access_key="testing", region="us-east-1",
                       keyring=app.extensions["crypto"])


def test_a_store_gives_back_what_was_put_lists_it_and_forgets_it(store):
    before = datetime.now(timezone.utc) - timedelta(seconds=5)
    key = store.put(PNG + b"a signature", ".png")
    assert key.endswith(".png") and len(key) == 36
    assert store.get(key) == PNG + b"a signature"
    assert not store.raw(key).startswith(PNG)  # encrypted wherever it lies
    [(listed, written)] = list(store.stored())
    assert listed == key and written >= before.replace(microsecond=0)
    store.delete(key)
    assert list(store.stored()) == []
    with pytest.raises(BlobMissing):
        store.get(key)
    with pytest.raises(FileNotFoundError):  # the same, for callers that know only that
        store.get(key)
    store.delete(key)  # gone already: no error


def test_a_store_refuses_keys_that_are_not_its_own(store):
    for bad in ("", "../etc/passwd", "a/b", ".hidden", "a\\b"):
        with pytest.raises(ValueError):
            store.get(bad)
        with pytest.raises(ValueError):
            store.delete(bad)


def test_a_store_seals_plain_blobs_once(store):
    store._write("cd" + "1" * 30 + ".png", PNG + b"old")
    sealed = store.put(b"new", ".png")
    assert store.seal_plain_files() == 1
    assert store.seal_plain_files() == 0
    assert store.get("cd" + "1" * 30 + ".png") == PNG + b"old" and store.get(sealed) == b"new"


# --- choosing the store ------------------------------------------------------------------

def test_blob_store_is_chosen_by_the_settings(tmp_path):
    base = {"DATA_DIR": str(tmp_path)}
    assert isinstance(storage.from_config({**base, "BLOB_STORE": ""}), LocalBlobStore)
    assert storage.from_config({**base, "BLOB_STORE": ""}).root == tmp_path / "blobs"
    assert storage.from_config({**base, "BLOB_STORE": str(tmp_path / "x")}).root == tmp_path / "x"
    s3 = storage.from_config({**base, "BLOB_STORE": "s3://photos/yibao/prod", "S3_ENDPOINT_URL": "http://minio:9000"})
    assert isinstance(s3, S3BlobStore) and (s3.bucket, s3.prefix) == ("photos", "yibao/prod/")
    env = {"DATA_DIR": str(tmp_path), "BLOB_STORE": "s3://photos", "S3_ENDPOINT_URL": "http://minio:9000",
           "AWS_ACCESS_KEY_ID": "id", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_DEFAULT_REGION": "cn-north-1"}
    config = from_environment(env)
    assert (config["BLOB_STORE"], config["S3_ENDPOINT_URL"], config["AWS_REGION"]) == (
        "s3://photos", "http://minio:9000", "cn-north-1")
    assert from_environment({**env, "AWS_REGION": "cn-northwest-1"})["AWS_REGION"] == "cn-northwest-1"
    for bad in ("s3://", "ftp://host/x"):
        with pytest.raises(ConfigError):
            from_environment({"DATA_DIR": str(tmp_path), "BLOB_STORE": bad})


def test_on_s3_the_photos_and_signatures_are_in_the_bucket_and_not_in_the_data_folder(app, login, s3_endpoint):
    liming = login("李明")
    filing = effective_proxy_filing(liming)
    prefix = app.extensions["blobs"].prefix
    in_bucket = [o["Key"] for o in _bucket(s3_endpoint).list_objects_v2(Bucket=S3_BUCKET, Prefix=prefix)["Contents"]]
    assert sorted(k.removeprefix(prefix) for k in in_bucket) == stored_keys(app)
    assert len(in_bucket) == 6  # two photos, their thumbnails, two signatures
    assert not Path(app.config["DATA_DIR"], "blobs").exists()
    for attachment in filing["attachments"]:
        assert liming.get(f"{FILINGS}/{filing['id']}/attachments/{attachment['id']}").data.startswith(JPEG)
    certificate = liming.get(f"{FILINGS}/{filing['id']}/certificate.png")
    assert certificate.status_code == 200 and Image.open(io.BytesIO(certificate.data)).format == "PNG"


# --- a blob that is not there ----------------------------------------------------------

@pytest.mark.parametrize("blob_store_kind", ["local", "s3"])
def test_a_lost_signature_or_photo_is_a_404_saying_what_to_do_and_a_line_for_the_operator(
        app, login, caplog, blob_store_kind):
    liming = login("李明")
    draft = proxy_filing_through(liming, "signature")
    filing = effective_proxy_filing(liming)
    for key in stored_keys(app):
        app.extensions["blobs"].delete(key)  # a restore from an old copy, a second server without the files
    caplog.set_level(logging.ERROR, logger="yibao.blobs")

    body = assert_error_shape(liming.get(f"{FILINGS}/{draft}/signature"), 404, "filing.signature_file_missing")
    assert "请重新签名" in body["message"]
    body = assert_error_shape(liming.get(f"{FILINGS}/{filing['id']}/signature"), 404,
                              "filing.signature_file_missing")
    assert "请联系医保经办机构" in body["message"]  # a submitted filing cannot be signed again
    assert_error_shape(liming.get(f"{FILINGS}/{filing['id']}/agent-declaration/signature"), 404,
                       "filing.signature_file_missing")
    photo = filing["attachments"][0]["id"]
    body = assert_error_shape(liming.get(f"{FILINGS}/{filing['id']}/attachments/{photo}"), 404, "attachment.missing")
    assert "请联系医保经办机构" in body["message"]
    assert_error_shape(liming.get(f"{FILINGS}/{filing['id']}/attachments/{photo}/thumbnail"), 404,
                       "attachment.missing")
    draft_photo = liming.get(f"{FILINGS}/{draft}").json["attachments"][0]["id"]
    body = assert_error_shape(liming.get(f"{FILINGS}/{draft}/attachments/{draft_photo}"), 404, "attachment.missing")
    assert "请重新上传该照片" in body["message"]

    lines = [r.getMessage() for r in caplog.records if r.name == "yibao.blobs"]
    assert len(lines) == 6 and all("blob missing" in line for line in lines)
    assert any(f"signature of filing {filing['id']}" in line for line in lines)
    # The draft's owner signs again and the signature is back.
    assert liming.post(f"{FILINGS}/{draft}/signature", data={"file": (io.BytesIO(_signature()), "s.png", "image/png")},
                       content_type="multipart/form-data").status_code == 200
    assert liming.get(f"{FILINGS}/{draft}/signature").data.startswith(PNG)


def _signature() -> bytes:
    from tests.conftest import signature_png
    return signature_png()


def test_object_storage_that_does_not_answer_is_a_503_not_a_500(app, login, caplog):
    liming = login("李明")
    fid = proxy_filing_through(liming, "agent_declaration")
    app.extensions["blobs"] = S3BlobStore(S3_BUCKET, "down", endpoint_url=f"http://127.0.0.1:{free_port()}",
                                          access_key_id="testing", secret_access_key="testing", region="us-east-1")
    caplog.set_level(logging.ERROR)
    from tests.api.flows import put_photo
    r = put_photo(liming, fid, "agent_id_card")
    assert_error_shape(r, 503, "server.storage_unavailable")
    assert r.headers["Retry-After"] == "30"
    assert any("blob store unavailable" in rec.getMessage() for rec in caplog.records)
    assert liming.get(f"{FILINGS}/{fid}").json["attachments"] == []  # nothing half-done


def test_an_app_made_from_the_environment_uses_the_bucket(tmp_path, s3_endpoint, database_url):
    from tests.conftest import TEST_CONFIG
    app = create_app({**TEST_CONFIG, "DATABASE_URL": database_url, "DATA_DIR": str(tmp_path),
                      "BLOB_STORE": f"s3://{S3_BUCKET}/from-env", "S3_ENDPOINT_URL": s3_endpoint, **S3_CREDENTIALS})
    try:
        store = app.extensions["blobs"]
        assert isinstance(store, S3BlobStore) and store.where.startswith(f"s3://{S3_BUCKET}/from-env/")
        with app.app_context():
            key = store.put(b"x", ".png")
            assert store.get(key) == b"x"
        store.check()
    finally:
        app.extensions["db"].dispose()
