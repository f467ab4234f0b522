"""Configuration, read from the environment and nowhere else.

`DATABASE_URL` (`postgres://`, `postgresql://` or `sqlite:///`; default: SQLite file under `DATA_DIR`), `DATA_DIR` (default
`instance/`, also holds uploads), `SECRET_KEY` (a development key is generated into
`DATA_DIR` when unset; production refuses to start without a strong one), `DATA_KEY`
(base64 of 32 random bytes: encrypts personal data at rest; generated into `DATA_DIR`
like the secret key in development, required in production),
`PUBLIC_BASE_URL`, `YIBAO_ENV`, `WECHAT_APP_ID`/`WECHAT_APP_SECRET`
(also the subscribe-message sender, with `WECHAT_TEMPLATE_<TEMPLATE>` template ids
and `WECHAT_API_BASE`),
`REALNAME_URL`/`REALNAME_PARTNER_ID`/`REALNAME_SECRET` (the 医保电子凭证 real-name provider;
unset: the development stand-in, which production refuses),
`YIBAO_CLOCK` (outside production: the app's clock starts at this moment and runs on),
`ID_PHOTO_RETENTION_DAYS` (days an ended filing keeps its ID photos; default 30),
`BLOB_STORE` (where photos and signatures go: `DATA_DIR/blobs` by default, or
`s3://bucket[/prefix]` with `S3_ENDPOINT_URL`, `AWS_ACCESS_KEY_ID`,
`AWS_SECRET_ACCESS_KEY`, `AWS_REGION`/`AWS_DEFAULT_REGION`; see `backend.adapters.storage`).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from backend.adapters import crypto

MIN_KEY_BYTES = 32
DEFAULT_ID_PHOTO_RETENTION_DAYS = 30


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
    """A development key kept in a file of its own under DATA_DIR, created 0600, so
    that every server sharing DATA_DIR signs and encrypts with the same one. Servers
    starting together agree: the key is written whole to a file of this process's
    own (O_EXCL), then linked into place, which fails if another was first; the
    loser reads the winner's. Nobody ever reads a half-written key."""
    if not path.exists():
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        crypto.write_private_file(tmp, make())
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink(missing_ok=True)
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


def _retention_days(env: dict) -> int:
    text = env.get("ID_PHOTO_RETENTION_DAYS", "").strip()
    if not text:
        return DEFAULT_ID_PHOTO_RETENTION_DAYS
    if not text.isdigit():
        raise ConfigError(f"ID_PHOTO_RETENTION_DAYS is a number of days (0 or more), not {text!r}")
    return int(text)


REALNAME_SETTINGS = ("REALNAME_URL", "REALNAME_PARTNER_ID", "REALNAME_SECRET")


def _realname(env: dict, production: bool) -> dict:
    """The real-name provider (医保电子凭证): all three settings, or none for the
    development stand-in, which real-names accounts by their login code and so must
    never run in production."""
    values = {name: env.get(name, "").strip() for name in REALNAME_SETTINGS}
    if any(values.values()) and not all(values.values()):
        raise ConfigError("REALNAME_URL, REALNAME_PARTNER_ID and REALNAME_SECRET go together")
    if production and not all(values.values()):
        raise ConfigError("production needs the real-name provider: set REALNAME_URL, REALNAME_PARTNER_ID "
                          "and REALNAME_SECRET (the stand-in real-names anyone by a login code)")
    return values


