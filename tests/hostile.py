"""The shared hostile images (crashers, bombs, odd metadata) and what a good
server does with each. See README.md in the folder; unit and API tests share
this table, so every upload path is held to the same verdicts."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]

REFUSED = "refused"    # a domain error: 415, 413 or 422 -- never a 500, never a hang
ACCEPTED = "accepted"  # stored as a JPEG with no metadata at all
UPRIGHT = "upright"    # accepted, and turned the way its EXIF orientation says


def hostile_dir() -> Path:
    """The folder of hostile images: $SHARED_DIR/hostile-images, by default
    next to the repository (../shared/hostile-images)."""
    shared = Path(os.environ.get("SHARED_DIR", REPO_ROOT.parent / "shared"))
    return shared / "hostile-images"


def hostile_files() -> list[str]:
    """Names of all image files in the folder (the README excluded)."""
    return sorted(p.name for p in hostile_dir().iterdir()
                  if p.is_file() and p.name != "README.md")


def hostile_bytes(name: str) -> bytes:
    return (hostile_dir() / name).read_bytes()


def names(outcome: str) -> list[str]:
    """The files expected to have `outcome`."""
    return sorted(name for name, expected in EXPECTED.items() if expected == outcome)


# Every file in the folder, by name: a test fails when a file appears without
# an entry here, so nobody adds a hostile image without deciding its verdict.
EXPECTED: dict[str, str] = {
    # Fuzzer finds in decoders an ID photo never needs: refused by content
    # before Pillow sees them (415).
    "crash-0c7e0e8e11ce787078f00b5b0ca409a167f070e0.tif": REFUSED,
    "crash-0da013a13571cc8eb457a39fee8db18f8a3c7127.tif": REFUSED,
    "crash-0e16d3bfb83be87356d026d66919deaefca44dac.tif": REFUSED,
    "crash-1152ec2d1a1a71395b6f2ce6721c38924d025bf3.tif": REFUSED,
    "crash-1185209cf7655b5aed8ae5e77784dfdd18ab59e9.tif": REFUSED,
    "crash-2020-10-test.tif": REFUSED,
    "crash-338516dbd2f0e83caddb8ce256c22db3bd6dc40f.tif": REFUSED,
    "crash-465703f71a0f0094873a3e0e82c9f798161171b8.sgi": REFUSED,
    "crash-4f085cc12ece8cde18758d42608bed6a2a2cfb1c.tif": REFUSED,
    "crash-4fb027452e6988530aa5dabee76eecacb3b79f8a.j2k": REFUSED,
    "crash-5762152299364352.fli": REFUSED,
    "crash-63b1dffefc8c075ddc606c0a2f5fdc15ece78863.tif": REFUSED,
    "crash-64834657ee604b8797bf99eac6a194c124a9a8ba.sgi": REFUSED,
    "crash-6b7f2244da6d0ae297ee0754a424213444e92778.sgi": REFUSED,
    "crash-74d2a78403a5a59db1fb0a2b8735ac068a75f6e3.tif": REFUSED,
    "crash-754d9c7ec485ffb76a90eeaab191ef69a2a3a3cd.sgi": REFUSED,
    "crash-7d4c83eb92150fb8f1653a697703ae06ae7c4998.j2k": REFUSED,
    "crash-86214e58da443d2b80820cff9677a38a33dcbbca.tif": REFUSED,
    "crash-abcf1c97b8fe42a6c68f1fb0b978530c98d57ced.sgi": REFUSED,
    "crash-b82e64d4f3f76d7465b6af535283029eda211259.sgi": REFUSED,
    "crash-c1b2595b8b0b92cc5f38b6635e98e3a119ade807.sgi": REFUSED,
    "crash-ccca68ff40171fdae983d924e127a721cab2bd50.j2k": REFUSED,
    "crash-d2c93af851d3ab9a19e34503626368b2ecde9c03.j2k": REFUSED,
    "crash-db8bfa78b19721225425530c5946217720d7df4e.sgi": REFUSED,
    "crash-f46f5b2f43c370fe65706c11449f567ecc345e74.tif": REFUSED,
    "fli_overrun.bin": REFUSED,
    "fli_overrun2.bin": REFUSED,
    "libtiff_segfault.tif": REFUSED,
    "pcx_overrun.bin": REFUSED,
    "pcx_overrun2.bin": REFUSED,
    "sgi_overrun.bin": REFUSED,
    # Headers promising a huge bitmap (GIF, ICO): refused by content (415).
    "decompression_bomb.gif": REFUSED,
    "decompression_bomb.ico": REFUSED,
    "decompression_bomb_extents.gif": REFUSED,
    # A PNG whose text chunks inflate without end (422).
    "png_decompression_dos.png": REFUSED,
    # Cut-off or corrupt: they open, and fail when fully decoded (422).
    "broken.png": REFUSED,
    "broken_data_stream.png": REFUSED,
    "truncated_end_chunk.png": REFUSED,
    "truncated_image.png": REFUSED,
    "truncated_jpeg.jpg": REFUSED,
    # Despite its name (and the README's `truncated_*` row) the *image* in this
    # file is whole: Pillow's tests hex-edited only the length of its Adobe APP14
    # segment, and libjpeg decodes every pixel (a red "RED" on black). Refusing
    # it would refuse a readable photo; it carries EXIF, XMP, Photoshop and ICC
    # blocks, which makes it a good test that all metadata is dropped.
    "truncated_app14.jpg": ACCEPTED,
    # Odd or hostile metadata: accepted, stored with none of it.
    "exif_gps.jpg": ACCEPTED,
    "invalid-exif.jpg": ACCEPTED,
    "hopper_bad_exif.jpg": ACCEPTED,
    "multiple_exif.jpg": ACCEPTED,
    # Plain good images.
    "hopper.jpg": ACCEPTED,
    "hopper.png": ACCEPTED,
    # Transposed copies of hopper.jpg whose EXIF orientation undoes the transpose.
    "hopper_orientation_2.jpg": UPRIGHT,
    "hopper_orientation_3.jpg": UPRIGHT,
    "hopper_orientation_4.jpg": UPRIGHT,
    "hopper_orientation_5.jpg": UPRIGHT,
    "hopper_orientation_6.jpg": UPRIGHT,
    "hopper_orientation_7.jpg": UPRIGHT,
    "hopper_orientation_8.jpg": UPRIGHT,
}


def big_png(width: int, height: int, *, colour_type: int = 6, noise_per_row: int = 0,
            seed: int = 1) -> bytes:
    """A real, valid PNG of width x height (colour type 6 = RGBA, 2 = RGB, 0 = grey,
    8 bits), built row by row without ever holding the bitmap: the issue's "1 MB
    7000x7000 RGBA PNG" is `big_png(7000, 7000, noise_per_row=150)`. Rows are
    transparent black with `noise_per_row` random bytes each, so the file's size
    can be dialled up from ~50 KB."""
    import random
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body)))

    channels = {0: 1, 2: 3, 6: 4}[colour_type]
    row_bytes = width * channels
    rng = random.Random(seed)
    squeeze = zlib.compressobj(6)
    idat = []
    blank = bytes(row_bytes)
    for _ in range(height):
        row = bytearray(blank)
        if noise_per_row:
            start = rng.randrange(0, max(1, row_bytes - noise_per_row))
            row[start:start + noise_per_row] = rng.randbytes(min(noise_per_row, row_bytes))
        idat.append(squeeze.compress(b"\0" + bytes(row)))
    idat.append(squeeze.flush())
    ihdr = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", b"".join(idat))
            + chunk(b"IEND", b""))
