"""Who sees what of a filing made for someone else: the agent (李明) does the
steps; the insured person (王秀英, with her own account) reads it, finds it under
`for=self` and may cancel it; anyone else (张隽) is told it does not exist."""

from __future__ import annotations

import pytest

from tests.api.flows import long_term_details
from tests.api.flows import (FILINGS, MOTHER, effective_proxy_filing, id_photo, notice_version,
                                         proxy_filing_through)
from tests.conftest import assert_error_shape, signature_png, upload


def _photo():
    return upload(id_photo(), "photo.jpg", "image/jpeg")


def _signature():
    return upload(signature_png())


def every_endpoint(fid: int, photo_id: int, version: str) -> list[tuple[str, str, dict]]:
    """Every endpoint that takes a filing or attachment id, with a body it would accept."""
    base = f"{FILINGS}/{fid}"
    multipart = {"content_type": "multipart/form-data"}
    return [
        ("get", base, {}),
        ("delete", base, {}),
        ("put", f"{base}/insured", {"json": MOTHER}),
        ("put", f"{base}/notice", {"json": {"accepted": True, "version": version}}),
        ("put", f"{base}/agent-declaration", {"json": {"accepted": True, "version": "2026.1"}}),
        ("post", f"{base}/agent-declaration/signature", {"data": _signature, **multipart}),
        ("get", f"{base}/agent-declaration/signature", {}),
        ("post", f"{base}/attachments/agent_id_card", {"data": _photo, **multipart}),
        ("get", f"{base}/attachments/{photo_id}", {}),
        ("get", f"{base}/attachments/{photo_id}/thumbnail", {}),
        ("delete", f"{base}/attachments/{photo_id}", {}),
        ("put", f"{base}/details", {"json": long_term_details()}),
        ("post", f"{base}/signature", {"data": _signature, **multipart}),
        ("get", f"{base}/signature", {}),
        ("post", f"{base}/submit", {"headers": {"Idempotency-Key": "stranger"}}),
        ("get", f"{base}/events", {}),
        ("post", f"{base}/cancel", {"json": {"reason": "不需要了"}}),
        ("get", f"{base}/certificate.png", {}),
    ]


def call(person, method, path, kwargs):
    kwargs = {k: (v() if callable(v) else v) for k, v in kwargs.items()}
    return getattr(person, method)(path, **kwargs)


@pytest.fixture
def family(login):
    """李明 with a draft (photos and signature, not submitted) and an effective
    filing for his mother; her own account; and a stranger."""
    liming = login("李明")
    draft = proxy_filing_through(liming, "signature")
    effective = effective_proxy_filing(liming)
    return {"agent": liming, "insured": login("王秀英"), "stranger": login("张隽"),
            "draft": liming.get(f"{FILINGS}/{draft}").json, "effective": effective}


# --- a stranger ---------------------------------------------------------------------


@pytest.mark.parametrize("which", ["draft", "effective"])
@pytest.mark.parametrize("stranger", ["bound", "unbound"])
def test_a_stranger_is_told_the_filing_does_not_exist_on_every_endpoint(family, login, which, stranger):
    filing = family[which]
    someone = family["stranger"] if stranger == "bound" else login(code="demo-nobody")
    version = notice_version(someone.client)
    photo_id = filing["attachments"][0]["id"]
    for method, path, kwargs in every_endpoint(filing["id"], photo_id, version):
        body = assert_error_shape(call(someone, method, path, kwargs), 404, "filing.not_found")
        # Word for word what a filing id that does not exist gets: nothing leaks.
        ghost = call(someone, method, path.replace(f"{FILINGS}/{filing['id']}", f"{FILINGS}/999999"), kwargs)
        assert ghost.get_json() == body, (method, path)
    # ... and nothing changed.
    after = family["agent"].get(f"{FILINGS}/{filing['id']}").json
    assert after["status"] == filing["status"] and after["attachments"] == filing["attachments"]


def test_a_stranger_does_not_find_the_filing_in_any_list(family):
    for for_whom in ("self", "other"):
        assert family["stranger"].get(f"{FILINGS}?for={for_whom}").json["total"] == 0


# --- the insured person -------------------------------------------------------------


def test_the_insured_person_finds_the_filing_under_her_own_records_made_by_a_masked_agent(family):
    wang = family["insured"]
    listed = wang.get(f"{FILINGS}?for=self").json
    assert {f["id"] for f in listed["items"]} == {family["draft"]["id"], family["effective"]["id"]}
    for filing in listed["items"]:
        assert filing["made_by_agent"] is True and filing["viewer_role"] == "insured"
        assert filing["agent"]["name"] == "李*"
        assert filing["agent"]["id_number"] == "140***********0318"
        assert filing["insured_person"]["name"] == "王秀英"
    assert wang.get(f"{FILINGS}?for=other").json["total"] == 0


