"""Photo cleaning and signature checks (issues: photo uploads, pledge signature)."""

from __future__ import annotations

import ast
import contextlib
import hashlib
import inspect
import io
import os
import struct
import sys
import threading
import time
import zlib

import pytest
from PIL import ExifTags, Image, ImageChops, ImageCms, ImageDraw, ImageFile, ImageStat
from PIL import ImageOps, JpegImagePlugin, PngImagePlugin

from backend.adapters import images
from backend.adapters.images import CleanedPhoto, SignaturePng, check_signature, clean_photo
from backend.domain import uploads
from backend.domain.errors import DomainError, Invalid, TooLarge, UnsupportedMedia
from tests.hostile import (ACCEPTED, EXPECTED, REFUSED, UPRIGHT, big_png, hostile_bytes,
                           hostile_files, names)

# --- helpers -------------------------------------------------------------------

# APPn and COM segments: where EXIF, GPS, ICC, XMP, Photoshop blocks and comments
# live. Only APP0 (the JFIF header, which says nothing about anyone) may remain.
_METADATA_MARKERS = set(range(0xE1, 0xF0)) | {0xFE}


def _segment_markers(jpeg: bytes) -> list[int]:
    """The markers of a JPEG's header segments, up to the start of the scan."""
    assert jpeg[:2] == b"\xff\xd8", "not a JPEG"
    markers, i = [], 2
    while True:
        assert jpeg[i] == 0xFF, f"no segment marker at byte {i}"
        marker = jpeg[i + 1]
        markers.append(marker)
        if marker == 0xDA:  # start of scan: entropy-coded data follows
            return markers
        (length,) = struct.unpack(">H", jpeg[i + 2:i + 4])
        i += 2 + length


def _assert_bare_jpeg(jpeg: bytes) -> Image.Image:
    """The JPEG, opened, after checking it carries no metadata of any kind."""
    markers = _segment_markers(jpeg)
    assert not _METADATA_MARKERS & set(markers), [hex(m) for m in markers]
    img = Image.open(io.BytesIO(jpeg))
    assert img.format == "JPEG"
    assert img.mode == "RGB"
    exif = img.getexif()
    assert len(exif) == 0
    assert len(exif.get_ifd(ExifTags.IFD.GPSInfo)) == 0
    for key in ("exif", "icc_profile", "comment", "xmp", "photoshop", "adobe"):
        assert key not in img.info, key
    return img


def _encode(img: Image.Image, fmt: str, **params) -> bytes:
    out = io.BytesIO()
    img.save(out, fmt, **params)
    return out.getvalue()


def _mean_difference(a: Image.Image, b: Image.Image) -> float:
    """Mean absolute difference per channel value, 0-255."""
    return sum(ImageStat.Stat(ImageChops.difference(a, b)).mean) / len(a.getbands())


def _open_rgb(data: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(data))
    img.load()
    return img.convert("RGB")


def _png_claiming(width: int, height: int, mode: str = "RGB") -> bytes:
    """A real 1x1 PNG of `mode` whose IHDR then claims width x height: decoded, it
    would be refused as corrupt, so any other answer came from the header."""
    png = _encode(Image.new(mode, (1, 1)), "PNG")
    ihdr = png[12:29]  # chunk type + 13 data bytes, which the CRC covers
    patched = ihdr[:4] + struct.pack(">II", width, height) + ihdr[12:]
    return png[:12] + patched + struct.pack(">I", zlib.crc32(patched)) + png[33:]


def _jpeg_claiming(width: int, height: int) -> bytes:
    """A real 8x8 JPEG whose SOF segment then claims width x height."""
    jpeg = bytearray(_encode(Image.new("RGB", (8, 8), "gray"), "JPEG"))
    sof = jpeg.index(b"\xff\xc0")
    jpeg[sof + 5:sof + 9] = struct.pack(">HH", height, width)
    return bytes(jpeg)


