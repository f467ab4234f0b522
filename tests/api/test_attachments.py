"""ID photos over HTTP (issue: photo uploads): hostile files, what is stored, who
gets it back, replacing and deleting. The decoding itself is tested in
tests/unit/test_images.py; here the same hostile folder goes through the API."""

from __future__ import annotations

import hashlib
import io
import struct
import threading
import time

import pytest
from PIL import ExifTags, Image, ImageChops, ImageDraw, ImageStat
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from backend.adapters import images
from backend.domain import uploads
from tests.api.flows import (FILINGS, effective_proxy_filing, id_photo, proxy_filing_through,
                                         put_photo)
from tests.api.flows import self_filing_until_signature
from tests.conftest import assert_error_shape, stored_keys, upload
from tests.hostile import (ACCEPTED, EXPECTED, REFUSED, UPRIGHT, big_png, hostile_bytes,
                           hostile_files)

# --- what each hostile file must get --------------------------------------------

# Fuzzer finds and bitmap bombs in formats an ID photo never needs: refused by
# their content before any decoder runs.
NOT_JPEG_OR_PNG = sorted(n for n in EXPECTED if n.startswith("crash-") or n.endswith(".bin")
                         or n.startswith("decompression_bomb") or n == "libtiff_segfault.tif")
# JPEG or PNG by content, but cut off or corrupt: they fail when decoded in full.
UNREADABLE_PNG = ["broken.png", "broken_data_stream.png", "png_decompression_dos.png",
                  "truncated_end_chunk.png", "truncated_image.png"]
UNREADABLE_JPEG = ["truncated_jpeg.jpg"]

PHOTO_OUTCOME = {
    **{n: (415, "upload.unsupported_type") for n in NOT_JPEG_OR_PNG},
    **{n: (422, "upload.corrupt") for n in UNREADABLE_PNG + UNREADABLE_JPEG},
    **{n: (201, None) for n, verdict in EXPECTED.items() if verdict in (ACCEPTED, UPRIGHT)},
}

# The pledge signature takes PNG only: every JPEG, good or not, is refused as
# not a PNG; the unreadable PNGs as corrupt. hopper.png -- a photo of a face,
# not a drawn name -- has enough dark pixels over a wide enough box to pass the
# ink check, so it is accepted (the check looks for ink, not for handwriting).
SIGNATURE_OUTCOME = {
    **{n: (415, "signature.not_png") for n in NOT_JPEG_OR_PNG + UNREADABLE_JPEG},
    **{n: (415, "signature.not_png") for n, verdict in EXPECTED.items()
       if verdict in (ACCEPTED, UPRIGHT) and n != "hopper.png"},
    **{n: (422, "signature.corrupt") for n in UNREADABLE_PNG},
    "hopper.png": (200, None),
}

# "Never a hang" (hostile-images README). How fast each file is judged is a benchmark
# (scripts/bench_uploads.py prints every file's median); here only a hang fails: a
# decoder that spins, not a slow machine. Every answer takes milliseconds.
HANG_SECONDS = 30.0


def test_every_hostile_file_has_an_expected_status_and_code_on_both_endpoints():
    assert set(PHOTO_OUTCOME) == set(hostile_files()) == set(EXPECTED)
    assert set(SIGNATURE_OUTCOME) == set(EXPECTED)
    for name, (status, _) in PHOTO_OUTCOME.items():
        assert (status == 201) == (EXPECTED[name] != REFUSED), name


def _both_names(name: str):
    """The file under its own name, and renamed to .jpg claiming image/jpeg: the
    server must judge by content, not by what the client says."""
    yield name, "application/octet-stream"
    yield name.rsplit(".", 1)[0] + ".jpg", "image/jpeg"


def _timed(call):
    started = time.perf_counter()
    response = call()
    assert time.perf_counter() - started < HANG_SECONDS, "the server hung on this file"
    return response


