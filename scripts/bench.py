#!/usr/bin/env python3
"""The benchmark of issue 15: the product against a bare Flask app, on SQLite and
PostgreSQL. Run it through `scripts/bench` (which installs wrk):

    scripts/bench                    # both databases, full length (about half an hour)
    scripts/bench --db sqlite --quick
    scripts/bench --smoke            # seconds: every figure once, the numbers meaningless

For each database it migrates and seeds a fresh one (a temporary DATA_DIR; on
PostgreSQL a new database `bench_…`, dropped at the end), serves the product
(`bench_product.py`: `backend.create_app()` plus one JWT-check route for P7) and the
bare baseline (`bench_bare.py`) with the same gunicorn settings, prepares people,
tokens and filings through the real API, and prints:

  P1  GET one filing            ÷ bare GET of the same JSON
  P2  PUT a filing's details    ÷ bare POST that parses the same body, same answer
  P3  the records list of 20    ÷ bare GET of the same JSON
  P7  the product's JWT check   ÷ bare pyjwt decode of the same token
      (requests a second of each, measured by wrk, product and bare interleaved,
      the order swapped every round; the ratio is the median over the rounds)
  scale: GET one and the records list with the filings table filled to --fill rows,
      time a request ÷ the same at about a thousand filings (each normalised by
      the bare app measured beside it, so that a busier machine does not count)
  peak mix: complete filings for someone else (login, 授权登录, the steps, two photos
      of ~200 KB, both signatures, submit, the records list: 13 requests a flow)
      started open-loop at 5 a second × 1, 2 and 4; latency p50/p95/p99 of every
      request and the flows that failed (an upload answered 503 with Retry-After is
      sent again after the wait, twice at most, as the mock does; each try counts as
      a request, and the table says how many there were)
  photo: the product's photo pipeline (`images.clean_photo`) on a 12-megapixel phone
      JPEG ÷ a plain Pillow decode of it (`Image.open(…).load()`), in-process

Timings are printed, never asserted: none of this is a pass/fail test.
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = ROOT / "scripts"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(SCRIPTS))

BIN = Path(sys.executable).parent
SIGNATURE = (ROOT / "docs" / "sample-signature.png").read_bytes()
BEIJING = timezone(timedelta(hours=8))
API = "/api/v1"

# Every rate limit out of the way: the benchmark is one address and a few accounts.
RATE_LIMITS = {f"RATE_LIMIT_{name}": "1000000/minute" for name in (
    "LOGIN_ADDRESS", "IDENTITY_ACCOUNT", "IDENTITY_ADDRESS", "UPLOAD_ACCOUNT", "UPLOAD_ADDRESS",
    "SUBMIT_ACCOUNT", "VERIFICATION_ADDRESS", "PARTNER_PARTNER")}
RATE_LIMITS["RATE_LIMIT_UPLOAD_BYTES_ACCOUNT"] = "1000000000000/day"

NATIONAL_RATE = 5.0   # filings a second at the national peak (issue 15)

MODES = {
    #        wrk s, rounds, warm-up s, mix s, fill rows, scale wrk s, photo repeats
    "full": dict(seconds=8, rounds=3, warmup=2, mix_seconds=30, fill=1_000_000, scale_seconds=5, photo=5),
    "quick": dict(seconds=3, rounds=3, warmup=1, mix_seconds=8, fill=20_000, scale_seconds=2, photo=3),
    "smoke": dict(seconds=2, rounds=1, warmup=0, mix_seconds=1, fill=1_200, scale_seconds=2, photo=1),
}


STARTED = time.monotonic()


def say(text: str) -> None:
    print(f"  · {time.monotonic() - STARTED:5.0f} s  {text}", file=sys.stderr, flush=True)


# --- servers ---------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn in a process group of its own, stopped (TERM, then KILL) by `stop`."""

    def __init__(self, name: str, target: str, env: dict, workdir: Path, workers: int, threads: int):
        self.name, self.port = name, free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = workdir / f"{name}.log"
        control = workdir / f"{name}.ctl"
        command = [str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{self.port}",
                   "--workers", str(workers), "--threads", str(threads),
                   "--keep-alive", "5", "--timeout", "60", "--worker-tmp-dir", "/dev/shm",
                   "--control-socket", str(control), target]
        self.log = self.log_path.open("wb")
        self.process = subprocess.Popen(command, cwd=SCRIPTS, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                        start_new_session=True)

    def wait(self, path: str) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{self.name} stopped (exit {self.process.returncode}):\n{self.tail()}")
            try:
                with urllib.request.urlopen(self.base + path, timeout=5) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        raise SystemExit(f"{self.name} did not answer {path} within a minute:\n{self.tail()}")

    def tail(self) -> str:
        self.log.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-30:])

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
            except ProcessLookupError:
                pass
        self.log.close()


