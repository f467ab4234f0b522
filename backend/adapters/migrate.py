"""Alembic, called from code: `flask db-upgrade`, the test fixtures and scripts/run."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"


def alembic_config(url: str, data_key: str | None = None) -> Config:
    """`data_key`: the app's `DATA_KEY`, for migrations that encrypt or decrypt rows;
    without it they read it from the environment as the app would (DATA_KEY, or the
    development key in DATA_DIR), and only when there is a row to convert."""
    cfg = Config(str(MIGRATIONS / "alembic.ini"))
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["url"] = url
    if data_key:
        cfg.attributes["data_key"] = data_key
    return cfg


def upgrade(url: str, revision: str = "heads", *, data_key: str | None = None) -> None:
    # "heads": feature branches of the schema may be merged later; each stands alone.
    command.upgrade(alembic_config(url, data_key), revision)


def downgrade(url: str, revision: str, *, data_key: str | None = None) -> None:
    command.downgrade(alembic_config(url, data_key), revision)


def keyring_for_migration(attributes: dict):
    """The keyring a migration converting rows uses: the key it was given, else the
    environment's (as `from_environment` reads it)."""
    from backend.adapters.crypto import Keyring
    from backend.config import data_key_from_environment
    return Keyring(attributes.get("data_key") or data_key_from_environment())


# pg_advisory_lock's key for "the schema and the seed are being changed": "yibao" in ASCII.
LOCK_KEY = 0x796962616F


@contextmanager
def exclusive(url: str, wait_seconds: float = 300):
    """Only one process at a time migrates or seeds one database: several servers
    started together (scripts/run, scripts/serve on each machine) take turns, and
    the later ones find the work done. PostgreSQL: a session advisory lock, held on a
    connection of its own (released when the block ends, or when the process dies).
    SQLite: an exclusive `flock` on `<database file>.lock` beside the database."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        engine = create_engine(url, poolclass=NullPool)
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT set_config('lock_timeout', :ms, false)"),
                             {"ms": f"{int(wait_seconds * 1000)}ms"})
                conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": LOCK_KEY})
                conn.commit()
                try:
                    yield
                finally:
                    conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY})
                    conn.commit()
        finally:
            engine.dispose()
        return
    database = parsed.database if parsed.get_backend_name() == "sqlite" else None
    if not database or database == ":memory:" or database.startswith("file:"):
        yield  # nothing shared to guard
        return
    import fcntl
    lock_path = Path(database).with_name(Path(database).name + ".lock")
    if not lock_path.parent.is_dir():
        yield  # no database either: connecting says so, in one sentence (never made here)
        return
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
