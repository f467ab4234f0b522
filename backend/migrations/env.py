"""Alembic environment: the URL comes from the app's configuration (or `-x url=`)."""

from alembic import context

from backend.adapters.models import Base
from backend.config import from_environment

config = context.config
url = context.get_x_argument(as_dictionary=True).get("url") or config.attributes.get("url") \
    or from_environment()["DATABASE_URL"]


def run_migrations_online() -> None:
    from backend.adapters.db import make_engine

    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=Base.metadata,
                          render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(url)
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            # Batch migrations rebuild a table (copy, drop, rename); with foreign keys
            # enforced, dropping a table that others point at fails (Alembic's advice:
            # switch enforcement off for the migration; the copy keeps every key).
            conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")
        context.configure(connection=conn, target_metadata=Base.metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations_online()