@pytest.mark.parametrize("name", sorted(PHOTO_OUTCOME))
def test_a_hostile_file_sent_as_an_id_photo_gets_its_expected_answer(login, name):
    liming = login("李明")
    fid = proxy_filing_through(liming, "agent_declaration")
    status, code = PHOTO_OUTCOME[name]
    for sent_as, content_type in _both_names(name):
        r = _timed(lambda: put_photo(liming, fid, "insured_id_card", hostile_bytes(name), sent_as, content_type))
        if code:
            assert_error_shape(r, status, code)
        else:
            assert r.status_code == 201, r.json
            stored = liming.get(f"{FILINGS}/{fid}/attachments/{r.json['attachments'][0]['id']}")
            _assert_bare_jpeg(stored.data)
    filing = liming.get(f"{FILINGS}/{fid}").json
    assert len(filing["attachments"]) == (1 if status == 201 else 0)


@pytest.mark.parametrize("name", sorted(SIGNATURE_OUTCOME))
def test_a_hostile_file_sent_as_a_pledge_signature_gets_its_expected_answer(login, name):
    liming = login("李明")
    # The pledge of a filing for someone else, and of one for oneself.
    for fid in (proxy_filing_through(liming, "details"), self_filing_until_signature(liming)):
        status, code = SIGNATURE_OUTCOME[name]
        for sent_as, content_type in _both_names(name):
            r = _timed(lambda: liming.post(f"{FILINGS}/{fid}/signature",
                                           data=upload(hostile_bytes(name), sent_as, content_type),
                                           content_type="multipart/form-data"))
            if code:
                assert_error_shape(r, status, code)
            else:
                assert r.status_code == 200, r.json
                stored = liming.get(f"{FILINGS}/{fid}/signature")
                assert stored.data.startswith(b"\x89PNG") and b"tEXt" not in stored.data
        assert (liming.get(f"{FILINGS}/{fid}").json["next_step"] is None) == (status == 200)


# --- what is stored ----------------------------------------------------------------

# APPn and COM segments hold EXIF (GPS, maker notes), ICC, XMP, Photoshop blocks
# and comments. Only APP0, the JFIF header, may remain.
METADATA_MARKERS = set(range(0xE1, 0xF0)) | {0xFE}


def _segment_markers(jpeg: bytes) -> list[int]:
    assert jpeg[:2] == b"\xff\xd8", "not a JPEG"
    markers, i = [], 2
    while True:
        marker = jpeg[i + 1]
        markers.append(marker)
        if marker == 0xDA:  # start of scan
            return markers
        (length,) = struct.unpack(">H", jpeg[i + 2:i + 4])
        i += 2 + length


def _assert_bare_jpeg(jpeg: bytes) -> Image.Image:
    assert not METADATA_MARKERS & set(_segment_markers(jpeg))
    img = Image.open(io.BytesIO(jpeg))
    assert img.format == "JPEG" and img.mode == "RGB"
    assert len(img.getexif()) == 0
    for key in ("exif", "icc_profile", "comment", "xmp", "photoshop", "adobe"):
        assert key not in img.info, key
    img.load()
    return img


def _phone_photo() -> bytes:
    """A 4000x3000 camera JPEG stored sideways (EXIF orientation 6) with GPS, a
    maker note, camera make and model, a comment and XMP. Its stored
    top-left quarter is red, so upright the red must be top right."""
    img = Image.new("RGB", (4000, 3000), (40, 90, 160))
    ImageDraw.Draw(img).rectangle((0, 0, 1999, 1499), fill=(220, 20, 20))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Phone 15"
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.MakerNote] = b"serial=PM-0042;owner=wang"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (38.0, 52.0, 3.0),
        ExifTags.GPS.GPSLongitudeRef: "E", ExifTags.GPS.GPSLongitude: (112.0, 33.0, 4.0),
    }
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>'
    out = io.BytesIO()
    img.save(out, "JPEG", quality=90, exif=exif, comment="home: 太原市".encode(), xmp=xmp)
    return out.getvalue()


def test_the_phone_photo_fixture_really_carries_gps_maker_notes_and_a_comment():
    raw = _phone_photo()
    img = Image.open(io.BytesIO(raw))
    exif = img.getexif()
    assert exif[ExifTags.Base.Orientation] == 6
    assert exif.get_ifd(ExifTags.IFD.GPSInfo)
    assert exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.MakerNote]
    assert img.info["comment"]


