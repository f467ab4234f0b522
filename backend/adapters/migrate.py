"""Alembic, called from code: `flask db-upgrade`, the test fixtures and scripts/run."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"


def alembic_config(url: str) -> Config:
    cfg = Config(str(MIGRATIONS / "alembic.ini"))
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["url"] = url
    return cfg


def upgrade(url: str) -> None:
    # "heads": feature branches of the schema may be merged later; each stands alone.
    command.upgrade(alembic_config(url), "heads")
