#!/usr/bin/env python3
"""Benchmark: what hostile uploads and slow clients cost the served product.

Timings and memory live here, never in pass/fail tests. One command:
    .venv/bin/python scripts/bench_abuse.py
It starts scripts/serve (nginx on one port, gunicorn also reachable directly on
another, two workers, a fresh SQLite database in a temporary DATA_DIR), prints:
  (a) the peak memory (RSS) of the gunicorn worker judging each photo, against
      the same worker idle just before;
  (b) /healthz latency (p50/p95/max) while eight uploads of the issue's
      7000x7000 RGBA PNG run at once, and while eight 12-megapixel PNGs do;
  (c) /healthz latency while sixteen clients send a header line every 2 s,
      through nginx and directly to gunicorn;
  (d) how many identity-binding tries one account gets before 429;
and stops everything it started. It takes about a minute; the load it makes is
bounded: at most 8 uploaders and 16 slow clients, each phase a few seconds."""

from __future__ import annotations

import argparse
import http.client
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402
from werkzeug.datastructures import FileStorage  # noqa: E402
from werkzeug.test import encode_multipart  # noqa: E402

from backend.domain import uploads  # noqa: E402
from tests.api.flows import proxy_filing_through  # noqa: E402
from backend.config import RATE_LIMITS  # noqa: E402
from tests.conftest import PEOPLE, Person  # noqa: E402
from tests.hostile import big_png  # noqa: E402
from tests.live import Served, free_port, slow_header_client  # noqa: E402

FILINGS = "/api/v1/filings"


# --- a client with the Flask test client's manners, over real HTTP ------------------


class Answer:
    def __init__(self, status: int, headers, body: bytes):
        self.status_code, self.headers = status, headers
        try:
            self.json = json.loads(body)
        except ValueError:
            self.json = None


def request(method: str, url: str, *, json_body=None, files=None, headers=None,
            timeout: float = 120) -> Answer:
    """One HTTP request on its own connection (standard library and werkzeug only)."""
    headers = dict(headers or {})
    body = None
    if json_body is not None:
        body = json.dumps(json_body).encode()
        headers["Content-Type"] = "application/json"
    elif files:
        fields = {key: FileStorage(io.BytesIO(data), name, content_type=kind)
                  for key, (name, data, kind) in files.items()}
        boundary, body = encode_multipart(fields)
        headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
    call = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(call, timeout=timeout) as response:
            return Answer(response.status, response.headers, response.read())
    except urllib.error.HTTPError as refused:
        with refused:
            return Answer(refused.code, refused.headers, refused.read())


class HttpClient:
    """Just enough of Flask's test client for tests/api/flows.py to walk a filing."""

    def __init__(self, base: str):
        self.base = base

    def open(self, method, path, json=None, data=None, headers=None, content_type=None, **_):
        files = None
        if isinstance(data, dict):
            files = {key: (name, stream.read(), kind) for key, (stream, name, kind) in data.items()}
        return request(method, self.base + path, json_body=json, files=files, headers=headers)

    def get(self, path, **kw):
        return self.open("GET", path, **kw)

    def post(self, path, **kw):
        return self.open("POST", path, **kw)

    def put(self, path, **kw):
        return self.open("PUT", path, **kw)

    def delete(self, path, **kw):
        return self.open("DELETE", path, **kw)


def agent_with_filings(base: str, count: int) -> tuple[Person, list[int]]:
    """李明, logged in (real-named by the stand-in's code), with `count` proxy filings
    waiting for their photos (the server is started with MAX_OPEN_DRAFTS raised)."""
    agent = Person(HttpClient(base), f"demo-{PEOPLE['李明']}").bind()
    return agent, [proxy_filing_through(agent, "agent_declaration") for _ in range(count)]


def redis_url() -> str:
    """Redis for the rate-limit counters, as production runs them, when one answers here."""
    try:
        import redis
        redis.Redis(socket_connect_timeout=1, db=14).ping()
        return "redis://127.0.0.1:6379/14"
    except Exception:
        return ""


def identity_phase(base: str, seconds: float = 10, most: int = 300) -> None:
    """What a guesser gets: an account without a real name trying to bind as someone
    else as fast as it can, on the product's own limits. Bounded in time and count."""
    guesser = Person(HttpClient(base), "demo-bench-guesser")
    tried = refused_429 = 0
    first_429 = retry_after = None
    started = time.perf_counter()
    while time.perf_counter() - started < seconds and tried < most:
        answer = request("PUT", f"{base}/api/v1/me/identity", headers=guesser.headers,
                         json_body={"name": "王秀英", "id_number": PEOPLE["王秀英"], "consent": True})
        tried += 1
        if answer.status_code == 429:
            refused_429 += 1
            if first_429 is None:
                first_429, retry_after = tried, answer.headers.get("Retry-After")
    elapsed = time.perf_counter() - started
    served = tried - refused_429
    print(f"    {tried} tries in {elapsed:.1f} s from one account: {served} reached the identity check"
          f" (403 identity.no_real_name), then 429 from try {first_429} on (Retry-After {retry_after} s)")
    print(f"    so at most {served} tries a minute reach it (before: 7,253 a minute, no limit);"
          f" the setting is {RATE_LIMITS['identity.account']} per account, counted in"
          f" {'Redis, shared by both workers' if redis_url() else 'each worker alone (no Redis here)'}")