def test_a_phone_photo_comes_back_upright_smaller_and_without_gps_maker_notes_or_comment(login):
    liming = login("李明")
    fid = proxy_filing_through(liming, "agent_declaration")
    raw = _phone_photo()
    r = put_photo(liming, fid, "agent_id_card", raw, "IMG_0001.jpg")
    assert r.status_code == 201, r.json
    meta = r.json["attachments"][0]
    width, height = meta["width"], meta["height"]
    # Turned upright (portrait), scaled down to the stored size, proportions kept.
    assert width < height <= uploads.MAX_LONG_EDGE
    assert abs(width / height - 3 / 4) < 0.01

    stored = liming.get(f"{FILINGS}/{fid}/attachments/{meta['id']}")
    for secret in (b"PhoneMaker", b"Phone 15", b"serial=PM-0042", b"xmpmeta", "太原".encode()):
        assert secret not in stored.data
    img = _assert_bare_jpeg(stored.data).convert("RGB")
    assert img.size == (width, height)
    # Upright: the red corner is now top right, the top left is blue.
    assert img.getpixel((width - 50, 50))[0] > 180
    assert img.getpixel((50, 50))[2] > 120 and img.getpixel((50, 50))[0] < 100
    assert meta["sha256"] == hashlib.sha256(stored.data).hexdigest()
    assert meta["size"] == len(stored.data)

    thumb = liming.get(f"{FILINGS}/{fid}/attachments/{meta['id']}/thumbnail")
    assert thumb.status_code == 200 and thumb.mimetype == "image/jpeg"
    thumb_width, thumb_height = _assert_bare_jpeg(thumb.data).size
    assert thumb_width < thumb_height == uploads.THUMB_LONG_EDGE


@pytest.mark.parametrize("name", ["exif_gps.jpg", "invalid-exif.jpg", "hopper_bad_exif.jpg",
                                  "multiple_exif.jpg", "truncated_app14.jpg"])
