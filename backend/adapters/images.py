"""Image handling with Pillow: cleaning uploaded photos and checking signatures.

Uploads come from the public internet, so every byte is treated as hostile:

* the type is judged by content (magic bytes), and only Pillow's JPEG and PNG
  plugins ever see the data -- the many other decoders Pillow ships (TIFF, SGI,
  JPEG 2000, FLI, PCX ...) are where fuzzers keep finding crashes, and an ID
  photo never needs them;
* the pixel count the header promises, and the memory its decoded bitmap would
  take, are checked before any bitmap is decoded; JPEGs are decoded at reduced
  size (draft mode), and the picture is shrunk first, so everything after the
  decode works on a small copy (the budget is in `backend.domain.uploads`);
* a worker decodes at most `DECODES_AT_ONCE` photos at once; an upload that finds
  no free slot soon enough is answered 503 `upload.busy` with `Retry-After`;
* the picture is decoded in full, so truncated or corrupt files are refused
  rather than stored half grey;
* what is stored is re-encoded from pixels alone: no EXIF (GPS!), ICC profile,
  comment or XMP survives.

Any failure inside Pillow becomes a domain error (422) with a Chinese message,
never a 500. The policy numbers live in `backend.domain.uploads`.
"""

from __future__ import annotations

import hashlib
import io
import threading
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from PIL import ExifTags, Image, ImageChops, ImageFile, ImageOps

from backend.domain import uploads
from backend.domain.errors import DomainError, Invalid, UnsupportedMedia

_PILLOW_FORMAT = {uploads.JPEG: "JPEG", uploads.PNG: "PNG"}

_PHOTO_CORRUPT = "图片文件已损坏或不完整，请重新拍摄后上传。"
_SIGNATURE_CORRUPT = "签名图片已损坏或不完整，请重新签名。"


@dataclass(frozen=True)
class CleanedPhoto:
    """A photo fit to store: upright, at most MAX_LONG_EDGE, metadata-free JPEG."""

    content: bytes
    thumbnail: bytes
    width: int
    height: int
    sha256: str
    media_type: str = uploads.JPEG


@dataclass(frozen=True)
class SignaturePng:
    """A signature fit to store: an RGBA PNG without text or other chunks."""

    content: bytes
    width: int
    height: int
    sha256: str


def clean_photo(data: bytes) -> CleanedPhoto:
    """Turn an uploaded photo into a stored one, or raise a domain error.

    415 `upload.unsupported_type` if the content is neither JPEG nor PNG;
    413 `upload.too_large` over MAX_PHOTO_BYTES; 422 `upload.empty`,
    `upload.too_many_pixels` or `upload.corrupt` otherwise."""
    uploads.judge_photo_bytes(len(data))
    media_type = uploads.sniff_image_type(data)
    if media_type is None:
        raise UnsupportedMedia("仅支持 JPG 或 PNG 格式的照片，请重新拍摄或选择。",
                               code="upload.unsupported_type")

    with _decoding(code="upload.corrupt", message=_PHOTO_CORRUPT,
                   bomb=uploads.too_many_pixels):
        img = _open(data, media_type)
        uploads.judge_photo_pixels(*img.size)
        if media_type == uploads.JPEG:
            # Let libjpeg scale down by 1/2, 1/4 or 1/8 while decoding, as far as
            # it can without going below the stored size: a 48-megapixel photo is
            # then never held in memory at full size. (PNG has no such mode.)
            img.draft("RGB", uploads.fit_long_edge(*img.size, uploads.DRAFT_LONG_EDGE))
        working_mode = _working_mode(img)
        # The size as it will be decoded (after draft), before a pixel is: a PNG
        # promising 7000x7000 RGBA is refused here, having cost a header read.
        uploads.judge_decoded_size(*img.size, _BYTES_PER_PIXEL[working_mode])
        with _decode_slot():
            img.load()
            # Shrink first, so that turning and flattening work on the stored size.
            # Each step rebinds `img`, freeing the bitmap before: no more than two
            # full-size bitmaps (the decoded one and its converted or premultiplied
            # copy) are ever held at once.
            img = _to_mode(img, working_mode)
            img = _shrink(img, uploads.MAX_LONG_EDGE)
            img = _upright(img)
            img = _flatten_to_rgb(img)
            content = _encode_jpeg(img)
            # From the stored picture, already shrunk; a box reduction by a whole
            # factor first, then Lanczos over the last stretch (a 320 px thumbnail
            # differs from a full Lanczos by a quarter of a grey level on average).
            thumbnail = _encode_jpeg(_shrink(img, uploads.THUMB_LONG_EDGE, reducing_gap=2.0))

    return CleanedPhoto(content=content, thumbnail=thumbnail,
                        width=img.width, height=img.height,
                        sha256=hashlib.sha256(content).hexdigest())


