"""Alembic, called from code: `flask db-upgrade`, the test fixtures and scripts/run."""

from __future__ import annotations

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
