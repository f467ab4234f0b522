#!/usr/bin/env python3
"""Benchmark: how long each hostile or awkward image takes to be judged.

Timings live here, not in pass/fail tests. Usage:
    .venv/bin/python scripts/bench_uploads.py [--repeat 5]
Prints one line per file of ../shared/hostile-images with the outcome and the
median time of clean_photo (the photo path) and check_signature; then, for a
12-megapixel phone JPEG, the photo path against a plain full decode of the same
file measured in the same run (the ratio issue 15 holds to 1.2 at most), where
its time goes, and what the JPEG optimising pass saves in bytes.
`--phone-only` skips the hostile files."""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from backend.adapters.images import check_signature, clean_photo  # noqa: E402
from backend.domain.errors import DomainError  # noqa: E402
from tests.hostile import hostile_bytes, hostile_files  # noqa: E402


def judge(function, data: bytes) -> str:
    try:
        function(data)
        return "accepted"
    except DomainError as exc:
        return exc.code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--phone-only", action="store_true", help="only the 12-megapixel photo")
    args = parser.parse_args()
    if not args.phone_only:
        hostile(args.repeat)
    phone(max(args.repeat, 7))


def cpu_ms(function, repeat: int) -> list[float]:
    """CPU times of `function` (this process's: steadier than wall time on a busy
    machine), in ms."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        function()
        times.append((time.process_time() - start) * 1000)
    return times


def median_ms(function, repeat: int) -> float:
    return statistics.median(cpu_ms(function, repeat))


def hostile(repeat: int) -> None:
    worst = 0.0
    for path in hostile_files():
        data = hostile_bytes(path)
        for name, function in (("photo", clean_photo), ("signature", check_signature)):
            times = []
            for _ in range(repeat):
                start = time.perf_counter()
                outcome = judge(function, data)
                times.append(time.perf_counter() - start)
            median = statistics.median(times)
            worst = max(worst, median)
            print(f"{median * 1000:8.1f} ms  {name:9}  {outcome:28}  {path}")
    print(f"slowest median: {worst * 1000:.1f} ms")


def phone(repeat: int) -> None:
    import io

    from PIL import Image

    from backend.adapters import images
    from backend.domain import uploads

    data = phone_photo()

    def plain_decode():
        with Image.open(io.BytesIO(data)) as img:
            img.load()

    def draft_decode():
        img = Image.open(io.BytesIO(data))
        img.draft("RGB", uploads.fit_long_edge(*img.size, uploads.DRAFT_LONG_EDGE))
        img.load()
        return img

    # Interleaved, so that a busier moment of the machine weighs on both alike.
    plain, pipeline = [], []
    for _ in range(3):
        plain += cpu_ms(plain_decode, repeat)
        pipeline += cpu_ms(lambda: clean_photo(data), repeat)
    print(f"\na 12-megapixel phone JPEG (4032×3024, {len(data) // 1024} KB), CPU time of {len(plain)} runs each, "
          "median (fastest):")
    print(f"{statistics.median(plain):8.1f} ms ({min(plain):.1f})  plain decode (Image.open + load, full size)")
    print(f"{statistics.median(pipeline):8.1f} ms ({min(pipeline):.1f})  photo pipeline "
          "(clean_photo: stored photo and thumbnail)")
    print(f"{statistics.median(pipeline) / statistics.median(plain):8.2f}    ({min(pipeline) / min(plain):.2f})  "
          "pipeline ÷ plain decode (issue 15: at most 1.2)")

    decoded = draft_decode()
    stored = images._shrink(decoded, uploads.MAX_LONG_EDGE)
    print("where the pipeline's time goes:")
    print(f"{median_ms(draft_decode, repeat):8.1f} ms  draft decode to {decoded.size[0]}×{decoded.size[1]}")
    print(f"{median_ms(lambda: images._upright(stored), repeat):8.1f} ms  orientation (none to apply here)")
    print(f"{median_ms(lambda: images._encode_jpeg(stored.copy()), repeat):8.1f} ms  JPEG encode "
          f"(optimize={uploads.JPEG_OPTIMIZE})")
    print(f"{median_ms(lambda: images._shrink(stored, uploads.THUMB_LONG_EDGE, reducing_gap=2.0), repeat):8.1f} ms  "
          "thumbnail resize")

    sizes = {}
    for optimize in (True, False):
        out = io.BytesIO()
        stored.save(out, "JPEG", quality=uploads.JPEG_QUALITY, optimize=optimize)
        sizes[optimize] = len(out.getvalue())
    encode = {optimize: median_ms(lambda o=optimize: stored.save(io.BytesIO(), "JPEG", quality=uploads.JPEG_QUALITY,
                                                                   optimize=o), repeat)
              for optimize in (True, False)}
    print(f"optimize pass: {sizes[True] // 1024} KB vs {sizes[False] // 1024} KB without "
          f"({(sizes[False] - sizes[True]) / sizes[False]:.1%} smaller), "
          f"{encode[True]:.1f} ms vs {encode[False]:.1f} ms to encode")


def phone_photo(size: tuple[int, int] = (4032, 3024), quality: int = 90) -> bytes:
    """A phone camera's JPEG: by default 4032×3024 (12 megapixels), about 3.7 MB, with
    detail and sensor-like noise to encode and EXIF as a phone writes it (maker,
    model, and orientation 6: the picture is to be turned 90°). scripts/bench.py
    uses it too (its photo figure, and a 1600×1200 one of about 200 KB for uploads)."""
    import io

    from PIL import Image

    width, height = size
    detail = Image.effect_mandelbrot((width, height), (-2.0, -1.2, 1.0, 1.2), 60)
    noise = Image.effect_noise((width, height), 24)
    gradient = Image.linear_gradient("L").resize((width, height))
    image = Image.merge("RGB", (Image.blend(detail, noise, 0.35), Image.blend(gradient, noise, 0.3),
                                Image.blend(detail.rotate(180), gradient, 0.5)))
    exif = Image.Exif()
    exif[0x010F], exif[0x0110], exif[0x0112] = "Xiaomi", "Redmi Note 12", 6
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=quality, exif=exif.tobytes())
    return buffer.getvalue()


if __name__ == "__main__":
    main()