def _phone_photo() -> bytes:
    """A 4000x3000 camera JPEG stored sideways (EXIF orientation 6), with GPS,
    camera EXIF, an ICC profile, a comment and XMP. Its stored top-left quarter
    is red, so after turning upright the red must be top right."""
    img = Image.new("RGB", (4000, 3000), (40, 90, 160))
    ImageDraw.Draw(img).rectangle((0, 0, 1999, 1499), fill=(220, 20, 20))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Phone 15"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (39.0, 54.0, 27.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (116.0, 23.0, 17.0),
    }
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>'
    return _encode(img, "JPEG", quality=90, exif=exif, icc_profile=icc,
                   comment=b"home address", xmp=xmp)


def _signature_canvas(size=(600, 200), background=(0, 0, 0, 0)) -> Image.Image:
    """A name written in strokes on a signing-pad canvas."""
    img = Image.new("RGBA", size, background)
    draw = ImageDraw.Draw(img)
    ink = (20, 20, 60, 255)
    draw.line([(40, 140), (90, 40), (120, 150), (170, 60), (210, 130)], fill=ink, width=5)
    draw.line([(240, 120), (300, 70), (340, 120), (400, 50)], fill=ink, width=4)
    draw.arc((420, 50, 540, 160), start=30, end=320, fill=ink, width=5)
    return img


@pytest.fixture(scope="module")
def hopper_upright() -> Image.Image:
    return _open_rgb(clean_photo(hostile_bytes("hopper.jpg")).content)


# --- hostile images ------------------------------------------------------------


def test_every_file_in_the_hostile_folder_has_an_expected_outcome():
    assert set(hostile_files()) == set(EXPECTED)


@pytest.mark.parametrize("name", names(REFUSED))
def test_a_refused_hostile_file_raises_a_domain_error_not_a_crash(name):
    data = hostile_bytes(name)
    with pytest.raises((UnsupportedMedia, Invalid, TooLarge)) as caught:
        clean_photo(data)
    assert caught.value.code.startswith("upload.")
    if uploads.sniff_image_type(data) is None:
        # Not JPEG or PNG by content: refused before any decoder runs.
        assert isinstance(caught.value, UnsupportedMedia)
        assert caught.value.code == "upload.unsupported_type"
    else:
        assert isinstance(caught.value, Invalid)
        assert caught.value.code == "upload.corrupt"


def test_a_png_whose_text_chunks_inflate_without_end_is_refused_as_corrupt():
    with pytest.raises(Invalid) as caught:
        clean_photo(hostile_bytes("png_decompression_dos.png"))
    assert caught.value.code == "upload.corrupt"
    assert caught.value.message == "图片文件已损坏或不完整，请重新拍摄后上传。"


@pytest.mark.parametrize("name", names(ACCEPTED) + names(UPRIGHT))
def test_an_accepted_hostile_file_is_stored_as_a_jpeg_without_metadata(name):
    photo = clean_photo(hostile_bytes(name))

    assert isinstance(photo, CleanedPhoto)
    assert photo.media_type == "image/jpeg"
    assert photo.sha256 == hashlib.sha256(photo.content).hexdigest()
    img = _assert_bare_jpeg(photo.content)
    assert img.size == (photo.width, photo.height)
    _assert_bare_jpeg(photo.thumbnail)


@pytest.mark.parametrize("name", names(UPRIGHT))
def test_a_photo_with_an_exif_orientation_is_stored_upright(name, hopper_upright):
    raw = hostile_bytes(name)
    stored = _open_rgb(clean_photo(raw).content)

    # Without turning, the file's pixels are far from hopper (so the check below
    # could not pass by accident); turned, only JPEG noise remains.
    assert _mean_difference(_open_rgb(raw), hopper_upright) > 40
    assert stored.size == hopper_upright.size
    assert _mean_difference(stored, hopper_upright) < 12


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_no_hostile_file_crashes_the_signature_check(name):
    data = hostile_bytes(name)
    try:
        check_signature(data)
    except DomainError as refused:
        assert refused.code.startswith("signature.")
        if uploads.sniff_image_type(data) != uploads.PNG:
            assert isinstance(refused, UnsupportedMedia)