def test_a_photo_with_odd_metadata_is_stored_with_none_of_it(login, name):
    liming = login("李明")
    fid = proxy_filing_through(liming, "agent_declaration")
    raw = hostile_bytes(name)
    carried = set(Image.open(io.BytesIO(raw)).info) & {"exif", "icc_profile", "xmp", "photoshop", "adobe", "comment"}
    assert carried, "the sample should carry metadata"
    r = put_photo(liming, fid, "insured_hukou", raw, name)
    assert r.status_code == 201, r.json
    stored = liming.get(f"{FILINGS}/{fid}/attachments/{r.json['attachments'][0]['id']}")
    _assert_bare_jpeg(stored.data)
    if name == "exif_gps.jpg":
        assert Image.open(io.BytesIO(raw)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert not Image.open(io.BytesIO(stored.data)).getexif().get_ifd(ExifTags.IFD.GPSInfo)


def _blob_files(app) -> list[str]:
    """The stored photos and thumbnails (the agent's declaration signature, a PNG, aside),
    in the folder or the bucket."""
    return [key for key in stored_keys(app) if key.endswith(".jpg")]


def _mean_difference(a: Image.Image, b: Image.Image) -> float:
    return sum(ImageStat.Stat(ImageChops.difference(a, b)).mean) / 3


@pytest.mark.parametrize("orientation", range(2, 9))
def test_a_photo_with_exif_orientation_comes_back_upright(login, orientation):
    liming = login("李明")
    fid = proxy_filing_through(liming, "agent_declaration")
    reference = put_photo(liming, fid, "agent_id_card", hostile_bytes("hopper.jpg"), "hopper.jpg").json
    turned = put_photo(liming, fid, "insured_id_card", hostile_bytes(f"hopper_orientation_{orientation}.jpg"),
                       f"hopper_orientation_{orientation}.jpg").json
    by_kind = {a["kind"]: a["id"] for a in turned["attachments"]}
    upright = _assert_bare_jpeg(liming.get(f"{FILINGS}/{fid}/attachments/{by_kind['agent_id_card']}").data)
    stored = _assert_bare_jpeg(liming.get(f"{FILINGS}/{fid}/attachments/{by_kind['insured_id_card']}").data)
    raw = Image.open(io.BytesIO(hostile_bytes(f"hopper_orientation_{orientation}.jpg"))).convert("RGB")
    assert reference["attachments"][0]["kind"] == "agent_id_card"
    assert stored.size == upright.size
    # As sent, the pixels are transposed (far from hopper); as stored, upright (close).
    if raw.size == upright.size:
        assert _mean_difference(raw, upright) > 40
    assert _mean_difference(stored.convert("RGB"), upright.convert("RGB")) < 12


def test_a_png_with_transparency_is_stored_as_a_jpeg_on_white(login):
    liming = login("李明")
    fid = proxy_filing_through(liming, "agent_declaration")
    img = Image.new("RGBA", (300, 200), (0, 0, 0, 0))
    ImageDraw.Draw(img).rectangle((100, 50, 200, 150), fill=(10, 10, 10, 255))
    out = io.BytesIO()
    img.save(out, "PNG")
    r = put_photo(liming, fid, "agent_hukou", out.getvalue(), "scan.png", "image/png")
    assert r.status_code == 201, r.json
    stored = _assert_bare_jpeg(liming.get(f"{FILINGS}/{fid}/attachments/{r.json['attachments'][0]['id']}").data)
    assert min(stored.getpixel((10, 10))) > 240 and max(stored.getpixel((150, 100))) < 40


def test_the_photo_is_served_as_a_private_uncached_unsniffed_download(login):
    liming = login("李明")
    fid = proxy_filing_through(liming, "attachments")
    photo = liming.get(f"{FILINGS}/{fid}").json["attachments"][0]
    for path in (f"{FILINGS}/{fid}/attachments/{photo['id']}", f"{FILINGS}/{fid}/attachments/{photo['id']}/thumbnail"):
        r = liming.get(path)
        assert r.status_code == 200 and r.mimetype == "image/jpeg"
        assert r.headers["Cache-Control"] == "no-store"
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        assert r.headers["Content-Disposition"].startswith("inline; filename=")
        assert photo["kind"] in r.headers["Content-Disposition"]


def test_photos_are_stored_under_server_made_names_in_the_data_folder(app, login):
    liming = login("李明")
    fid = proxy_filing_through(liming, "agent_declaration")
    r = put_photo(liming, fid, "agent_id_card", id_photo(), "../../../etc/evil.jpg")
    assert r.status_code == 201
    files = _blob_files(app)
    assert len(files) == 2  # the photo and its thumbnail
    assert all("evil" not in key and key.endswith(".jpg") for key in files)
    stored = liming.get(f"{FILINGS}/{fid}/attachments/{r.json['attachments'][0]['id']}").data
    # Stored, the files are encrypted (tests/api/test_data_at_rest.py); opened with the key, one is it.
    store = app.extensions["blobs"]
    assert stored in {app.extensions["crypto"].open(store.raw(key), key) for key in files}
    assert "evil" not in liming.get(f"{FILINGS}/{fid}/attachments/{r.json['attachments'][0]['id']}") \
        .headers["Content-Disposition"]


# --- replacing and deleting ------------------------------------------------------


def test_uploading_the_same_kind_again_replaces_the_previous_photo(app, login):
    liming = login("李明")
    fid = proxy_filing_through(liming, "agent_declaration")
    first = put_photo(liming, fid, "agent_id_card", id_photo((200, 30, 30))).json["attachments"][0]
    second = put_photo(liming, fid, "agent_id_card", id_photo((30, 160, 30))).json
    assert [a["kind"] for a in second["attachments"]] == ["agent_id_card"]
    new = second["attachments"][0]
    assert new["id"] != first["id"] and new["sha256"] != first["sha256"]
    assert_error_shape(liming.get(f"{FILINGS}/{fid}/attachments/{first['id']}"), 404, "attachment.not_found")
    got = liming.get(f"{FILINGS}/{fid}/attachments/{new['id']}")
    assert hashlib.sha256(got.data).hexdigest() == new["sha256"]
    # The replaced photo is gone from disk too: a photo and a thumbnail remain.
    assert len(_blob_files(app)) == 2


def test_four_uploads_of_one_kind_at_once_leave_one_photo(app, login):
    liming = login("李明")
    fid = proxy_filing_through(liming, "agent_declaration")
    barrier = threading.Barrier(4)
    statuses = []

    def send(n):
        client = app.test_client()
        data = upload(id_photo((60 * n, 90, 160)), f"photo-{n}.jpg", "image/jpeg")
        barrier.wait()
        r = client.post(f"{FILINGS}/{fid}/attachments/insured_id_card", headers=liming.headers, data=data,
                        content_type="multipart/form-data")
        statuses.append(r.status_code)

    threads = [threading.Thread(target=send, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [201] * 4
    attachments = liming.get(f"{FILINGS}/{fid}").json["attachments"]
    assert [a["kind"] for a in attachments] == ["insured_id_card"]
    assert len(_blob_files(app)) == 2  # the last photo and its thumbnail; the others were removed


def test_a_deleted_photo_is_gone(app, login):
    liming = login("李明")
    fid = proxy_filing_through(liming, "attachments")
    photo = liming.get(f"{FILINGS}/{fid}").json["attachments"][0]
    r = liming.delete(f"{FILINGS}/{fid}/attachments/{photo['id']}")
    assert r.status_code == 200 and [a["id"] for a in r.json["attachments"]] != [photo["id"]]
    assert "attachments" not in [s["name"] for s in r.json["steps"] if s["done"]]
    assert_error_shape(liming.get(f"{FILINGS}/{fid}/attachments/{photo['id']}"), 404, "attachment.not_found")
    assert_error_shape(liming.delete(f"{FILINGS}/{fid}/attachments/{photo['id']}"), 404, "attachment.not_found")
    assert len(_blob_files(app)) == 2


def test_photos_of_an_effective_filing_can_be_seen_but_not_changed(login):
    liming = login("李明")
    filing = effective_proxy_filing(liming)
    fid, photo = filing["id"], filing["attachments"][0]
    assert_error_shape(put_photo(liming, fid, "agent_hukou"), 409, "filing.not_editable")
    assert_error_shape(liming.delete(f"{FILINGS}/{fid}/attachments/{photo['id']}"), 409, "filing.not_editable")
    assert liming.get(f"{FILINGS}/{fid}/attachments/{photo['id']}").status_code == 200


def test_a_photo_of_another_filing_is_not_found_under_this_one(login):
    liming = login("李明")
    one = proxy_filing_through(liming, "attachments")
    other = proxy_filing_through(liming, "agent_declaration")
    photo = liming.get(f"{FILINGS}/{one}").json["attachments"][0]
    assert_error_shape(liming.get(f"{FILINGS}/{other}/attachments/{photo['id']}"), 404, "attachment.not_found")
    assert_error_shape(liming.delete(f"{FILINGS}/{other}/attachments/{photo['id']}"), 404, "attachment.not_found")


def test_discarding_the_draft_removes_its_photos_from_disk(app, login):
    liming = login("李明")
    fid = proxy_filing_through(liming, "attachments")
    assert liming.delete(f"{FILINGS}/{fid}").status_code == 204
    assert _blob_files(app) == []


# --- refused uploads ---------------------------------------------------------------


def test_an_unknown_photo_kind_is_refused_with_the_four_kinds_named(login):
    liming = login("李明")
    fid = proxy_filing_through(liming, "agent_declaration")
    body = assert_error_shape(put_photo(liming, fid, "passport"), 422, "attachment.kind_invalid")
    assert all(kind in body["errors"]["kind"][0] for kind in ("agent_id_card", "insured_hukou"))


def test_an_upload_without_a_file_is_refused(login):
    liming = login("李明")
    fid = proxy_filing_through(liming, "agent_declaration")
    r = liming.post(f"{FILINGS}/{fid}/attachments/agent_id_card", data={}, content_type="multipart/form-data")
    body = assert_error_shape(r, 422)
    assert "file" in body["errors"]
    assert_error_shape(put_photo(liming, fid, "agent_id_card", b"", "empty.jpg"), 422, "upload.empty")


def test_a_photo_over_ten_megabytes_is_refused_without_being_decoded(login):
    liming = login("李明")
    fid = proxy_filing_through(liming, "agent_declaration")
    big = id_photo() + b"\0" * (uploads.MAX_PHOTO_BYTES)
    # Encoded here in memory: the test client would spool a body this big to a
    # temporary file that it never closes.
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(big), "big.jpg", content_type="image/jpeg")})
    r = liming.post(f"{FILINGS}/{fid}/attachments/agent_id_card", input_stream=io.BytesIO(body),
                    content_type=f"multipart/form-data; boundary={boundary}")
    assert_error_shape(r, 413, "upload.too_large")


