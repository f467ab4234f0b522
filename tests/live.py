"""The app served for real on a loopback port, for tests that act like a client."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from werkzeug.serving import make_server


@contextmanager
def serving(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    app.config["PUBLIC_BASE_URL"] = base
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthz(base: str, timeout: float) -> int:
    with urllib.request.urlopen(f"{base}/api/v1/healthz", timeout=timeout) as response:
        return response.status


class Served:
    """scripts/serve (nginx in front of gunicorn) in its own process group, on a
    fresh SQLite database under `data_dir`; `stop()` ends the whole group, whatever
    happened: TERM first, KILL if it lingers. `extra_env` e.g. GUNICORN_BIND."""

    def __init__(self, data_dir: Path, port: int, **extra_env: str):
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TEST_DATABASE_URL")}
        env.update(DATA_DIR=str(data_dir), PORT=str(port), YIBAO_VENV=sys.prefix,
                   PYTHONPATH=str(ROOT), WEB_CONCURRENCY="2", **extra_env)
        data_dir.mkdir(parents=True, exist_ok=True)
        self.log = (data_dir.parent / "serve.log").open("wb")
        self.process = subprocess.Popen([str(ROOT / "scripts" / "serve")], cwd=ROOT, env=env,
                                        stdout=self.log, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        self.base = f"http://127.0.0.1:{port}"

    def wait_ready(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"scripts/serve stopped: {self.output()}")
            try:
                if healthz(self.base, timeout=2) == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"scripts/serve did not answer in {seconds} s: {self.output()}")

    def output(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text(errors="replace")[-3000:]

    def stop(self) -> None:
        try:
            self._signal(signal.SIGTERM)  # scripts/serve stops gunicorn and nginx
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                pass
            self._signal(signal.SIGKILL)  # whatever of the group is left
            self.process.wait(5)
        finally:
            self.log.close()

    def _signal(self, sig: int) -> None:
        try:
            os.killpg(self.process.pid, sig)
        except ProcessLookupError:
            pass


def slow_header_client(port: int, stop: threading.Event, seconds: float, interval: float = 1.0) -> None:
    """Open a request and send its header a line every `interval` seconds for
    `seconds`, never finishing it."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            s.sendall(b"GET /api/v1/healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            deadline = time.monotonic() + seconds
            n = 0
            while time.monotonic() < deadline and not stop.wait(interval):
                s.sendall(b"X-Slow-%d: %s\r\n" % (n, b"a" * 8))
                n += 1
    except OSError:
        pass  # cut off by the server: that is allowed