def clean_environment() -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "TEST_DATABASE_URL", "REDIS_URL", "YIBAO_CLOCK", "YIBAO_ENV")
           and not k.startswith("RATE_LIMIT_")}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(SCRIPTS)])
    env["MALLOC_ARENA_MAX"] = "2"
    return env


# --- a client for preparing --------------------------------------------------------------

class Refused(Exception):
    pass


def multipart(data: bytes, filename: str, kind: str) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n"
            f"Content-Type: {kind}\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def call(base: str, method: str, path: str, body=None, *, token: str | None = None, headers: dict | None = None):
    headers = dict(headers or {})
    data = None
    if body is not None:
        data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(base + API + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=120) as answer:
            return json.loads(answer.read())
    except urllib.error.HTTPError as error:
        raise Refused(f"{method} {path}: {error.code} {error.read().decode(errors='replace')[:400]}") from None


def upload(base: str, path: str, data: bytes, token: str, filename="signature.png", kind="image/png"):
    body, content_type = multipart(data, filename, kind)
    request = urllib.request.Request(base + API + path, data=body, method="POST",
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=120) as answer:
            return json.loads(answer.read())
    except urllib.error.HTTPError as error:
        raise Refused(f"POST {path}: {error.code} {error.read().decode(errors='replace')[:400]}") from None


def today() -> str:
    return datetime.now(BEIJING).date().isoformat()


def new_person(base: str, age: int = 45, relations=()) -> dict:
    return call(base, "POST", "/qa/people", {"scheme": "employee", "insured_region": "140100", "age": age,
                                             "relations": list(relations)})


def login(base: str, person: dict) -> str:
    token = call(base, "POST", "/auth/wx-login", {"code": person["login_code"]})["access_token"]
    call(base, "PUT", "/me/identity", {"consent": True}, token=token)
    return token


def accept(base: str, document: str) -> dict:
    return {"accepted": True, "version": call(base, "GET", f"/documents/{document}")["version"]}


def long_term_details(person: dict, person_type="stationed_worker", start: str | None = None) -> dict:
    return {"category": "long_term", "person_type": person_type, "destination_region": "460100",
            "start_date": start or today(), "address": "海南省海口市美兰区海甸岛人民大道58号",
            "contact_name": person["name"], "contact_phone": "13834560318"}


