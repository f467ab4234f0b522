"""yibao: medical-insurance self-service API and the mini-program mock it serves."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask, request, send_from_directory
from flask_smorest import Api
from werkzeug.routing import IntegerConverter, PathConverter

from backend import config as config_module
from backend import errors
from backend.adapters import realname, subscribe, wechat
from backend.adapters.crypto import Keyring
from backend.adapters.db import Database, rerun_when_safe
from backend.adapters import storage

ROOT = Path(__file__).resolve().parents[1]
MOCK = ROOT / "miniprogram_mock"

API_SETTINGS = {
    "API_TITLE": "yibao 医保自助服务 API",
    "API_VERSION": "1.0.0",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
    "OPENAPI_SWAGGER_UI_PATH": "/docs",
    "OPENAPI_SWAGGER_UI_URL": "/api/v1/docs/assets/",
}


class BoundedInt(IntegerConverter):
    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


class MockPath(PathConverter):
    """A path of the mock's files: anything but the API's."""

    regex = r"(?!api/)[^/].*?"


class YibaoApi(Api):
    """flask-smorest with our one error shape documented as its error schema."""

    from backend.api.base import ErrorSchema as ERROR_SCHEMA


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, static_folder=None)
    settings = config_module.from_environment() if config is None or "SECRET_KEY" not in config else {}
    app.config.update(settings)
    app.config.update(config or {})
    app.config.update(API_SETTINGS)
    app.config.setdefault("RATE_LIMITS", dict(config_module.RATE_LIMITS))
    app.config.setdefault("REDIS_URL", "")
    app.config.setdefault("MAX_OPEN_DRAFTS", config_module.MAX_OPEN_DRAFTS)
    app.config.setdefault("DRAFT_RETENTION_DAYS", config_module.DRAFT_RETENTION_DAYS)
    app.config["DATABASE_URL"] = config_module.normalise_database_url(app.config["DATABASE_URL"])
    if not app.config.get("DATA_KEY"):
        # A configuration given in full (tests) without a data key: as in development.
        app.config["DATA_KEY"] = config_module.data_key({}, Path(app.config["DATA_DIR"]),
                                                        app.config.get("ENV_NAME") == "production")
    app.extensions["crypto"] = Keyring(app.config["DATA_KEY"])
    app.config["JSON_AS_ASCII"] = False
    from backend.api.json_provider import OrjsonProvider
    app.json = OrjsonProvider(app)  # Flask's rules, orjson's speed (issue 15)
    app.json.ensure_ascii = False
    app.json.sort_keys = False

    # Ids in paths fit the database's integer: a larger number matches no route (404)
    # instead of overflowing in the driver.
    app.url_map.converters["int"] = BoundedInt
    Database(app.config["DATABASE_URL"]).init_app(app)
    _read_the_qa_clock_first(app)
    app.extensions["blobs"] = storage.from_config(app.config, app.extensions["crypto"])
    app.extensions["code2session"] = wechat.from_config(app.config)
    app.extensions["realname"] = realname.from_config(app.config)
    app.extensions["subscribe"] = subscribe.from_config(app.config)

    api = YibaoApi(app, spec_kwargs={"info": {"description": DESCRIPTION}})
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"})
    api.spec.components.security_scheme("partnerKey", {"type": "apiKey", "in": "header", "name": "X-Partner-Key"})
    from backend.api import register_blueprints
    register_blueprints(api, production=app.config.get("ENV_NAME") == "production")
    rerun_when_safe(app)  # inside the rate limits: a rerun is not counted twice
    from backend.api import limits
    limits.init_app(app)
    errors.register(app)
    _serve_docs_assets(app)
    _serve_mock(app)
    _protective_headers(app)

    from backend import cli
    cli.register(app)
    logging.getLogger("werkzeug").addFilter(cli.RedactIdNumbers())
    return app


DESCRIPTION = (
    "Out-of-area medical treatment filing (异地就医备案) and family-doctor sign-up "
    "(家庭医生签约). Every error has one shape: `{code, status, message, errors}`, "
    "with a Chinese message a person can act on."
)


# Only our own files run: no inline script, no other origin, never inside a frame
# (clickjacking a page that signs and files for someone). Inline styles stay allowed
# for WeUI and Swagger UI; photos are previewed from blob: and data: URLs.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:", "connect-src 'self'", "font-src 'self' data:", "object-src 'none'",
    "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
])


def _read_the_qa_clock_first(app: Flask) -> None:
    """Outside production, read QA's clock offset once, before the request's session
    takes its connection: the clock never waits for a second one (a full pool under
    many concurrent requests), and every `now()` of the request agrees."""
    if app.config.get("ENV_NAME") == "production":
        return
    from backend.adapters import clock

    @app.before_request
    def read_the_qa_clock():
        if app.config.get("CLOCK") is None:
            clock.qa_offset()


def _protective_headers(app: Flask) -> None:
    @app.after_request
    def protect(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Frame-Options", "DENY")
        # Answers to a logged-in account carry personal data: no cache may keep them.
        if "Authorization" in request.headers or "X-Partner-Key" in request.headers:
            response.headers["Cache-Control"] = "no-store"
        return response


def _serve_docs_assets(app: Flask) -> None:
    """Swagger UI from the npm package installed under miniprogram_mock (no CDN:
    the docs work offline, and nothing third-party is copied into the repo)."""
    dist = MOCK / "node_modules" / "swagger-ui-dist"

    @app.get("/api/v1/docs/assets/<path:name>")
    def docs_assets(name):
        return send_from_directory(dist, name)

    @app.get("/api/v1/docs/start.js")
    def docs_start():
        return send_from_directory(Path(__file__).parent / "static", "swagger-start.js")


def _serve_mock(app: Flask) -> None:
    @app.get("/")
    def mock_index():
        return send_from_directory(MOCK, "index.html")

    # Never under /api/: there, a path no route takes (an id past the range, `abc` for
    # an id) is a 404 whatever the method, not a 405 from this GET-only rule.
    app.url_map.converters["mock_path"] = MockPath

    @app.get("/<mock_path:name>")
    def mock_files(name):
        return send_from_directory(MOCK, name)
