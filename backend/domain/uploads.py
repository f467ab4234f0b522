"""Upload policy: the numbers and pure rules for ID photos and pledge signatures.

Standard library only. Decoding pictures is the job of `backend.adapters.images`;
this module decides what is acceptable, so the rules can be read and tested
without any image library.
"""

from __future__ import annotations

from backend.domain.errors import Invalid, TooLarge

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