def prepare(base: str) -> dict:
    """Through the real API: person A with 20 filings in force (P1 reads the newest, P3
    lists the 20), person B with a draft at the details step (P2 puts its details)."""
    notice = accept(base, "filing-notice")
    a = new_person(base)
    token = login(base, a)
    start = datetime.now(BEIJING).date()
    ids = []
    for i in range(20):
        fid = call(base, "POST", "/filings", {"for": "self"}, token=token)["id"]
        call(base, "PUT", f"/filings/{fid}/insured", {"scheme": "employee", "insured_region": "140100"}, token=token)
        call(base, "PUT", f"/filings/{fid}/notice", notice, token=token)
        call(base, "PUT", f"/filings/{fid}/details", {
            "category": "temporary", "person_type": "emergency", "destination_region": "460100",
            "start_date": start.isoformat(), "end_date": (start + timedelta(days=200 + i)).isoformat(),
            "hospital": "海南省人民医院", "reason": "急诊抢救", "address": "海南省海口市美兰区海甸岛人民大道58号",
            "contact_name": a["name"], "contact_phone": "13834560318"}, token=token)
        upload(base, f"/filings/{fid}/signature", SIGNATURE, token)
        done = call(base, "POST", f"/filings/{fid}/submit", token=token,
                    headers={"Idempotency-Key": f"bench-{uuid.uuid4()}"})
        assert done["status"] == "effective", done
        ids.append(fid)
    b = new_person(base)
    b_token = login(base, b)
    draft = call(base, "POST", "/filings", {"for": "self"}, token=b_token)["id"]
    call(base, "PUT", f"/filings/{draft}/insured", {"scheme": "employee", "insured_region": "140100"}, token=b_token)
    call(base, "PUT", f"/filings/{draft}/notice", notice, token=b_token)
    details = long_term_details(b)
    return {
        "a": a, "b": b, "one": ids[-1], "draft": draft, "details": details,
        "payloads": {
            "one": call(base, "GET", f"/filings/{ids[-1]}", token=token),
            "list": call(base, "GET", "/filings?for=self&per_page=20", token=token),
            "details": call(base, "PUT", f"/filings/{draft}/details", details, token=b_token),
        },
    }


# --- wrk ---------------------------------------------------------------------------------

def lua(method: str, token: str, body: dict | None = None) -> str:
    lines = [f'wrk.method = "{method}"', f'wrk.headers["Authorization"] = "Bearer {token}"']
    if body is not None:
        text = json.dumps(body)   # ASCII: the Chinese as \\u escapes, still the same JSON
        lines += ['wrk.headers["Content-Type"] = "application/json"', f"wrk.body = [==[{text}]==]"]
    return "\n".join(lines) + "\n"


class Wrk:
    def __init__(self, threads: int, connections: int):
        self.threads, self.connections = threads, connections

    def run(self, url: str, script: Path, seconds: float) -> dict:
        # --timeout 10s: a slow answer is counted, not dropped (wrk's default gives up at 2 s).
        command = ["wrk", "-t", str(self.threads), "-c", str(self.connections), "-d", f"{max(1, round(seconds))}s",
                   "--timeout", "10s", "--latency", "-s", str(script), url]
        out = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60).stdout
        found = re.search(r"Requests/sec:\s+([\d.]+)", out)
        if not found:
            raise SystemExit(f"wrk printed no rate for {url}:\n{out}")
        bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
        socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
        return {"rps": float(found.group(1)), "bad": int(bad.group(1)) if bad else 0,
                "socket_errors": sum(map(int, socket_errors.groups())) if socket_errors else 0}


MEASURES = {
    # figure: (what, product method + path, bare method + path, whose token, body?)
    "P1": ("GET one filing", "GET", "{api}/filings/{one}", "GET", "/one", "a", False),
    "P2": ("PUT details", "PUT", "{api}/filings/{draft}/details", "POST", "/details", "b", True),
    "P3": ("records list of 20", "GET", "{api}/filings?for=self&per_page=20", "GET", "/list", "a", False),
    "P7": ("JWT check", "GET", "{api}/bench/jwt", "GET", "/jwt", "a", False),
}


