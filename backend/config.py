"""Configuration, read from the environment and nowhere else.

`DATABASE_URL` (`postgres://`, `postgresql://` or `sqlite:///`; default: SQLite file under `DATA_DIR`), `DATA_DIR` (default
`instance/`, also holds uploads), `SECRET_KEY` (a development key is generated into
`DATA_DIR` when unset; production refuses to start without a strong one), `DATA_KEY`
(base64 of 32 random bytes: encrypts personal data at rest; generated into `DATA_DIR`
like the secret key in development, required in production),
`PUBLIC_BASE_URL`, `PARTNER_KEYS`, `YIBAO_ENV`, `WECHAT_APP_ID`/`WECHAT_APP_SECRET`,
`YIBAO_CLOCK` (outside production: the app's clock starts at this moment and runs on).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from backend.adapters import crypto

MIN_KEY_BYTES = 32
DEMO_PARTNER_KEY = "demo-partner-key"


class ConfigError(RuntimeError):
    pass


def _secret_key(env: dict, data_dir: Path, production: bool) -> str:
    key = env.get("SECRET_KEY", "")
    if key:
        if len(key.encode()) < MIN_KEY_BYTES:
            raise ConfigError(f"SECRET_KEY must be at least {MIN_KEY_BYTES} bytes")
        return key
    if production:
        raise ConfigError("SECRET_KEY is required in production")
    # A development key, kept so tokens survive a restart.
    return _generated(data_dir / "secret_key", lambda: secrets.token_urlsafe(48))


def _generated(path: Path, make) -> str:
    """A development key kept in a file of its own, created 0600 (two processes
    starting together both read the one that was written first)."""
    if not path.exists():
        try:
            crypto.write_private_file(path, make())
        except FileExistsError:
            pass
    return path.read_text().strip()


def data_key(env: dict, data_dir: Path, production: bool) -> str:
    """`DATA_KEY`, the key of personal data at rest: base64 of 32 random bytes.
    Production refuses to start without it (a generated key would be lost with the
    machine, and every ID number with it); development generates one into DATA_DIR."""
    key = env.get("DATA_KEY", "").strip()
    if not key:
        if production:
            raise ConfigError("DATA_KEY is required in production: base64 of 32 random bytes "
                              "(python -c \"import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())\")")
        key = _generated(data_dir / "data_key", crypto.new_key_text)
    try:
        crypto.parse_key(key)
    except crypto.BadDataKey as exc:
        raise ConfigError(str(exc)) from None
    return key


def data_key_from_environment(env: dict | None = None) -> str:
    """The key as the app started from this environment would use it (for migrations
    run outside the app)."""
    env = dict(os.environ if env is None else env)
    production = env.get("YIBAO_ENV", "development") == "production"
    return data_key(env, Path(env.get("DATA_DIR") or "instance").resolve(), production)


POSTGRES_SCHEMES = ("postgres://", "postgresql://")


def normalise_database_url(url: str) -> str:
    """`postgres://` (as Heroku-style hosts write it) and `postgresql://` both mean
    PostgreSQL through psycopg 3; any other URL is left as it is."""
    for scheme in POSTGRES_SCHEMES:
        if url.startswith(scheme):
            return "postgresql+psycopg://" + url.removeprefix(scheme)
    return url


def _moved_clock(env: dict, production: bool) -> dict:
    """QA moves the app's one clock with `YIBAO_CLOCK=2027-01-01T09:00` (Beijing time
    unless an offset is given); production refuses to start with it."""
    text = env.get("YIBAO_CLOCK", "").strip()
    if not text:
        return {}
    if production:
        raise ConfigError("YIBAO_CLOCK is for testing: production runs on the real time")
    from backend.adapters.clock import parse_moment, ticking_from
    try:
        start = parse_moment(text)
    except ValueError:
        raise ConfigError(f"YIBAO_CLOCK is not a time: {text!r} (e.g. 2027-01-01T09:00:00+08:00)") from None
    return {"CLOCK": ticking_from(start)}


def from_environment(env: dict | None = None) -> dict:
    env = dict(os.environ if env is None else env)
    production = env.get("YIBAO_ENV", "development") == "production"
    data_dir = Path(env.get("DATA_DIR") or "instance").resolve()
    database_url = env.get("DATABASE_URL") or f"sqlite:///{data_dir / 'yibao.sqlite3'}"
    database_url = normalise_database_url(database_url)
    secret_key = _secret_key(env, data_dir, production)
    partner_keys = [k.strip() for k in env.get("PARTNER_KEYS", "").split(",") if k.strip()]
    if not partner_keys:
        if production:
            raise ConfigError("PARTNER_KEYS is required in production")
        partner_keys = [DEMO_PARTNER_KEY]
    port = env.get("PORT", "5000")
    moved = _moved_clock(env, production)
    key = data_key(env, data_dir, production)
    return {
        **moved,
        "ENV_NAME": "production" if production else "development",
        "DATA_DIR": str(data_dir),
        "DATABASE_URL": database_url,
        "SECRET_KEY": secret_key,
        "DATA_KEY": key,
        "PUBLIC_BASE_URL": (env.get("PUBLIC_BASE_URL") or f"http://127.0.0.1:{port}").rstrip("/"),
        "PARTNER_KEYS": partner_keys,
        "WECHAT_APP_ID": env.get("WECHAT_APP_ID", ""),
        "WECHAT_APP_SECRET": env.get("WECHAT_APP_SECRET", ""),
        "ACCESS_TOKEN_SECONDS": 15 * 60,
        "REFRESH_TOKEN_DAYS": 30,
        "TOKEN_ISSUER": "yibao",
        "TOKEN_AUDIENCE": "yibao-miniprogram",
        "MAX_CONTENT_LENGTH": 11 * 1024 * 1024,
    }