def check_signature(data: bytes) -> SignaturePng:
    """Accept a drawn signature as PNG, or raise a domain error.

    415 `signature.not_png` unless the content is PNG; 413 `signature.too_large`
    over MAX_SIGNATURE_BYTES; 422 `signature.too_large_canvas`,
    `signature.corrupt` or `signature.blank` otherwise."""
    uploads.judge_signature_bytes(len(data))
    if uploads.sniff_image_type(data) != uploads.PNG:
        raise UnsupportedMedia("签名须为 PNG 图片。", code="signature.not_png")

    with _decoding(code="signature.corrupt", message=_SIGNATURE_CORRUPT,
                   bomb=uploads.signature_canvas_too_large):
        img = _open(data, uploads.PNG)
        uploads.judge_signature_canvas(*img.size)
        img.load()
        ink_pixels, (box_width, box_height) = _measure_ink(img)
        uploads.judge_signature_ink(ink_pixels, box_width, box_height)
        # Re-encode from pixels alone, so text chunks (and anything else a
        # client slipped into the file) are not stored.
        content = _encode_png(img.convert("RGBA"))

    return SignaturePng(content=content, width=img.width, height=img.height,
                        sha256=hashlib.sha256(content).hexdigest())


# --- decoding ------------------------------------------------------------------

# One per worker process (each imports this module; threads share it).
_DECODE_SLOTS = threading.BoundedSemaphore(uploads.DECODES_AT_ONCE)


@contextmanager
def _decode_slot() -> Iterator[None]:
    """Hold one of the worker's decoding slots, or raise 503 `upload.busy` when
    none frees up within DECODE_WAIT_SECONDS."""
    if not _DECODE_SLOTS.acquire(timeout=uploads.DECODE_WAIT_SECONDS):
        raise uploads.DecodersBusy()
    try:
        yield
    finally:
        _DECODE_SLOTS.release()


# What Pillow holds a picture of each working mode in: a one-band picture in one
# byte a pixel, RGB and RGBA both in four (RGB is padded).
_BYTES_PER_PIXEL = {"L": 1, "RGB": 4, "RGBA": 4}


def _working_mode(img: Image.Image) -> str:
    """The mode the picture is shrunk in: L for grey without transparency, RGBA
    when there is transparency to lay on white afterwards, else RGB. (Palette,
    16-bit and CMYK pictures cannot be resampled well as they are.)"""
    if img.has_transparency_data:
        return "RGBA"
    if img.mode in ("1", "L"):
        return "L"
    return "RGB"


def _to_mode(img: Image.Image, mode: str) -> Image.Image:
    return img if img.mode == mode else img.convert(mode)


# `warnings.catch_warnings` swaps process-wide state, so two threads inside it at
# once can leave the filters of one behind for good. The lock keeps our own
# callers from interleaving; it is held only around header and EXIF parsing,
# never around the slow pixel decoding.
_WARNINGS_LOCK = threading.Lock()


@contextmanager
def _quiet_pillow() -> Iterator[None]:
    """Pillow warnings, silenced -- except a decompression bomb, which is raised.

    Pillow warns when a header promises over ~89 Mpx (and raises past twice
    that); our own, lower limit refuses those anyway, so the warning is made an
    exception to be reported as such. Other warnings (e.g. "Corrupt EXIF data")
    concern metadata we throw away."""
    with _WARNINGS_LOCK, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        yield


