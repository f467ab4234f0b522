"""The disk is not a free-for-all: a few open drafts per account and flow, drafts left
alone for 30 days go (with their files), and a daily upload budget per account."""

from __future__ import annotations

from datetime import timedelta

from backend.services.runtime import now
from tests.api.flows import FILINGS, proxy_filing_through
from tests.conftest import assert_error_shape, signature_png, stored_keys, upload


def test_a_fourth_open_filing_draft_is_refused_naming_the_three(login):
    liming = login("李明")
    drafts = [liming.post(FILINGS, json={"for": "self"}).json["id"] for _ in range(3)]
    body = assert_error_shape(liming.post(FILINGS, json={"for": "other"}), 409, "filing.too_many_drafts")
    assert all(str(d) in body["message"] for d in drafts)
    assert liming.delete(f"{FILINGS}/{drafts[0]}").status_code == 204
    assert liming.post(FILINGS, json={"for": "other"}).status_code == 201


def test_a_fourth_open_sign_up_draft_is_refused(client, login):
    chen = login("陈小红")
    teams = [t["id"] for i in client.get("/api/v1/fd/institutions?region=430100").json for t in i["teams"]]
    # One resident may have one open contract, but drafts wait for submit: three drafts.
    for team in teams[:3]:
        assert chen.post("/api/v1/fd/signups", json={"for": "self", "team_id": team}).status_code == 201
    assert_error_shape(chen.post("/api/v1/fd/signups", json={"for": "self", "team_id": teams[3]}), 409,
                       "signup.too_many_drafts")


def _blob_files(app):
    return stored_keys(app)


def test_drafts_left_alone_for_30_days_are_purged_with_their_photos_by_the_daily_job(app, login, runner):
    liming = login("李明")
    fid = proxy_filing_through(liming, "attachments")
    assert _blob_files(app)
    moment = now()
    app.config["CLOCK"] = lambda: moment + timedelta(days=29)
    assert "'filing_drafts': 0" in runner.invoke(args=["purge"]).output
    app.config["CLOCK"] = lambda: moment + timedelta(days=31)
    result = runner.invoke(args=["purge"])
    assert "'filing_drafts': 1" in result.output, result.output
    assert _blob_files(app) == []
    liming.sign_in_again()
    assert_error_shape(liming.get(f"{FILINGS}/{fid}"), 404, "filing.not_found")


def test_the_daily_upload_budget_counts_bytes_per_account(app, login):
    png = signature_png()
    app.extensions["rate_limiter"].reset()
    # Room for two signatures and a half: the third upload goes over.
    app.config["RATE_LIMITS"] = {**app.config["RATE_LIMITS"], "upload_bytes.account": f"{len(png) * 5 // 2}/day"}
    liming = login("李明")
    fid = liming.post(FILINGS, json={"for": "self"}).json["id"]

    def send():
        return liming.post(f"{FILINGS}/{fid}/signature", data=upload(png), content_type="multipart/form-data")

    assert [send().status_code != 429 for _ in range(2)] == [True, True]
    body = assert_error_shape(send(), 429, "request.too_many")
    assert "今日上传" in body["message"]
    # Another account has its own budget.
    other = login("王秀英")
    other_fid = other.post(FILINGS, json={"for": "self"}).json["id"]
    assert other.post(f"{FILINGS}/{other_fid}/signature", data=upload(png),
                      content_type="multipart/form-data").status_code != 429
    app.extensions["rate_limiter"].reset()


def test_files_no_record_points_at_are_purged_after_a_day(app, login, runner):
    liming = login("李明")
    fid = proxy_filing_through(liming, "attachments")
    with app.app_context():
        orphan = app.extensions["blobs"].put(b"left behind by a failed upload", ".jpg")
    kept = set(_names(app)) - {orphan}
    assert "'orphan_files': 0" in runner.invoke(args=["purge"]).output   # too young: may be in flight
    moment = now()
    app.config["CLOCK"] = lambda: moment + timedelta(days=2)
    result = runner.invoke(args=["purge"])
    assert "'orphan_files': 1" in result.output, result.output
    assert set(_names(app)) == kept
    liming.sign_in_again()
    assert len(liming.get(f"{FILINGS}/{fid}").json["attachments"]) == 2


def _names(app):
    return _blob_files(app)