# --- photos --------------------------------------------------------------------


def test_a_phone_photo_is_shrunk_turned_upright_and_stripped_of_all_metadata():
    data = _phone_photo()
    original = Image.open(io.BytesIO(data))
    assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the input has GPS

    photo = clean_photo(data)

    img = _assert_bare_jpeg(photo.content)
    # Stored 4000x3000 sideways; upright it is portrait, long edge 2048.
    # Draft mode decoded the 4000×3000 photo at half size: 2000 px, under the 2048 cap.
    assert (photo.width, photo.height) == img.size == (1500, 2000)
    # The stored top-left quarter is now the top-right one.
    red, blue = img.getpixel((1400, 100)), img.getpixel((100, 100))
    assert red[0] > 180 and red[2] < 60, red
    assert blue[2] > 120 and blue[0] < 80, blue

    thumb = _assert_bare_jpeg(photo.thumbnail)
    assert max(thumb.size) == 320


def test_a_large_jpeg_is_decoded_at_reduced_size_not_in_full(monkeypatch):
    decoded_sizes = []
    original_load = JpegImagePlugin.JpegImageFile.load

    def spying_load(self):
        decoded_sizes.append(self.size)
        return original_load(self)

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "load", spying_load)
    data = _encode(Image.new("RGB", (4200, 4200), (90, 120, 30)), "JPEG")

    photo = clean_photo(data)

    # libjpeg's 1/2 scaling: half the size, still above the stored 2048.
    assert decoded_sizes[0] == (2100, 2100)
    assert (photo.width, photo.height) == (2048, 2048)


def test_a_small_photo_is_never_enlarged():
    photo = clean_photo(hostile_bytes("hopper.png"))

    assert (photo.width, photo.height) == (128, 128)
    assert Image.open(io.BytesIO(photo.thumbnail)).size == (128, 128)


def test_a_png_is_recognised_by_its_content_and_stored_as_jpeg():
    photo = clean_photo(hostile_bytes("hopper.png"))

    assert photo.content.startswith(b"\xff\xd8\xff")
    assert photo.media_type == "image/jpeg"


def test_the_verdict_rests_on_the_content_alone_never_a_name_or_declared_type():
    # The adapter cannot even be told what the client called the file.
    assert list(inspect.signature(clean_photo).parameters) == ["data"]
    assert list(inspect.signature(check_signature).parameters) == ["data"]
    # A TIFF's content is refused whatever it was called; a PNG's is accepted.
    with pytest.raises(UnsupportedMedia):
        clean_photo(hostile_bytes("libtiff_segfault.tif"))
    clean_photo(hostile_bytes("hopper.png"))


def test_a_transparent_png_is_laid_on_white():
    img = Image.new("RGBA", (100, 100), (0, 0, 0, 0))
    ImageDraw.Draw(img).rectangle((0, 0, 49, 99), fill=(0, 0, 0, 255))

    stored = _open_rgb(clean_photo(_encode(img, "PNG")).content)

    assert all(v > 245 for v in stored.getpixel((90, 50)))
    assert all(v < 10 for v in stored.getpixel((10, 50)))


def test_a_png_with_metadata_chunks_is_stored_without_them():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "secret")
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta/>", zip=True)
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Scanner"
    data = _encode(Image.new("RGB", (64, 48), "teal"), "PNG",
                   pnginfo=info, icc_profile=icc, exif=exif)

    _assert_bare_jpeg(clean_photo(data).content)


def test_an_empty_upload_is_refused():
    with pytest.raises(Invalid) as caught:
        clean_photo(b"")
    assert caught.value.code == "upload.empty"


def test_a_photo_over_ten_megabytes_is_refused_as_too_large():
    data = b"\xff\xd8\xff" + bytes(uploads.MAX_PHOTO_BYTES)

    with pytest.raises(TooLarge) as caught:
        clean_photo(data)
    assert caught.value.code == "upload.too_large"
    assert caught.value.kind == "too_large"