def test_a_photo_whose_header_promises_a_huge_bitmap_is_refused(login):
    liming = login("李明")
    fid = proxy_filing_through(liming, "agent_declaration")
    jpeg = bytearray(id_photo())
    sof = jpeg.index(b"\xff\xc0")
    jpeg[sof + 5:sof + 9] = struct.pack(">HH", 30000, 30000)
    assert_error_shape(put_photo(liming, fid, "agent_id_card", bytes(jpeg)), 422, "upload.too_many_pixels")
    assert liming.get(f"{FILINGS}/{fid}").json["attachments"] == []


# --- bounded work (issue: abuse resistance) --------------------------------------------


def test_the_issues_seven_thousand_square_rgba_png_is_refused_from_its_header(login):
    # About 1 MB, within the 10 MB and 50-megapixel limits, 196 MB once decoded.
    liming = login("李明")
    fid = proxy_filing_through(liming, "agent_declaration")
    data = big_png(7000, 7000, noise_per_row=110)
    boundary, sent = encode_multipart({"file": FileStorage(io.BytesIO(data), "big.png",
                                                           content_type="image/png")})
    r = liming.post(f"{FILINGS}/{fid}/attachments/agent_id_card", input_stream=io.BytesIO(sent),
                    content_type=f"multipart/form-data; boundary={boundary}")
    body = assert_error_shape(r, 422, "upload.too_many_pixels")
    assert "JPG" in body["message"]
    assert liming.get(f"{FILINGS}/{fid}").json["attachments"] == []