class Pair:
    """The product and the bare app, measured one after the other, the order swapped
    every round."""

    def __init__(self, product: Server, bare: Server, prep: dict, workdir: Path, wrk: Wrk):
        self.product, self.bare, self.prep, self.workdir, self.wrk = product, bare, prep, workdir, wrk
        self.problems: dict[tuple[str, str], list[int]] = {}   # (figure, side): [not 2xx, socket errors]

    def scripts(self) -> None:
        """Fresh logins (access tokens live 15 minutes) and the Lua scripts that send them."""
        tokens = {"a": login(self.product.base, self.prep["a"]), "b": login(self.product.base, self.prep["b"])}
        self.files = {}
        for figure, (_what, p_method, _p, b_method, _b, who, with_body) in MEASURES.items():
            body = self.prep["details"] if with_body else None
            for side, method in (("product", p_method), ("bare", b_method)):
                path = self.workdir / f"{figure}-{side}.lua"
                path.write_text(lua(method, tokens[who], body))
                self.files[figure, side] = path

    def url(self, figure: str, side: str) -> str:
        _what, _pm, p_path, _bm, b_path, _who, _body = MEASURES[figure]
        if side == "bare":
            return self.bare.base + b_path
        return self.product.base + p_path.format(api=API, one=self.prep["one"], draft=self.prep["draft"])

    def once(self, figure: str, side: str, seconds: float) -> float:
        result = self.wrk.run(self.url(figure, side), self.files[figure, side], seconds)
        if result["bad"] or result["socket_errors"]:
            counts = self.problems.setdefault((figure, side), [0, 0])
            counts[0] += result["bad"]
            counts[1] += result["socket_errors"]
        return result["rps"]

    def rounds(self, figures, seconds: float, rounds: int, warmup: float) -> dict:
        """{figure: {"product": [rps…], "bare": [rps…], "ratio": median of the rounds' ratios}}"""
        self.scripts()
        if warmup:
            for figure in figures:
                for side in ("product", "bare"):
                    self.once(figure, side, warmup)
        results = {f: {"product": [], "bare": []} for f in figures}
        for r in range(rounds):
            if r:
                self.scripts()
            for figure in figures:
                order = ("product", "bare") if r % 2 == 0 else ("bare", "product")
                for side in order:
                    results[figure][side].append(self.once(figure, side, seconds))
            say(f"round {r + 1}: " + ", ".join(
                f"{f} {results[f]['product'][-1]:.0f}/{results[f]['bare'][-1]:.0f}" for f in figures))
        for figure, sides in results.items():
            sides["ratio"] = statistics.median(p / b if b else 0.0 for p, b in zip(sides["product"], sides["bare"]))
        return results


# --- the photo -----------------------------------------------------------------------------

def photo_ratio(repeat: int) -> dict:
    from PIL import Image

    from backend.adapters.images import clean_photo
    from bench_uploads import phone_photo

    data = phone_photo()
    pipeline, plain = [], []

    def decode(raw: bytes) -> None:
        with Image.open(io.BytesIO(raw)) as img:
            img.load()

    clean_photo(data)   # warm: the first call loads codecs
    decode(data)
    for i in range(repeat):
        for name in (("pipeline", "plain") if i % 2 == 0 else ("plain", "pipeline")):
            start = time.perf_counter()
            clean_photo(data) if name == "pipeline" else decode(data)
            (pipeline if name == "pipeline" else plain).append(time.perf_counter() - start)
    p, d = statistics.median(pipeline), statistics.median(plain)
    return {"ratio": p / d, "pipeline_ms": p * 1000, "plain_ms": d * 1000, "bytes": len(data)}


# --- the peak mix --------------------------------------------------------------------------

class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.failures: list[str] = []
        self.flows = 0
        self.waits = 0   # uploads sent again after 503 + Retry-After, as the mock does

    def took(self, seconds: float) -> None:
        with self.lock:
            self.latencies.append(seconds)

    def failed(self, why: str) -> None:
        with self.lock:
            self.failures.append(why)

    def waited(self) -> None:
        with self.lock:
            self.waits += 1


class FlowFailed(Exception):
    pass


def shape(path: str) -> str:
    """A path with its ids left out, so that failures of one kind count together."""
    return re.sub(r"/\d+", "/…", path.split("?")[0])


