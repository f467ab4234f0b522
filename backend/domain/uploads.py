"""Upload policy: the numbers and pure rules for ID photos and pledge signatures.

Standard library only. Decoding pictures is the job of `backend.adapters.images`;
this module decides what is acceptable, so the rules can be read and tested
without any image library.
"""

from __future__ import annotations

from backend.domain.errors import DomainError, Invalid, TooLarge

# --- photos --------------------------------------------------------------------

MAX_PHOTO_BYTES = 10 * 1024 * 1024
"""Largest photo upload accepted, in bytes (issue: photo uploads).
A phone JPEG is 2-6 MB; anything bigger is refused before it is looked at."""

MAX_PHOTO_PIXELS = 50_000_000
"""Most pixels (width x height, as the file header claims) a photo may have
(issue: photo uploads). Checked before the bitmap is decoded, so a small file
that promises a huge bitmap never gets memory allocated for it."""

MAX_LONG_EDGE = 2048
"""Long edge of the stored photo, in pixels (issue: photo uploads).
Larger photos are scaled down; smaller ones are never enlarged."""

THUMB_LONG_EDGE = 320
"""Long edge of the thumbnail shown in lists (issue: photo uploads)."""

JPEG_QUALITY = 85
"""Quality of re-encoded JPEGs (issue: photo uploads): faces and text on ID
documents stay sharp at a fraction of the camera's file size."""

JPEG_OPTIMIZE = True
"""Whether re-encoded JPEGs get libjpeg's second, Huffman-optimising pass
(issue 15, measured by scripts/bench_uploads.py): it costs about a third of the
encoding time and saves about a tenth of the stored size."""

JPEG = "image/jpeg"
PNG = "image/png"

# --- signatures ----------------------------------------------------------------

MAX_SIGNATURE_BYTES = 512 * 1024
"""Largest signature upload accepted, in bytes (issue: pledge signature)."""

MAX_SIGNATURE_SIZE = (2000, 1000)
"""Largest signature canvas, (width, height) in pixels (issue: pledge signature).
The mini-program's signing pad is far smaller; checked before decoding."""

MIN_INK_PIXELS = 150
"""Fewest inked pixels a signature must have (issue: pledge signature):
fewer is a tap or a smudge, not a name."""

MIN_INK_BOX = (40, 15)
"""Smallest (width, height) of the box around all ink (issue: pledge signature):
a dot or a single flat stroke is not accepted as a signature."""

INK_MIN_ALPHA = 32
"""On a canvas with transparency, a pixel is ink only if its alpha exceeds this
(issue: pledge signature); fainter pixels are antialiasing haze."""

INK_NEAR_WHITE = 230
"""On a canvas with transparency, a pixel at or above this luminance (0-255) is
not ink (issue: pledge signature): white strokes vanish on the printed pledge."""

INK_MAX_LUMINANCE = 200
"""On an opaque canvas, a pixel is ink only below this luminance (0-255)
(issue: pledge signature). The paper background is part of the pixels here,
so the bar is stricter than for transparent canvases."""

_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_JPEG_MAGIC = b"\xff\xd8\xff"


def sniff_image_type(data: bytes) -> str | None:
    """The media type the content itself shows, JPEG or PNG, else None
    (issue: photo uploads). File names and declared types are never consulted:
    a client can say anything about those."""
    if data.startswith(_JPEG_MAGIC):
        return JPEG
    if data.startswith(_PNG_MAGIC):
        return PNG
    return None


def judge_photo_bytes(size: int) -> None:
    """Refuse an empty or oversized photo upload (issue: photo uploads)."""
    if size <= 0:
        raise Invalid("没有收到照片内容，请重新选择照片后上传。", code="upload.empty")
    if size > MAX_PHOTO_BYTES:
        raise TooLarge("照片不能超过 10 MB，请压缩或重新拍摄后上传。", code="upload.too_large")


def too_many_pixels() -> Invalid:
    """The error for a photo whose header promises too big a bitmap
    (issue: photo uploads); shared by our own check and Pillow's bomb guard."""
    return Invalid("照片分辨率过高（超过 5000 万像素），请缩小后重新上传。",
                   code="upload.too_many_pixels")


def judge_photo_pixels(width: int, height: int) -> None:
    """Refuse a photo whose header promises more than MAX_PHOTO_PIXELS
    (issue: photo uploads)."""
    if width <= 0 or height <= 0:
        raise Invalid("图片文件已损坏或不完整，请重新拍摄后上传。", code="upload.corrupt")
    if width * height > MAX_PHOTO_PIXELS:
        raise too_many_pixels()


# --- how much work judging one photo may cost -------------------------------------
#
# A 1 MB PNG can promise 7000x7000 RGBA: within the byte and pixel limits above, yet
# 196 MB once decoded, and our pipeline used to hold four or five such bitmaps at once
# (0.75 GB a request). PNG cannot be decoded at reduced size, so the decoded size is
# judged from the header, before any pixel is decoded, and the pipeline shrinks first
# and works on the small picture after.
#
# The budget, per request: the upload (<= MAX_PHOTO_BYTES, 10 MB) + the decoded bitmap
# + one working copy of it (the conversion to the working mode, or the premultiplied
# copy Pillow makes to resize with alpha) + the small stored picture and thumbnail
# (2048 px long edge: < 17 MB each step) -- at most 10 + 2 x 48 + ~30 MB, under
# PHOTO_MEMORY_BUDGET. scripts/bench_abuse.py measures it.

