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


def phone_photo() -> bytes:
    """4032×3024, the size of a 12-megapixel phone camera, with detail to encode."""
    import io

    from PIL import Image

    image = Image.effect_mandelbrot((4032, 3024), (-2.0, -1.2, 1.0, 1.2), 60).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


if __name__ == "__main__":
    main()
