"""The production recipe (scripts/serve: nginx in front of gunicorn) keeps answering
while slow clients dribble their headers (issue: abuse resistance, point 3).

Correctness only: `/healthz` answers 200 at all, within a generous bound, while
sixteen clients each send a header line a second. How fast it answers, and how
gunicorn alone fares, is for scripts/bench_abuse.py."""

from __future__ import annotations

import json
import os
import re
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from backend.domain.error_codes import CATALOGUE
from tests.live import Served, free_port, healthz, slow_header_client

NGINX = Path(os.environ.get("NGINX", "/usr/sbin/nginx"))
SLOW_CLIENTS = 16
SLOW_SECONDS = 10      # each slow client dribbles for this long, a line a second
ANSWER_WITHIN = 5.0    # generous: this asserts that /healthz answers, not how fast

pytestmark = pytest.mark.skipif(
    not NGINX.exists(), reason="nginx is not installed (./scripts/test installs it: lib.sh ensure_nginx)")


@pytest.fixture(scope="module")
def served_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("serve")


@pytest.fixture(scope="module")
def served(served_dir):
    server = Served(served_dir / "data", free_port())
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


def test_serve_renders_its_nginx_config_under_the_data_dir_and_proxies_the_api(served, served_dir):
    run = served_dir / "data" / "run"
    conf = (run / "nginx.conf").read_text()
    assert not re.search(r"@[A-Z_]+@", conf)  # every placeholder replaced
    assert f"pid {run}/nginx.pid;" in conf and "proxy_request_buffering on;" in conf
    assert "client_max_body_size    11m;" in conf
    assert (run / "nginx.pid").exists() and (run / "gunicorn.sock").is_socket()
    with urllib.request.urlopen(f"{served.base}/api/v1/error-codes", timeout=5) as response:
        assert response.status == 200 and response.headers["Server"] == "nginx"


def test_healthz_answers_through_nginx_while_sixteen_clients_send_headers_slowly(served):
    port = int(served.base.rsplit(":", 1)[1])
    stop = threading.Event()
    clients = [threading.Thread(target=slow_header_client, args=(port, stop, SLOW_SECONDS), daemon=True)
               for _ in range(SLOW_CLIENTS)]
    try:
        for client in clients:
            client.start()
        time.sleep(2)  # every slow client connected and part-way through its header
        answers = []
        deadline = time.monotonic() + SLOW_SECONDS - 3
        while time.monotonic() < deadline:
            answers.append(healthz(served.base, timeout=ANSWER_WITHIN))
            time.sleep(0.5)
        assert answers and set(answers) == {200}
        assert sum(client.is_alive() for client in clients) == SLOW_CLIENTS  # still dribbling
    finally:
        stop.set()
        for client in clients:
            client.join(5)


def test_a_body_over_the_limit_is_refused_by_nginx_before_gunicorn(served):
    request = urllib.request.Request(f"{served.base}/api/v1/filings/1/attachments/agent_id_card",
                                     data=b"x" * (12 * 1024 * 1024), method="POST",
                                     headers={"Content-Type": "application/octet-stream"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    with refused.value:
        assert refused.value.code == 413
        # nginx's own answer (gunicorn never saw the request), in the one error shape.
        assert json.loads(refused.value.read()) == {
            "code": "upload.too_large", "status": 413, "message": CATALOGUE["upload.too_large"][1],
            "errors": {}}
