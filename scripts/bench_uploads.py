#!/usr/bin/env python3
"""Benchmark: how long each hostile or awkward image takes to be judged.

Timings live here, not in pass/fail tests. Usage:
    .venv/bin/python scripts/bench_uploads.py [--repeat 5]
Prints one line per file of ../shared/hostile-images with the outcome and the
median time of clean_photo (the photo path) and check_signature."""

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
    args = parser.parse_args()
    worst = 0.0
    for path in hostile_files():
        data = hostile_bytes(path)
        for name, function in (("photo", clean_photo), ("signature", check_signature)):
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                outcome = judge(function, data)
                times.append(time.perf_counter() - start)
            median = statistics.median(times)
            worst = max(worst, median)
            print(f"{median * 1000:8.1f} ms  {name:9}  {outcome:28}  {path}")
    print(f"slowest median: {worst * 1000:.1f} ms")
    phone = phone_photo()
    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        clean_photo(phone)
        times.append(time.perf_counter() - start)
    print(f"{statistics.median(times) * 1000:8.1f} ms  photo      a 12-megapixel phone JPEG ({len(phone) // 1024} KB)")


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