def send_photo(base: str, agent: Person, fid: int, data: bytes, name: str) -> tuple[int, str, float]:
    """(status, code or "", seconds) of one photo upload, on its own connection."""
    kind = "image/png" if name.endswith(".png") else "image/jpeg"
    started = time.perf_counter()
    answer = request("POST", f"{base}{FILINGS}/{fid}/attachments/agent_id_card", headers=agent.headers,
                     files={"file": (name, data, kind)})
    seconds = time.perf_counter() - started
    code = (answer.json or {}).get("code", "") if answer.status_code >= 400 else ""
    return answer.status_code, code, seconds


# --- memory of the gunicorn workers (/proc) ----------------------------------------


def workers(served: Served) -> list[int]:
    master = int((Path(served.data_dir) / "run" / "gunicorn.pid").read_text())
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            children.append(int(stat.parent.name))
    return sorted(children)


def memory_kb(pid: int) -> dict[str, int]:
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0])
    return values


def reset_peak(pid: int) -> None:
    """Start VmHWM (the peak RSS) afresh at the current RSS (Linux: clear_refs 5)."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def peak_while(served: Served, action) -> tuple[int, int, object]:
    """(idle RSS kB, peak RSS kB, result) of the worker whose peak rose most while
    `action()` ran: the worker that did the work."""
    pids = workers(served)
    for pid in pids:
        reset_peak(pid)
    idle = {pid: memory_kb(pid)["VmRSS"] for pid in pids}
    result = action()
    peaks = {pid: memory_kb(pid)["VmHWM"] for pid in pids}
    busiest = max(pids, key=lambda pid: peaks[pid] - idle[pid])
    return idle[busiest], peaks[busiest], result


# --- /healthz latency --------------------------------------------------------------


def probe(port: int, timeout: float) -> float | None:
    """Seconds /healthz took to answer 200 on a fresh connection; None if it did not
    answer within `timeout`."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", "/api/v1/healthz")
        response = connection.getresponse()
        response.read()
        return time.perf_counter() - started if response.status == 200 else None
    except OSError:
        return None
    finally:
        connection.close()


def probe_for(port: int, seconds: float, timeout: float = 5.0, every: float = 0.1) -> list[float | None]:
    """Probe /healthz for `seconds`, from a process of its own: the uploading and
    dribbling threads of this one would otherwise make the probe wait for the GIL
    and count that as the server's time."""
    command = [sys.executable, __file__, "--probe", str(port), str(seconds), str(timeout), str(every)]
    return json.loads(subprocess.run(command, check=True, capture_output=True, text=True,
                                     timeout=seconds + 2 * timeout + 30).stdout)


def probe_here(port: int, seconds: float, timeout: float, every: float) -> None:
    samples = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        samples.append(probe(port, timeout))
        time.sleep(every)
    print(json.dumps(samples))


def latency_line(samples: list[float | None], timeout: float = 5.0) -> str:
    answered = sorted(s for s in samples if s is not None)
    missed = len(samples) - len(answered)
    if not answered:
        return f"no answer in {len(samples)} probes (each gave up after {timeout:.0f} s)"
    p50 = statistics.median(answered)
    p95 = answered[min(len(answered) - 1, int(round(0.95 * (len(answered) - 1))))]
    line = (f"p50 {p50 * 1000:7.1f} ms  p95 {p95 * 1000:7.1f} ms  max {answered[-1] * 1000:7.1f} ms"
            f"  ({len(answered)} probes")
    return line + (f", {missed} unanswered within {timeout:.0f} s)" if missed else ")")


# --- the phases --------------------------------------------------------------------


def phone_jpeg() -> bytes:
    """4032x3024, the size of a 12-megapixel phone camera, with detail to encode."""
    image = Image.effect_mandelbrot((4032, 3024), (-2.0, -1.2, 1.0, 1.2), 60).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def memory_phase(served: Served, agent: Person, fid: int, payloads: dict[str, bytes]) -> None:
    print("(a) peak memory (RSS) of the worker judging one photo, against the same worker idle")
    for label, data in payloads.items():
        name = "photo.png" if data.startswith(b"\x89PNG") else "photo.jpg"
        idle, peak, (status, code, seconds) = peak_while(
            served, lambda data=data, name=name: send_photo(served.base, agent, fid, data, name))
        outcome = f"{status} {code}".strip()
        print(f"    {label:44} {len(data) / 1e6:5.1f} MB  -> {outcome:26} {seconds * 1000:7.0f} ms"
              f"   idle {idle / 1024:6.1f} MB  peak {peak / 1024:6.1f} MB"
              f"  (+{(peak - idle) / 1024:6.1f} MB, x{peak / idle:.2f})")