@pytest.mark.parametrize("encode", [_png_claiming, _jpeg_claiming], ids=["png", "jpeg"])
@pytest.mark.parametrize("width, height", [
    (8000, 7000),     # over our 50 Mpx, under Pillow's own limits
    (10000, 10000),   # Pillow would warn (DecompressionBombWarning)
    (20000, 20000),   # Pillow would raise (DecompressionBombError)
])
def test_a_header_promising_too_many_pixels_is_refused_before_decoding(encode, width, height):
    with pytest.raises(Invalid) as caught:
        clean_photo(encode(width, height))
    assert caught.value.code == "upload.too_many_pixels"


def test_a_photo_just_under_the_pixel_limit_gets_past_the_pixel_check():
    # 7000 x 7000 = 49 Mpx passes; grey, it is 49 MB decoded, within the decoding
    # budget too; the 1x1 body then fails as corrupt.
    with pytest.raises(Invalid) as caught:
        clean_photo(_png_claiming(7000, 7000, "L"))
    assert caught.value.code == "upload.corrupt"


# --- bounded work: the decoded size, judged before decoding -------------------------


@pytest.mark.parametrize("mode", ["RGBA", "RGB", "P", "LA"])
def test_a_png_whose_bitmap_would_exceed_the_decoding_budget_is_refused_from_its_header(mode):
    # 7000 x 7000 is within the byte and pixel limits, but 196 MB once decoded.
    # The 1x1 body would be refused as corrupt: this answer is the header check's.
    with pytest.raises(Invalid) as caught:
        clean_photo(_png_claiming(7000, 7000, mode))
    assert caught.value.code == "upload.too_many_pixels"
    assert "JPG" in caught.value.message


def test_the_issues_seven_thousand_square_rgba_png_is_refused_without_a_decoding_slot(monkeypatch):
    # The real file of the issue (about 1 MB, valid, 7000x7000 RGBA). Refused while
    # every decoding slot is taken and waiting is not allowed: so it never reached
    # the decoder, only the header check.
    data = big_png(7000, 7000, noise_per_row=110)
    assert len(data) < uploads.MAX_PHOTO_BYTES
    monkeypatch.setattr(uploads, "DECODE_WAIT_SECONDS", 0)
    with _all_decoding_slots_taken():
        with pytest.raises(Invalid) as caught:
            clean_photo(data)
    assert caught.value.code == "upload.too_many_pixels"


@pytest.mark.parametrize("mode, size", [
    ("RGB", (4032, 3024)),     # a 12-megapixel phone picture saved as PNG
    ("RGBA", (4032, 3024)),
    ("L", (7000, 7000)),       # grey: one byte a pixel
])
def test_a_png_within_the_decoding_budget_gets_past_the_header_check(mode, size):
    with pytest.raises(Invalid) as caught:
        clean_photo(_png_claiming(*size, mode))
    assert caught.value.code == "upload.corrupt"


def test_a_jpeg_is_judged_at_the_size_draft_mode_decodes_it(monkeypatch):
    # 7000 x 7000 RGB would be 196 MB in full; draft mode decodes it at 1/2 (49 MB
    # at four bytes a pixel), within the budget, so it is decoded.
    decoded_sizes = []
    original_load = JpegImagePlugin.JpegImageFile.load

    def spying_load(self):
        decoded_sizes.append(self.size)
        return original_load(self)

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "load", spying_load)
    try:
        clean_photo(_jpeg_claiming(7000, 7000))
    except Invalid as refused:
        assert refused.code != "upload.too_many_pixels"
    assert decoded_sizes[0] == (3500, 3500)


def test_a_twelve_megapixel_rgba_png_is_accepted_shrunk_and_laid_on_white():
    data = big_png(4032, 3024, colour_type=6)  # fully transparent

    photo = clean_photo(data)

    assert (photo.width, photo.height) == (2048, 1536)
    stored = _open_rgb(photo.content)
    assert all(v > 245 for v in stored.getpixel((1000, 700)))