@contextmanager
def _decoding(*, code: str, message: str,
              bomb: Callable[[], DomainError]) -> Iterator[None]:
    """Turn whatever Pillow raises into a domain error.

    Hostile files have made Pillow raise nearly every exception type over the
    years (OSError, ValueError, SyntaxError, struct.error, EOFError, IndexError,
    ZeroDivisionError, MemoryError ...), so anything but our own domain errors
    is an unreadable image: 422, never a 500. `bomb` builds the error for a
    header Pillow itself judges a decompression bomb."""
    _require_strict_decoding()
    try:
        yield
    except DomainError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise bomb() from exc
    except Exception as exc:  # noqa: BLE001 -- see docstring
        raise Invalid(message, code=code) from exc


def _require_strict_decoding() -> None:
    """Refuse to work if someone switched on Pillow's lenient truncated mode:
    it would silently pad cut-off files with grey and let them through."""
    if ImageFile.LOAD_TRUNCATED_IMAGES:
        raise RuntimeError("PIL.ImageFile.LOAD_TRUNCATED_IMAGES must stay False")


def _open(data: bytes, media_type: str) -> Image.Image:
    """Read the header with the one plugin the content claims to be, no other."""
    with _quiet_pillow():
        return Image.open(io.BytesIO(data), formats=[_PILLOW_FORMAT[media_type]])


# EXIF orientations that turn or mirror the picture (1, or none, leaves it as it is).
_TURNED = frozenset(range(2, 9))


def _upright(img: Image.Image) -> Image.Image:
    """Apply the EXIF orientation, or leave the image as it is if the EXIF
    cannot be read: a sideways photo is better than a refused one. A picture
    already upright (most are) is returned as it is, not copied."""
    try:
        with _quiet_pillow():
            if img.getexif().get(ExifTags.Base.Orientation) not in _TURNED:
                return img
            return ImageOps.exif_transpose(img)
    except Exception:  # noqa: BLE001 -- broken EXIF is not the user's fault
        return img


def _flatten_to_rgb(img: Image.Image) -> Image.Image:
    """RGB, with any transparency laid on white (as on a printed form)."""
    if img.has_transparency_data:
        rgba = img.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return img if img.mode == "RGB" else img.convert("RGB")


def _shrink(img: Image.Image, long_edge: int, *, reducing_gap: float = 3.0) -> Image.Image:
    size = uploads.fit_long_edge(img.width, img.height, long_edge)
    if size == img.size:
        return img
    return img.resize(size, Image.Resampling.LANCZOS, reducing_gap=reducing_gap)


def _bare(img: Image.Image) -> Image.Image:
    """A copy holding pixels only. Pillow's encoders fall back to `img.info` for
    some metadata (a JPEG comment, a PNG ICC profile), so a fresh image is the
    sure way to write none."""
    bare = Image.new(img.mode, img.size)
    bare.paste(img)
    return bare


def _encode_jpeg(img: Image.Image) -> bytes:
    """Pixels alone: Pillow's JPEG encoder writes EXIF, ICC, XMP and DPI only when
    told to (it is not), and a comment from `img.info`, which is emptied first
    (the picture is ours: decoded from the upload's bytes). No copy of the bitmap
    for that, unlike `_bare`."""
    img.info = {}
    out = io.BytesIO()
    img.save(out, "JPEG", quality=uploads.JPEG_QUALITY, optimize=uploads.JPEG_OPTIMIZE)
    return out.getvalue()


def _encode_png(img: Image.Image) -> bytes:
    out = io.BytesIO()
    _bare(img).save(out, "PNG", optimize=True)
    return out.getvalue()


def _measure_ink(img: Image.Image) -> tuple[int, tuple[int, int]]:
    """(number of ink pixels, (width, height) of the box around them)."""
    if img.has_transparency_data:
        rgba = img.convert("RGBA")
        opaque = rgba.getchannel("A").point(
            lambda a: 255 if a > uploads.INK_MIN_ALPHA else 0)
        # RGBA -> L uses the colour alone, so this is the stroke's own colour.
        coloured = rgba.convert("L").point(
            lambda v: 255 if v < uploads.INK_NEAR_WHITE else 0)
        mask = ImageChops.multiply(opaque, coloured)  # 255 only where both are
    else:
        mask = img.convert("L").point(
            lambda v: 255 if v < uploads.INK_MAX_LUMINANCE else 0)
    ink_pixels = mask.histogram()[255]
    box = mask.getbbox()
    if box is None:
        return ink_pixels, (0, 0)
    left, top, right, bottom = box
    return ink_pixels, (right - left, bottom - top)