def proxy_flow(port: int, people: dict, photo: bytes, versions: dict, tally: Tally, give_up_at: float) -> None:
    """One agent files for his mother, as the mini-program does, on one kept-alive
    connection: 13 requests. A flow still running at `give_up_at` stops and counts
    as failed (a server far behind would otherwise take its backlog into the next
    phase)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    token = None

    def send(method: str, path: str, body=None, *, file: tuple | None = None, headers=None):
        if time.monotonic() > give_up_at:
            raise FlowFailed("unfinished when the phase ended (given up)")
        headers = dict(headers or {})
        data = None
        if file is not None:
            data, headers["Content-Type"] = multipart(*file)
        elif body is not None:
            data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
        if token:
            headers["Authorization"] = f"Bearer {token}"
        for attempt in range(3):
            start = time.perf_counter()
            try:
                connection.request(method, API + path, body=data, headers=headers)
                answer = connection.getresponse()
                raw = answer.read()
            except (OSError, http.client.HTTPException) as error:
                raise FlowFailed(f"{method} {shape(path)}: {type(error).__name__}") from None
            tally.took(time.perf_counter() - start)
            # An upload answered 503 with Retry-After (`upload.busy`) is sent again after
            # the wait, twice at most, as the mock's api.js does: the person never sees it.
            wait = answer.getheader("Retry-After", "")
            if not (file is not None and answer.status == 503 and wait.isdigit() and 0 < int(wait) <= 10
                    and attempt < 2):
                break
            tally.waited()
            time.sleep(int(wait))
        if answer.status not in (200, 201):
            try:
                code = json.loads(raw).get("code")
            except ValueError:
                code = ""
            raise FlowFailed(f"{method} {shape(path)}: {answer.status} {code}")
        return json.loads(raw)

    agent, mother = people, people["relations"][0]
    try:
        token = send("POST", "/auth/wx-login", {"code": agent["login_code"]})["access_token"]
        send("PUT", "/me/identity", {"consent": True})
        fid = send("POST", "/filings", {"for": "other"})["id"]
        send("PUT", f"/filings/{fid}/insured", {"name": mother["name"], "id_number": mother["id_number"],
                                                "relation": "parent", "scheme": "employee",
                                                "insured_region": "140100"})
        send("PUT", f"/filings/{fid}/notice", versions["filing-notice"])
        send("PUT", f"/filings/{fid}/agent-declaration", versions["agent-declaration"])
        send("POST", f"/filings/{fid}/agent-declaration/signature", file=(SIGNATURE, "signature.png", "image/png"))
        send("POST", f"/filings/{fid}/attachments/agent_id_card", file=(photo, "id.jpg", "image/jpeg"))
        send("POST", f"/filings/{fid}/attachments/insured_hukou", file=(photo, "hukou.jpg", "image/jpeg"))
        send("PUT", f"/filings/{fid}/details", long_term_details(agent, "retired_resettled",
                                                                 (datetime.now(BEIJING).date() + timedelta(days=7)).isoformat()))
        send("POST", f"/filings/{fid}/signature", file=(SIGNATURE, "signature.png", "image/png"))
        done = send("POST", f"/filings/{fid}/submit", headers={"Idempotency-Key": f"bench-{uuid.uuid4()}"})
        if done.get("status") != "effective":
            raise FlowFailed(f"submit: status {done.get('status')}")
        send("GET", "/filings?for=other&per_page=20")
    except FlowFailed as failure:
        tally.failed(str(failure))
    finally:
        connection.close()


def make_people(base: str, count: int) -> list[dict]:
    with ThreadPoolExecutor(4) as pool:
        return list(pool.map(lambda _: new_person(base, 46, [{"relation": "parent", "age": 74}]), range(count)))


def peak_mix(base: str, port: int, rate: float, seconds: float, photo: bytes, most_at_once: int = 400) -> dict:
    """Flows started at `rate` a second for `seconds`; each may run on for `seconds`
    (at least 30 s) after the last one started, then it is given up (failed)."""
    count = max(1, round(rate * seconds))
    people = make_people(base, count)
    versions = {d: accept(base, d) for d in ("filing-notice", "agent-declaration")}
    tally = Tally()
    threads: list[threading.Thread] = []
    start = time.monotonic() + 0.2
    give_up_at = start + seconds + max(30.0, seconds)
    for i, person in enumerate(people):
        time.sleep(max(0.0, start + i / rate - time.monotonic()))
        if sum(t.is_alive() for t in threads[-most_at_once * 2:]) >= most_at_once:
            tally.failed(f"not started: {most_at_once} flows already waiting on the server")
            continue
        thread = threading.Thread(target=proxy_flow, args=(port, person, photo, versions, tally, give_up_at),
                                  daemon=True)
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join(timeout=max(1.0, give_up_at + 40 - time.monotonic()))
    elapsed = time.monotonic() - start
    for _ in range(sum(t.is_alive() for t in threads)):
        tally.failed("no answer 40 s after the phase ended")
    latencies = sorted(tally.latencies)
    cuts = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else latencies * 99
    reasons: dict[str, int] = {}
    for why in tally.failures:
        reasons[why] = reasons.get(why, 0) + 1
    return {"rate": rate, "flows": count, "failed": len(tally.failures), "requests": len(latencies),
            "rps": len(latencies) / elapsed if elapsed else 0.0,
            "p50": cuts[49] * 1000, "p95": cuts[94] * 1000, "p99": cuts[98] * 1000,
            "max": (latencies[-1] if latencies else 0) * 1000, "reasons": reasons, "waits": tally.waits}


# --- one database --------------------------------------------------------------------------

class Database:
    """A fresh database for one run: a SQLite file in the DATA_DIR, or a new PostgreSQL
    database `bench_…` on the server of `--postgres`, dropped afterwards."""

    def __init__(self, kind: str, postgres: str):
        self.kind, self.postgres, self.name = kind, postgres.rstrip("/"), None

    def __enter__(self) -> str | None:
        if self.kind == "sqlite":
            return None
        import psycopg
        self.name = f"bench_{datetime.now(timezone.utc):%Y%m%d%H%M%S}_{os.getpid()}"
        with psycopg.connect(self.server_url("postgres"), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{self.name}"')
        return self.server_url(self.name)

    def server_url(self, database: str) -> str:
        """The server of `--postgres` (any database it names is left out), this database."""
        parts = urllib.parse.urlsplit(self.postgres)
        return urllib.parse.urlunsplit(parts._replace(path="/" + database))

    def __exit__(self, *exc) -> None:
        if self.name:
            import psycopg
            with psycopg.connect(self.server_url("postgres"), autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def fill(env: dict, total: int) -> int:
    """scripts/fill_filings.py up to `total` filings; how many the table then holds."""
    done = subprocess.run([sys.executable, str(SCRIPTS / "fill_filings.py"), "--total", str(total)], env=env,
                          check=True, capture_output=True, text=True).stdout
    last = done.strip().splitlines()[-1]
    say(last)
    return _count(last)


def _count(line: str) -> int:
    found = re.search(r"filings: ([\d,]+) already", line) or re.search(r"= ([\d,]+) in", line)
    return int(found.group(1).replace(",", ""))


def slowdown(small: float, large: float) -> float:
    """Time a request at the large size ÷ at the small one, from (normalised) rates;
    infinite when nothing was answered at the large size within a run."""
    return small / large if large else float("inf")


def run_database(kind: str, args, mode: dict, workdir: Path, photo_small: bytes) -> dict:
    out: dict = {}
    with Database(kind, args.postgres) as url:
        data_dir = workdir / f"data-{kind}"
        env = clean_environment()
        env.update(DATA_DIR=str(data_dir), SECRET_KEY=secrets.token_urlsafe(48), YIBAO_ENV="development",
                   **RATE_LIMITS)
        if url:
            env["DATABASE_URL"] = url
        say(f"{kind}: migrating and seeding a fresh database")
        for command in ("db-upgrade", "seed"):
            subprocess.run([str(BIN / "flask"), "--app", "backend", command], cwd=ROOT, env=env, check=True,
                           stdout=subprocess.DEVNULL)
        product = Server(f"product-{kind}", "bench_product:create_app()", env, workdir, args.workers, args.threads)
        bare = None
        try:
            product.wait(API + "/healthz")
            say(f"{kind}: preparing people, tokens and 20 filings through the API")
            prep = prepare(product.base)
            payloads = workdir / f"payloads-{kind}.json"
            payloads.write_text(json.dumps(prep["payloads"], ensure_ascii=False))
            bare_env = clean_environment()
            bare_env.update(BENCH_PAYLOADS=str(payloads), SECRET_KEY=env["SECRET_KEY"])
            bare = Server(f"bare-{kind}", "bench_bare:create_app()", bare_env, workdir, args.workers, args.threads)
            bare.wait("/one")
            pair = Pair(product, bare, prep, workdir, Wrk(args.wrk_threads, args.connections))
            say(f"{kind}: P1 P2 P3 P7, {mode['rounds']} rounds of {mode['seconds']} s a run")
            out["ratios"] = pair.rounds(list(MEASURES), mode["seconds"], mode["rounds"], mode["warmup"])
            out["mix"] = []
            for times in args.rates:
                say(f"{kind}: peak mix at {times:g}× ({times * NATIONAL_RATE:g} filings a second, "
                    f"{mode['mix_seconds']} s)")
                result = peak_mix(product.base, product.port, times * NATIONAL_RATE, mode["mix_seconds"], photo_small)
                result["times"] = times
                say(f"{kind}: {times:g}×: p95 {result['p95']:.0f} ms, {result['failed']} of {result['flows']} "
                    f"flows failed {result['reasons'] or ''}")
                out["mix"].append(result)
            if args.fill:
                fill_env = dict(env)
                small = fill(fill_env, 1000)
                say(f"{kind}: GET one and the records list at {small:,} filings")
                before = pair.rounds(["P1", "P3"], mode["scale_seconds"], mode["rounds"], 0)
                say(f"{kind}: filling to {args.fill:,} filings")
                started = time.monotonic()
                large = fill(fill_env, args.fill)
                fill_seconds = time.monotonic() - started
                say(f"{kind}: GET one and the records list at {large:,} filings")
                after = pair.rounds(["P1", "P3"], mode["scale_seconds"], mode["rounds"], mode["warmup"])
                out["scale"] = {"small": small, "large": large, "fill_seconds": fill_seconds,
                                **{f: {"small": before[f], "large": after[f],
                                       "slowdown": slowdown(before[f]["ratio"], after[f]["ratio"])}
                                   for f in ("P1", "P3")}}
            out["problems"] = [f"{figure} {side}: {bad} answers not 2xx, {errors} socket errors (timeouts "
                               f"at 10 s, refused or dropped connections) in all its runs"
                               for (figure, side), (bad, errors) in pair.problems.items()]
        finally:
            product.stop()
            if bare:
                bare.stop()
    return out


# --- the table -----------------------------------------------------------------------------

TARGETS = {"P1": "≥ 0.85", "P2": "≥ 0.55", "P3": "≥ 0.5", "P7": "≥ 0.9"}
BARE_WHAT = {"P1": "÷ bare GET, same JSON", "P2": "÷ bare POST parsing it", "P3": "÷ bare GET, same JSON",
             "P7": "÷ bare pyjwt decode"}
NAMES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}


def table(results: dict, photo: dict | None) -> str:
    kinds = list(results)
    head = "| figure | " + " | ".join(NAMES[k] for k in kinds) + " | target |"
    lines = [head, "|" + " --- |" * (len(kinds) + 2)]

    def row(name: str, cells: list[str], target: str) -> None:
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {target} |")

    for figure, (what, *_rest) in MEASURES.items():
        cells = []
        for k in kinds:
            r = results[k]["ratios"][figure]
            cells.append(f"**{r['ratio']:.2f}** ({statistics.median(r['product']):.0f} ÷ "
                         f"{statistics.median(r['bare']):.0f} req/s)")
        row(f"{figure} {what} {BARE_WHAT[figure]}", cells, TARGETS[figure])
    if all("scale" in results[k] for k in kinds):
        for figure, what in (("P1", "GET one"), ("P3", "records list")):
            cells = []
            for k in kinds:
                s = results[k]["scale"]
                alone = slowdown(statistics.median(s[figure]["small"]["product"]),
                                 statistics.median(s[figure]["large"]["product"]))
                cells.append(f"**{s[figure]['slowdown']:.2f}** ({s['large']:,} vs {s['small']:,} filings; "
                             f"product alone {alone:.2f})")
            row(f"{what}: time at the filled size ÷ at ~1 k", cells, "≤ 1.2 at 1 M")
    for i, times in enumerate(results[kinds[0]]["mix"]):
        cells = []
        for k in kinds:
            m = results[k]["mix"][i]
            cells.append(f"p95 **{m['p95']:.0f} ms** (p50 {m['p50']:.0f}, p99 {m['p99']:.0f}); "
                         f"{m['failed']} of {m['flows']} flows failed; {m['rps']:.0f} req/s"
                         + (f"; {m['waits']} uploads sent again after 503 busy" if m.get("waits") else ""))
        rate = times["times"] * NATIONAL_RATE
        row(f"peak mix {times['times']:g}× ({rate:g} filings/s)", cells,
            "p95 < 200 ms, no failed flow on PostgreSQL" if times["times"] == 2 else "")
    if photo:
        cell = (f"**{photo['ratio']:.2f}** ({photo['pipeline_ms']:.0f} ÷ {photo['plain_ms']:.0f} ms, "
                f"{photo['bytes'] / 1e6:.1f} MB JPEG)")
        row("photo pipeline ÷ plain decode (12 MP, no database)", [cell] + ["same"] * (len(kinds) - 1), "≤ 1.2")
    return "\n".join(lines)


def stop_cleanly(signum, _frame):
    """TERM (and INT, even where a background job inherited it ignored) unwinds like
    an exception, so the servers are stopped, the database dropped, the files removed."""
    raise KeyboardInterrupt(f"signal {signum}")


def main() -> None:
    signal.signal(signal.SIGTERM, stop_cleanly)
    signal.signal(signal.SIGINT, stop_cleanly)
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    speed = parser.add_mutually_exclusive_group()
    speed.add_argument("--quick", action="store_true", help="short runs (a couple of minutes a database)")
    speed.add_argument("--smoke", action="store_true", help="every figure once, in seconds: the numbers mean nothing")
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432"),
                        help="a PostgreSQL server where a database may be created (default %(default)s)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers, product and bare alike")
    parser.add_argument("--threads", type=int, default=8, help="gunicorn threads a worker, product and bare alike")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--fill", type=int, help="filings for the scale figures (0: skip them)")
    parser.add_argument("--rates", default="1,2,4", help="peak-mix multiples of 5 filings a second")
    args = parser.parse_args()
    mode = MODES["smoke" if args.smoke else "quick" if args.quick else "full"]
    if args.fill is None:
        args.fill = mode["fill"]
    args.rates = [float(x) for x in args.rates.split(",") if x.strip()]
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    if args.smoke and args.db == "both":
        kinds = ["sqlite"]
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip() or "?"
    header = (f"yibao benchmark, {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, commit {commit}"
              f"{' (smoke: meaningless numbers)' if args.smoke else ' (quick)' if args.quick else ''}\n"
              f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the start\n"
              f"gunicorn --workers {args.workers} --threads {args.threads} --keep-alive 5 (product and bare); "
              f"wrk -t{args.wrk_threads} -c{args.connections}, {mode['seconds']} s a run, {mode['rounds']} rounds "
              f"interleaved, medians; peak mix {mode['mix_seconds']} s a rate; fill {args.fill:,}")
    print(header, flush=True)
    from bench_uploads import phone_photo
    photo_small = phone_photo((1600, 1200), 85)
    results: dict = {}
    with tempfile.TemporaryDirectory(prefix="yibao-bench-") as tmp:
        say(f"photo: {mode['photo']} rounds, in-process")
        photo = photo_ratio(mode["photo"])
        for kind in kinds:
            results[kind] = run_database(kind, args, mode, Path(tmp), photo_small)
            if kind != kinds[-1]:   # so far, in case the rest is cut short
                print(table({kind: results[kind]}, photo), file=sys.stderr, flush=True)
    print()
    print(table(results, photo))
    for kind, result in results.items():
        for problem in result.get("problems", []):
            print(f"warning ({NAMES[kind]}): {problem}")
        for m in result["mix"]:
            for why, n in m["reasons"].items():
                print(f"failed flows ({NAMES[kind]}, {m['times']:g}×): {n} × {why}")
        if "scale" in result:
            print(f"filled {NAMES[kind]} to {result['scale']['large']:,} filings in "
                  f"{result['scale']['fill_seconds']:.0f} s")


if __name__ == "__main__":
    main()