def test_a_twelve_megapixel_phone_jpeg_is_accepted():
    img = Image.effect_mandelbrot((4032, 3024), (-2.0, -1.2, 1.0, 1.2), 40).convert("RGB")
    photo = clean_photo(_encode(img, "JPEG", quality=90))

    assert (photo.width, photo.height) == (2016, 1512)  # draft: half size, under 2048
    _assert_bare_jpeg(photo.content)


@pytest.mark.parametrize("width, height, bytes_per_pixel, refused", [
    (4096, 3072, 4, False),    # exactly 48 MiB
    (4096, 3073, 4, True),
    (7000, 7000, 1, False),
    (7000, 7000, 4, True),
])
def test_the_decoding_budget_counts_bytes_per_pixel_not_only_pixels(width, height, bytes_per_pixel,
                                                                    refused):
    assert uploads.MAX_DECODED_BYTES == 4096 * 3072 * 4
    if refused:
        with pytest.raises(Invalid) as caught:
            uploads.judge_decoded_size(width, height, bytes_per_pixel)
        assert caught.value.code == "upload.too_many_pixels"
    else:
        uploads.judge_decoded_size(width, height, bytes_per_pixel)


def test_the_budget_leaves_room_for_two_bitmaps_and_the_upload():
    assert uploads.MAX_PHOTO_BYTES + 2 * uploads.MAX_DECODED_BYTES < uploads.PHOTO_MEMORY_BUDGET


# --- bounded work: how many decodes at once ------------------------------------------


@contextlib.contextmanager
def _all_decoding_slots_taken():
    for _ in range(uploads.DECODES_AT_ONCE):
        assert images._DECODE_SLOTS.acquire(timeout=5)
    try:
        yield
    finally:
        for _ in range(uploads.DECODES_AT_ONCE):
            images._DECODE_SLOTS.release()


def test_a_photo_that_finds_no_decoding_slot_in_time_is_refused_as_busy(monkeypatch):
    monkeypatch.setattr(uploads, "DECODE_WAIT_SECONDS", 0.05)
    with _all_decoding_slots_taken():
        with pytest.raises(uploads.DecodersBusy) as caught:
            clean_photo(hostile_bytes("hopper.jpg"))
    busy = caught.value
    assert (busy.code, busy.kind, busy.retry_after) == ("upload.busy", "unavailable", 2)
    assert "请稍等" in busy.message
    # Refusals that need no decoding are answered even then.
    with _all_decoding_slots_taken(), pytest.raises(UnsupportedMedia):
        clean_photo(hostile_bytes("libtiff_segfault.tif"))
    # And the slots are given back: the next photo is judged as usual.
    clean_photo(hostile_bytes("hopper.jpg"))


def test_a_decoding_slot_is_given_back_when_the_photo_is_refused():
    for _ in range(uploads.DECODES_AT_ONCE + 1):
        with pytest.raises(Invalid):
            clean_photo(hostile_bytes("truncated_jpeg.jpg"))
    for _ in range(uploads.DECODES_AT_ONCE):
        assert images._DECODE_SLOTS.acquire(timeout=0)
    for _ in range(uploads.DECODES_AT_ONCE):
        images._DECODE_SLOTS.release()


