"""What every answer says to the browser: run only our own scripts, never inside a
frame; how to authenticate on a 401; which methods a path allows on a 405."""

from __future__ import annotations

import re

from tests.conftest import ROOT, assert_error_shape


def test_every_page_forbids_inline_scripts_other_origins_and_framing(client):
    for path in ("/", "/api/v1/docs", "/api/v1/healthz", "/api/v1/nowhere"):
        with client.get(path) as response:
            policy = response.headers["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        assert directives["script-src"] == "'self'", path
        assert directives["frame-ancestors"] == "'none'", path
        assert directives["object-src"] == "'none'", path


def test_the_mock_and_the_docs_have_no_inline_script(client):
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
    assert not inline.search((ROOT / "miniprogram_mock" / "index.html").read_text(encoding="utf-8"))
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200 and not inline.search(docs.get_data(as_text=True))
    with client.get("/api/v1/docs/start.js") as start:
        assert start.status_code == 200 and b"SwaggerUIBundle" in start.data


def test_a_401_says_how_to_authenticate(client):
    response = client.get("/api/v1/me")
    assert_error_shape(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_405_lists_the_methods_the_path_allows(client):
    response = client.delete("/api/v1/healthz")
    assert_error_shape(response, 405)
    assert {m.strip() for m in response.headers["Allow"].split(",")} >= {"GET", "HEAD"}