def flood_phase(served: Served, agent: Person, fids: list[int], label: str, data: bytes, name: str,
                seconds: float) -> None:
    outcomes: list[tuple[int, str, float]] = []
    stop = threading.Event()

    def uploader(fid: int) -> None:
        while not stop.is_set():
            outcomes.append(send_photo(served.base, agent, fid, data, name))

    threads = [threading.Thread(target=uploader, args=(fid,)) for fid in fids]
    for thread in threads:
        thread.start()
    time.sleep(0.5)
    samples = probe_for(served.port, seconds)
    stop.set()
    for thread in threads:
        thread.join()
    counts: dict[str, int] = {}
    for status, code, _ in outcomes:
        key = f"{status} {code}".strip()
        counts[key] = counts.get(key, 0) + 1
    times = sorted(t for _, _, t in outcomes)
    print(f"    {len(fids)} at once, {label}:")
    print(f"        /healthz    {latency_line(samples)}")
    print(f"        uploads     {len(outcomes)} in {seconds:.0f} s: "
          + ", ".join(f"{n} x {k}" for k, n in sorted(counts.items()))
          + f"; each p50 {statistics.median(times) * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms")


def slow_clients_phase(port: int, label: str, clients: int, seconds: float) -> None:
    stop = threading.Event()
    threads = [threading.Thread(target=slow_header_client, args=(port, stop, seconds, 2.0), daemon=True)
               for _ in range(clients)]
    for thread in threads:
        thread.start()
    time.sleep(1.0)
    samples = probe_for(port, seconds - 3, every=0.25)
    stop.set()
    for thread in threads:
        thread.join(5)
    print(f"    {label:26} {latency_line(samples)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=8, help="length of each load phase (default 8)")
    parser.add_argument("--probe", nargs=4, type=float, metavar=("PORT", "SECONDS", "TIMEOUT", "EVERY"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        port, seconds, timeout, every = args.probe
        probe_here(int(port), seconds, timeout, every)
        return

    print("building the payloads ...", flush=True)
    issue_png = big_png(7000, 7000, noise_per_row=110)       # the issue's file, ~1 MB
    rgba_12mp = big_png(4032, 3024, noise_per_row=3000)       # the largest kind of PNG accepted
    jpeg_12mp = phone_jpeg()

    with tempfile.TemporaryDirectory(prefix="bench-abuse-") as tmp:
        port, direct_port = free_port(), free_port()
        # The decoder is measured alone: the per-account upload limits and the open-draft
        # cap, which would otherwise refuse most of the flood first, are lifted here.
        served = Served(Path(tmp) / "data", port, GUNICORN_BIND=f"127.0.0.1:{direct_port}", MAX_OPEN_DRAFTS="50",
                        RATE_LIMIT_UPLOAD_ACCOUNT="1000000/minute", RATE_LIMIT_UPLOAD_ADDRESS="1000000/minute",
                        RATE_LIMIT_UPLOAD_BYTES_ACCOUNT="1000000000000/day", REDIS_URL=redis_url())
        served.port, served.data_dir = port, Path(tmp) / "data"
        try:
            served.wait_ready()
            print(f"scripts/serve: nginx on {port}, gunicorn on {direct_port} (2 workers x 8 threads);"
                  f" {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} (others' work included)\n")
            agent, fids = agent_with_filings(served.base, 8)

            memory_phase(served, agent, fids[0], {
                "7000x7000 RGBA PNG (the issue's)": issue_png,
                "4032x3024 RGBA PNG (12 MP, within budget)": rgba_12mp,
                "4032x3024 phone JPEG (12 MP)": jpeg_12mp,
            })
            print(f"    budget: {uploads.PHOTO_MEMORY_BUDGET / 1e6:.0f} MB a request over the idle worker;"
                  f" decoded bitmap at most {uploads.MAX_DECODED_BYTES / 2**20:.0f} MiB;"
                  f" {uploads.DECODES_AT_ONCE} decodes at once per worker (backend/domain/uploads.py)\n")

            print("(b) /healthz through nginx while photos are uploaded")
            print(f"    idle:           {latency_line(probe_for(port, 2))}")
            flood_phase(served, agent, fids, "7000x7000 RGBA PNG (the issue's)", issue_png, "big.png",
                        args.seconds)
            flood_phase(served, agent, fids, "4032x3024 RGBA PNG (12 MP, decoded)", rgba_12mp, "12mp.png",
                        args.seconds)
            print()

            print("(c) /healthz while 16 clients send a header line every 2 s")
            slow_clients_phase(port, "through nginx:", 16, args.seconds + 4)
            slow_clients_phase(direct_port, "direct to gunicorn:", 16, args.seconds + 4)
            print()

            print("(d) identity binding (授权登录) under the default limits")
            if redis_url():
                import redis
                redis.Redis.from_url(redis_url()).flushdb()
            identity_phase(served.base)
            print(f"\nload average at the end: {os.getloadavg()[0]:.1f}")
        finally:
            served.stop()


if __name__ == "__main__":
    main()