PHOTO_MEMORY_BUDGET = 150 * 1000 * 1000
"""Most memory (bytes) judging one photo may take, on top of the idle worker (issue:
abuse resistance). Not checked at run time: it is what MAX_DECODED_BYTES is derived
from (see above), and what the benchmark measures."""

MAX_DECODED_BYTES = 48 * 1024 * 1024
"""Largest decoded bitmap (width x height x bytes per pixel, as Pillow holds it while
we work) a photo may need, judged from the header before decoding (issue: abuse
resistance). Pillow keeps a one-band picture in 1 byte a pixel and every other one
(RGB included) in 4, so a colour picture may have about 12.5 megapixels once decoded:
a 12-megapixel phone picture saved as PNG (4032x3024) fits; a 7000x7000 PNG (196 MB)
does not. JPEG is judged at the size draft mode decodes it (1/2, 1/4 or 1/8), so
every JPEG within MAX_PHOTO_PIXELS fits."""

DECODES_AT_ONCE = 2
"""How many photos one worker process decodes at once (issue: abuse resistance).
With the budget above, a worker never holds more than 2 x 150 MB of pictures; the
machine has two cores, so more at once would only share them more thinly."""

DECODE_WAIT_SECONDS = 1.0
"""How long an upload waits for a free decoding slot before it is answered 503
`upload.busy` (issue: abuse resistance). Short, so that a flood of uploads does not
hold the worker's threads (and `/healthz`) in a queue."""

BUSY_RETRY_AFTER_SECONDS = 2
"""`Retry-After` sent with 503 `upload.busy`: a photo takes well under a second to
judge, so a retry after two is likely to find a slot."""


class DecodersBusy(DomainError):
    """Every decoding slot of this worker stayed taken for DECODE_WAIT_SECONDS (503)."""

    kind = "unavailable"
    code = "upload.busy"
    message = "当前上传照片的人较多，请稍等几秒后重新上传。"
    retry_after = BUSY_RETRY_AFTER_SECONDS


def decoded_too_large() -> Invalid:
    """The error for a photo whose decoded bitmap would exceed MAX_DECODED_BYTES
    (issue: abuse resistance). Same code as too many pixels: for the person it is the
    same fault, and the same fix (a smaller picture, or a JPG)."""
    return Invalid("照片分辨率过高，请缩小后或改用 JPG 格式重新上传。",
                   code="upload.too_many_pixels")


def judge_decoded_size(width: int, height: int, bytes_per_pixel: int) -> None:
    """Refuse a photo whose decoded bitmap would exceed MAX_DECODED_BYTES
    (issue: abuse resistance). Called with the header's size (after JPEG draft)
    before any pixel is decoded."""
    if width * height * bytes_per_pixel > MAX_DECODED_BYTES:
        raise decoded_too_large()


DRAFT_LONG_EDGE = 2000
"""JPEG draft mode may decode at 1/2, 1/4 or 1/8 scale as long as the long edge stays
at least this: a 12-megapixel phone photo (4032×3024) then decodes at 2016×1512
instead of full size, about four times less work, and an ID card stays legible
(issue: "Use Pillow's JPEG draft mode so a 12-megapixel phone photo does not cost a
full-size decode")."""


def fit_long_edge(width: int, height: int, long_edge: int) -> tuple[int, int]:
    """(width, height) scaled so the long edge is at most `long_edge`, keeping the
    aspect ratio; never enlarged, never below 1 px (issue: photo uploads)."""
    longest = max(width, height)
    if longest <= long_edge:
        return width, height
    scale = long_edge / longest
    return max(1, round(width * scale)), max(1, round(height * scale))


def judge_signature_bytes(size: int) -> None:
    """Refuse an empty or oversized signature upload (issue: pledge signature)."""
    if size <= 0:
        raise Invalid("签名过于简单或为空白，请在框内重新清晰签名。", code="signature.blank")
    if size > MAX_SIGNATURE_BYTES:
        raise TooLarge("签名图片不能超过 512 KB，请清除后重新签名。", code="signature.too_large")


def signature_canvas_too_large() -> Invalid:
    """The error for a signature canvas over MAX_SIGNATURE_SIZE
    (issue: pledge signature); shared by our own check and Pillow's bomb guard."""
    max_w, max_h = MAX_SIGNATURE_SIZE
    return Invalid(f"签名图片尺寸过大（最大 {max_w}×{max_h} 像素），请在签名框内重新签名。",
                   code="signature.too_large_canvas")


def judge_signature_canvas(width: int, height: int) -> None:
    """Refuse a signature canvas wider or taller than MAX_SIGNATURE_SIZE
    (issue: pledge signature)."""
    if width <= 0 or height <= 0:
        raise Invalid("签名图片已损坏或不完整，请重新签名。", code="signature.corrupt")
    max_w, max_h = MAX_SIGNATURE_SIZE
    if width > max_w or height > max_h:
        raise signature_canvas_too_large()


def judge_signature_ink(ink_pixels: int, box_width: int, box_height: int) -> None:
    """Refuse a blank signature, a mere dot or too little ink
    (issue: pledge signature).

    `ink_pixels` counts visibly drawn pixels; `box_width` x `box_height` is the
    bounding box around all of them (0 x 0 when there is no ink)."""
    min_w, min_h = MIN_INK_BOX
    if ink_pixels < MIN_INK_PIXELS or box_width < min_w or box_height < min_h:
        raise Invalid("签名过于简单或为空白，请在框内重新清晰签名。", code="signature.blank")