def from_environment(env: dict | None = None) -> dict:
    env = dict(os.environ if env is None else env)
    production = env.get("YIBAO_ENV", "development") == "production"
    data_dir = Path(env.get("DATA_DIR") or "instance").resolve()
    # Created here, private to the service: it holds keys, the SQLite file and photos.
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    if production and not (env.get("WECHAT_APP_ID") and env.get("WECHAT_APP_SECRET")):
        raise ConfigError("WECHAT_APP_ID and WECHAT_APP_SECRET are required in production: "
                          "the built-in login stand-in lets anyone in with a demo code")
    database_url = env.get("DATABASE_URL") or f"sqlite:///{data_dir / 'yibao.sqlite3'}"
    database_url = normalise_database_url(database_url)
    secret_key = _secret_key(env, data_dir, production)
    port = env.get("PORT", "5000")
    moved = _moved_clock(env, production)
    realname = _realname(env, production)
    key = data_key(env, data_dir, production)
    return {
        **moved,
        "ENV_NAME": "production" if production else "development",
        "DATA_DIR": str(data_dir),
        "DATABASE_URL": database_url,
        "SECRET_KEY": secret_key,
        "DATA_KEY": key,
        "PUBLIC_BASE_URL": (env.get("PUBLIC_BASE_URL") or f"http://127.0.0.1:{port}").rstrip("/"),
        "WECHAT_APP_ID": env.get("WECHAT_APP_ID", ""),
        "WECHAT_APP_SECRET": env.get("WECHAT_APP_SECRET", ""),
        **realname,
        "WECHAT_API_BASE": env.get("WECHAT_API_BASE", "https://api.weixin.qq.com").rstrip("/"),
        **{name: env[name].strip() for name in env if name.startswith("WECHAT_TEMPLATE_") and env[name].strip()},
        "ACCESS_TOKEN_SECONDS": 15 * 60,
        "REFRESH_TOKEN_DAYS": 30,
        "TOKEN_ISSUER": "yibao",
        "TOKEN_AUDIENCE": "yibao-miniprogram",
        "MAX_CONTENT_LENGTH": 11 * 1024 * 1024,
        "REDIS_URL": env.get("REDIS_URL", ""),
        "MAX_OPEN_DRAFTS": int(env.get("MAX_OPEN_DRAFTS", MAX_OPEN_DRAFTS)),
        "DRAFT_RETENTION_DAYS": int(env.get("DRAFT_RETENTION_DAYS", DRAFT_RETENTION_DAYS)),
        "RATE_LIMITS": rate_limits(env),
        "ID_PHOTO_RETENTION_DAYS": _retention_days(env),
        **_blob_store(env),
    }


def _blob_store(env: dict) -> dict:
    """Where photos and signatures are kept (`backend.adapters.storage.from_config`)."""
    from backend.adapters.storage import parse_blob_store
    text = env.get("BLOB_STORE", "").strip()
    try:
        kind, _, _ = parse_blob_store(text)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    settings = {"BLOB_STORE": text}
    if kind == "s3":
        settings.update({
            "S3_ENDPOINT_URL": env.get("S3_ENDPOINT_URL", "").strip(),
            "AWS_ACCESS_KEY_ID": env.get("AWS_ACCESS_KEY_ID", "").strip(),
            "AWS_SECRET_ACCESS_KEY": env.get("AWS_SECRET_ACCESS_KEY", "").strip(),
            "AWS_REGION": (env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "").strip(),
        })
    return settings


# Disk: drafts an account may have open per flow, and how long an untouched draft stays.
MAX_OPEN_DRAFTS = 3
DRAFT_RETENTION_DAYS = 30

# Rate limits, "<group>.<key>": what a group of requests may do per account, per
# address or per partner key (backend/api/limits.py). Per address never below 120
# logins a minute: whole hospitals and carriers share one public address (api.md).
RATE_LIMITS = {
    "login.address": "120/minute",
    "identity.account": "5/minute",
    "identity.address": "120/minute",
    "upload.account": "30/minute",
    "upload.address": "600/minute",
    "submit.account": "10/minute",
    "verification.address": "60/minute",
    "partner.partner": "600/minute",
    # Bytes of photos and signatures an account may upload a day (200 MB: a few
    # dozen phone photos; a filing needs two to four).
    "upload_bytes.account": "209715200/day",
}


def rate_limits(env: dict) -> dict:
    """The defaults, each overridable as `RATE_LIMIT_<GROUP>_<KEY>=30/minute`."""
    return {name: env.get("RATE_LIMIT_" + name.replace(".", "_").upper(), value)
            for name, value in RATE_LIMITS.items()}