def test_a_photo_finding_every_decoding_slot_taken_is_answered_busy_with_retry_after(login, monkeypatch):
    liming = login("李明")
    fid = proxy_filing_through(liming, "agent_declaration")
    monkeypatch.setattr(uploads, "DECODE_WAIT_SECONDS", 0.05)
    taken = [images._DECODE_SLOTS.acquire(timeout=5) for _ in range(uploads.DECODES_AT_ONCE)]
    try:
        r = put_photo(liming, fid, "agent_id_card")
    finally:
        for _ in taken:
            images._DECODE_SLOTS.release()
    body = assert_error_shape(r, 503, "upload.busy")
    assert r.headers["Retry-After"] == "2"
    assert body["message"] == "当前上传照片的人较多，请稍等几秒后重新上传。"
    # Once a slot is free, the same photo goes through.
    assert put_photo(liming, fid, "agent_id_card").status_code == 201


def test_a_twelve_megapixel_phone_jpeg_is_accepted(login):
    liming = login("李明")
    fid = proxy_filing_through(liming, "agent_declaration")
    img = Image.effect_mandelbrot((4032, 3024), (-2.0, -1.2, 1.0, 1.2), 40).convert("RGB")
    out = io.BytesIO()
    img.save(out, "JPEG", quality=90)
    # Encoded here in memory: the test client would spool a body this big to a
    # temporary file that it never closes.
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(out.getvalue()), "phone.jpg",
                                                           content_type="image/jpeg")})
    r = liming.post(f"{FILINGS}/{fid}/attachments/agent_id_card", input_stream=io.BytesIO(body),
                    content_type=f"multipart/form-data; boundary={boundary}")
    assert r.status_code == 201, r.json
    photo = r.json["attachments"][0]
    assert (photo["width"], photo["height"]) == (2016, 1512)