def test_the_insured_person_can_read_the_filing_its_photos_signature_history_and_certificate(family):
    wang, filing = family["insured"], family["effective"]
    base = f"{FILINGS}/{filing['id']}"
    assert wang.get(base).json["filing_no"] == filing["filing_no"]
    for photo in filing["attachments"]:
        for path in (f"{base}/attachments/{photo['id']}", f"{base}/attachments/{photo['id']}/thumbnail"):
            r = wang.get(path)
            assert r.status_code == 200 and r.mimetype == "image/jpeg"
            assert r.headers["Cache-Control"] == "no-store"
    signature = wang.get(f"{base}/signature")
    assert signature.status_code == 200 and signature.data.startswith(b"\x89PNG")
    events = wang.get(f"{base}/events").json
    assert events[-1]["step"] == "submitted" and events[-1]["actor"] == "李*"
    # From the insured step on, every line says whom it was done for.
    assert {e["on_behalf_of"] for e in events if e["step"] != "created"} == {"王*英"}
    certificate = wang.get(f"{base}/certificate.png")
    assert certificate.status_code == 200 and certificate.data.startswith(b"\x89PNG")


def test_the_insured_person_may_cancel_the_filing_made_for_her(family):
    wang, filing = family["insured"], family["effective"]
    r = wang.post(f"{FILINGS}/{filing['id']}/cancel", json={"reason": "已回太原居住"})
    assert r.status_code == 200, r.json
    assert r.json["status"] == "cancelled"
    events = family["agent"].get(f"{FILINGS}/{filing['id']}/events").json
    assert events[-1]["step"] == "cancelled" and events[-1]["actor"] == "王*英"
    assert events[-1]["actor_role"] == "self"


@pytest.mark.parametrize("which", ["draft", "effective"])
def test_the_insured_person_cannot_fill_in_change_or_submit_what_the_agent_makes(family, which):
    wang, filing = family["insured"], family[which]
    version = notice_version(wang.client)
    photo_id = filing["attachments"][0]["id"]
    base = f"{FILINGS}/{filing['id']}"
    hers = {("post", f"{base}/cancel")}
    for method, path, kwargs in every_endpoint(filing["id"], photo_id, version):
        if method == "get" or (method, path) in hers:
            continue
        # Not hers to change: the one answer for "not yours" is 404, as for a stranger.
        assert_error_shape(call(wang, method, path, kwargs), 404, "filing.not_found")
    after = family["agent"].get(f"{FILINGS}/{filing['id']}").json
    assert after["status"] == filing["status"] and after["attachments"] == filing["attachments"]


# --- the agent ----------------------------------------------------------------------


def test_the_agent_finds_the_filings_under_those_he_made_for_others(family):
    liming = family["agent"]
    listed = liming.get(f"{FILINGS}?for=other").json
    assert {f["id"] for f in listed["items"]} == {family["draft"]["id"], family["effective"]["id"]}
    assert all(f["viewer_role"] == "agent" and f["agent"]["name"] == "李明" for f in listed["items"])
    assert liming.get(f"{FILINGS}?for=self").json["total"] == 0


def test_the_agent_does_every_step_and_reads_everything(family):
    liming, draft = family["agent"], family["draft"]
    version = notice_version(liming.client)
    photo_id = draft["attachments"][0]["id"]
    expected = {"get": 200, "put": 200, "post": 200, "delete": 200}
    # Done in an order that keeps the draft valid: re-upload and re-sign after
    # redoing the earlier steps, delete a photo only after reading it, and the
    # certificate once it is effective.
    by_path = {(m, p): kw for m, p, kw in every_endpoint(draft["id"], photo_id, version)}
    base = f"{FILINGS}/{draft['id']}"
    order = [("get", base), ("put", f"{base}/insured"), ("put", f"{base}/notice"),
             ("put", f"{base}/agent-declaration"), ("post", f"{base}/agent-declaration/signature"),
             ("get", f"{base}/agent-declaration/signature"), ("get", f"{base}/attachments/{photo_id}"), ("get", f"{base}/attachments/{photo_id}/thumbnail"),
             ("delete", f"{base}/attachments/{photo_id}"), ("post", f"{base}/attachments/agent_id_card"),
             ("put", f"{base}/details"), ("post", f"{base}/signature"), ("get", f"{base}/signature"),
             ("post", f"{base}/submit"), ("get", f"{base}/events"), ("get", f"{base}/certificate.png"),
             ("post", f"{base}/cancel")]
    assert set(order) | {("delete", base)} == set(by_path)
    # One long-term filing in force per person: the agent cancels the earlier one first.
    assert liming.post(f"{FILINGS}/{family['effective']['id']}/cancel", json={"reason": "改期"}).status_code == 200
    for method, path in order:
        r = call(liming, method, path, by_path[(method, path)])
        wanted = 201 if path.endswith("/agent_id_card") else expected[method]
        assert r.status_code == wanted, (method, path, r.get_json())
    assert liming.get(base).json["status"] == "cancelled"


def test_the_agent_may_discard_his_draft(family):
    liming, draft = family["agent"], family["draft"]
    assert liming.delete(f"{FILINGS}/{draft['id']}").status_code == 204
    assert_error_shape(liming.get(f"{FILINGS}/{draft['id']}"), 404, "filing.not_found")
    assert_error_shape(family["insured"].get(f"{FILINGS}/{draft['id']}"), 404, "filing.not_found")