def test_no_more_than_the_allowed_decodes_run_at_once(monkeypatch):
    running, most = 0, 0
    lock = threading.Lock()
    original_load = JpegImagePlugin.JpegImageFile.load

    def counting_load(self):
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        try:
            time.sleep(0.05)
            return original_load(self)
        finally:
            with lock:
                running -= 1

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "load", counting_load)
    monkeypatch.setattr(uploads, "DECODE_WAIT_SECONDS", 10)
    data = hostile_bytes("hopper.jpg")
    threads = [threading.Thread(target=clean_photo, args=(data,)) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert most == uploads.DECODES_AT_ONCE


def test_a_cut_off_jpeg_is_refused_as_corrupt():
    data = _encode(Image.effect_noise((400, 300), 64).convert("RGB"), "JPEG")

    with pytest.raises(Invalid) as caught:
        clean_photo(data[: len(data) // 2])
    assert caught.value.code == "upload.corrupt"
    assert caught.value.message == "图片文件已损坏或不完整，请重新拍摄后上传。"


def test_cut_off_files_are_never_padded_out_leniently(monkeypatch):
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
    clean_photo(hostile_bytes("hopper.jpg"))
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False

    # Should anything switch lenient mode on, the adapter stops rather than
    # store grey-padded halves of photos.
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    with pytest.raises(RuntimeError):
        clean_photo(hostile_bytes("truncated_jpeg.jpg"))


@pytest.mark.parametrize("failure", [
    OSError("decoder error"), ValueError("bad value"), SyntaxError("bad header"),
    struct.error("unpack"), EOFError(), MemoryError(), IndexError(), ZeroDivisionError(),
    Image.DecompressionBombError("bomb"),
], ids=lambda exc: type(exc).__name__)
def test_an_unexpected_pillow_failure_becomes_a_422_not_a_crash(monkeypatch, failure):
    def failing_load(self):
        raise failure

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "load", failing_load)

    with pytest.raises(Invalid):
        clean_photo(hostile_bytes("hopper.jpg"))


def test_unreadable_exif_leaves_the_photo_unturned_rather_than_refused(monkeypatch):
    def broken_exif(image, **kwargs):
        raise SyntaxError("not a TIFF IFD")

    monkeypatch.setattr(ImageOps, "exif_transpose", broken_exif)

    photo = clean_photo(hostile_bytes("hopper_orientation_3.jpg"))
    _assert_bare_jpeg(photo.content)


# --- signatures ----------------------------------------------------------------


def test_a_drawn_signature_is_accepted_and_stored_as_a_bare_png():
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "someone else")
    data = _encode(_signature_canvas(), "PNG", pnginfo=info)

    signature = check_signature(data)

    assert isinstance(signature, SignaturePng)
    assert (signature.width, signature.height) == (600, 200)
    assert signature.sha256 == hashlib.sha256(signature.content).hexdigest()
    stored = Image.open(io.BytesIO(signature.content))
    assert stored.format == "PNG" and stored.mode == "RGBA"
    assert not stored.text
    for chunk in (b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"iCCP"):
        assert chunk not in signature.content


def test_a_signature_drawn_on_an_opaque_white_canvas_is_accepted():
    data = _encode(_signature_canvas(background=(255, 255, 255, 255)).convert("RGB"), "PNG")

    assert check_signature(data).width == 600


@pytest.mark.parametrize("canvas", [
    Image.new("RGB", (600, 200), "white"),
    Image.new("RGBA", (600, 200), (0, 0, 0, 0)),
    Image.new("RGBA", (600, 200), (255, 255, 255, 255)),
], ids=["white", "transparent", "white-opaque-rgba"])
def test_a_blank_signature_is_refused(canvas):
    with pytest.raises(Invalid) as caught:
        check_signature(_encode(canvas, "PNG"))
    assert caught.value.code == "signature.blank"
    assert caught.value.message == "签名过于简单或为空白，请在框内重新清晰签名。"


def test_a_single_dot_is_not_a_signature():
    img = Image.new("RGBA", (600, 200), (0, 0, 0, 0))
    ImageDraw.Draw(img).ellipse((300, 100, 306, 106), fill=(0, 0, 0, 255))

    with pytest.raises(Invalid) as caught:
        check_signature(_encode(img, "PNG"))
    assert caught.value.code == "signature.blank"


def test_white_or_faint_strokes_on_a_transparent_canvas_are_not_ink():
    r, g, b, alpha = _signature_canvas().split()
    paper = Image.new("L", alpha.size, 255)
    white = Image.merge("RGBA", (paper, paper, paper, alpha))
    faint = Image.merge("RGBA", (r, g, b, alpha.point(lambda a: min(a, 20))))

    for canvas in (white, faint):
        with pytest.raises(Invalid) as caught:
            check_signature(_encode(canvas, "PNG"))
        assert caught.value.code == "signature.blank"


def test_a_jpeg_signature_is_refused_as_unsupported_media():
    data = _encode(_signature_canvas().convert("RGB"), "JPEG")

    with pytest.raises(UnsupportedMedia) as caught:
        check_signature(data)
    assert caught.value.code == "signature.not_png"
    assert caught.value.message == "签名须为 PNG 图片。"


@pytest.mark.parametrize("size", [(2100, 800), (800, 1100)])
def test_a_signature_canvas_over_two_thousand_by_one_thousand_is_refused(size):
    with pytest.raises(Invalid) as caught:
        check_signature(_encode(_signature_canvas(size), "PNG"))
    assert caught.value.code == "signature.too_large_canvas"


def test_a_signature_header_promising_a_huge_canvas_is_refused_before_decoding():
    with pytest.raises(Invalid) as caught:
        check_signature(_png_claiming(20000, 20000))
    assert caught.value.code == "signature.too_large_canvas"


def test_a_signature_over_512_kilobytes_is_refused_as_too_large():
    noise = Image.frombytes("RGB", (800, 400), os.urandom(800 * 400 * 3))
    data = _encode(noise, "PNG")
    assert len(data) > uploads.MAX_SIGNATURE_BYTES

    with pytest.raises(TooLarge) as caught:
        check_signature(data)
    assert caught.value.code == "signature.too_large"


def test_a_cut_off_signature_is_refused_as_corrupt():
    data = _encode(_signature_canvas(), "PNG")

    with pytest.raises(Invalid) as caught:
        check_signature(data[: len(data) - 200])
    assert caught.value.code == "signature.corrupt"


# --- the pure rules ------------------------------------------------------------


@pytest.mark.parametrize("ink, width, height", [
    (0, 0, 0),                                   # blank
    (30, 6, 6),                                  # a dot
    (uploads.MIN_INK_PIXELS - 1, 300, 100),      # too little ink
    (600, 300, uploads.MIN_INK_BOX[1] - 1),      # one flat stroke
    (600, uploads.MIN_INK_BOX[0] - 1, 100),      # one upright stroke
])
def test_the_ink_rule_refuses_blank_dots_and_bare_strokes(ink, width, height):
    with pytest.raises(Invalid) as caught:
        uploads.judge_signature_ink(ink, width, height)
    assert caught.value.code == "signature.blank"


def test_the_ink_rule_accepts_just_enough_ink_over_just_enough_space():
    uploads.judge_signature_ink(uploads.MIN_INK_PIXELS, *uploads.MIN_INK_BOX)


@pytest.mark.parametrize("size, long_edge, fitted", [
    ((4000, 3000), 2048, (2048, 1536)),
    ((3000, 4000), 2048, (1536, 2048)),
    ((128, 128), 2048, (128, 128)),
    ((20000, 3), 320, (320, 1)),
])
def test_fitting_to_a_long_edge_keeps_the_aspect_and_never_enlarges(size, long_edge, fitted):
    assert uploads.fit_long_edge(*size, long_edge) == fitted


def test_sniffing_knows_only_jpeg_and_png_by_their_first_bytes():
    assert uploads.sniff_image_type(b"\xff\xd8\xff\xe0rest") == "image/jpeg"
    assert uploads.sniff_image_type(b"\x89PNG\r\n\x1a\nrest") == "image/png"
    assert uploads.sniff_image_type(b"GIF89a") is None
    assert uploads.sniff_image_type(b"II*\x00") is None
    assert uploads.sniff_image_type(b"") is None


def test_the_upload_rules_import_nothing_but_the_standard_library_and_the_domain():
    tree = ast.parse(inspect.getsource(uploads))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module}
    for module in imported:
        top = module.split(".")[0]
        assert top in sys.stdlib_module_names or module.startswith("backend.domain"), module
