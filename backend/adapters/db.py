"""The database: one engine per app, one session per request.

Services own the transaction (they call `commit`); the session is removed when the
app context ends, so a request never leaks uncommitted work into the next.
"""

from __future__ import annotations

import functools
import os
import sqlite3
from pathlib import Path

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import create_engine, event, make_url
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, scoped_session, sessionmaker


def _private_sqlite_file(url: str) -> None:
    """Create the SQLite file 0600 before SQLite does (it would follow the umask);
    its -wal and -shm files take the same mode. A missing folder is left for the
    connection to report."""
    path = make_url(url).database
    if not path or path == ":memory:" or path.startswith("file:"):
        return
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except OSError:
        pass


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        _private_sqlite_file(url)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            # Let SQLAlchemy, not the driver, decide when a transaction begins.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            # Overwrite what is deleted or replaced: a plain value rewritten encrypted
            # (migration 0004) leaves no copy in the file's free space.
            cursor.execute("PRAGMA secure_delete=ON")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin(conn):
            # A request that may write takes the write lock at the start: two requests
            # that read and then write the same row queue up instead of failing with
            # "database is locked". A reading request (GET, HEAD) begins deferred and
            # never waits for a writer (WAL: readers see the last commit).
            # Sent on the driver's connection itself: through SQLAlchemy's execution path
            # it cost a tenth of a light request's time, for a statement with no result.
            conn.connection.driver_connection.execute("BEGIN IMMEDIATE" if wants_write_lock() else "BEGIN")

        return engine
    # No pre-ping: a dead pooled connection is found by the request that uses it, and
    # that request runs again (`rerun_when_safe`), instead of a round trip before
    # every request to make sure.
    return create_engine(url, pool_size=10, max_overflow=20)


READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_WRITE_LOCK = "_yibao_write_lock"


def wants_write_lock() -> bool:
    """SQLite: whether a transaction begun now takes the write lock. Outside a request
    (the CLI, daily jobs, tests' set-up) always; in a request, unless its method only
    reads and it has not been told it writes (`take_write_lock`)."""
    if not has_request_context():
        return True
    return request.method not in READING_METHODS or getattr(g, _WRITE_LOCK, False)


def take_write_lock() -> None:
    """The rest of this request writes: its next transaction takes the write lock."""
    if has_request_context():
        setattr(g, _WRITE_LOCK, True)


def is_lock_conflict(exc: BaseException) -> bool:
    """SQLite refused to turn a read transaction into a write one (another connection
    wrote meanwhile): the whole request can run again holding the write lock."""
    orig = getattr(exc, "orig", None)
    return isinstance(exc, OperationalError) and isinstance(orig, sqlite3.Error) and \
        getattr(orig, "sqlite_errorname", "").startswith(("SQLITE_BUSY", "SQLITE_LOCKED"))


def rerun_when_safe(app: Flask) -> None:
    """Run a request again, once, from the start, in the two cases where the first run
    failed for a reason a second run does not have and nothing of it was kept:

    - SQLite: a GET that writes (the access log of a look at someone's data) began
      deferred; if another request wrote in between, SQLite cannot upgrade it and says
      "database is locked" at once. It runs again holding the write lock from its first
      statement, so it waits its turn instead. Only GET and HEAD, which only read and log.
    - PostgreSQL: the pooled connection it was given had been closed by the server (a
      restart, a failover, an idle timeout). The pool is not pinged before every use
      (a round trip per request); instead the first statement on a dead connection
      fails, SQLAlchemy drops every connection of the pool made before that moment, and
      the request runs again on a new one, so that the person sees nothing. Any method,
      as long as the request has committed nothing yet; a database that is really down
      fails the second run too, and answers 503."""
    for endpoint, view in list(app.view_functions.items()):
        app.view_functions[endpoint] = _retried(view)


def _retried(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except OperationalError as exc:
            if not _worth_a_second_run(exc):
                raise
            database().session.rollback()
            if is_lock_conflict(exc):
                take_write_lock()
            return view(*args, **kwargs)

    return wrapper


def _worth_a_second_run(exc: OperationalError) -> bool:
    if getattr(g, _COMMITTED, False):
        return False
    if exc.connection_invalidated:
        return True
    return request.method in READING_METHODS and not getattr(g, _WRITE_LOCK, False) and is_lock_conflict(exc)


_COMMITTED = "_yibao_committed"


def _note_commit(_session) -> None:
    if has_request_context():
        setattr(g, _COMMITTED, True)


class Database:
    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)
        maker = sessionmaker(bind=self.engine, expire_on_commit=False)
        event.listen(maker, "after_commit", _note_commit)
        self.session = scoped_session(maker)

    def init_app(self, app: Flask) -> None:
        app.extensions["db"] = self

        @app.teardown_appcontext
        def _remove_session(_exc):
            self.session.remove()

    def dispose(self) -> None:
        self.session.remove()
        self.engine.dispose()


def database() -> Database:
    return current_app.extensions["db"]


def session() -> Session:
    return database().session()


# --- when the database cannot be reached -------------------------------------------

# PostgreSQL states that mean "no usable connection": connection exceptions (08…),
# no such database, authentication refused, the server shutting down or full.
_PG_CONNECTION_STATES = {"3D000", "28000", "28P01", "57P01", "57P02", "57P03", "53300"}


def is_connection_failure(exc: BaseException) -> bool:
    """True when a SQLAlchemy error means the database cannot be reached at all
    (down, missing, refusing us), not that a statement failed."""
    if not isinstance(exc, DBAPIError):
        return False
    if exc.connection_invalidated:
        return True
    orig = exc.orig
    if isinstance(orig, sqlite3.Error):
        return getattr(orig, "sqlite_errorname", None) == "SQLITE_CANTOPEN"
    if isinstance(exc, (OperationalError, InterfaceError)):
        # psycopg gives no SQLSTATE when the connection itself failed or broke.
        state = getattr(orig, "sqlstate", None)
        return state is None or state.startswith("08") or state in _PG_CONNECTION_STATES
    return False


def safe_url(url: str) -> str:
    """The URL to show a person: password hidden, the driver left out."""
    parsed = make_url(url)
    if parsed.drivername.startswith("postgresql+"):
        parsed = parsed.set(drivername="postgresql")
    return parsed.render_as_string(hide_password=True)


def connection_failure_sentence(url: str, exc: BaseException) -> str:
    """One sentence for an operator: which database, what is wrong, what to do."""
    parsed = make_url(url)
    detail = str(getattr(exc, "orig", exc) or exc)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database or "")
        if not path.parent.is_dir():
            reason = (f"the directory {path.parent} does not exist; create it (mkdir -p {path.parent}), "
                      "set DATA_DIR, or fix DATABASE_URL")
        else:
            reason = f"the file {path} cannot be opened; check its permissions or fix DATABASE_URL"
    else:
        where = f"{parsed.host or 'localhost'}:{parsed.port or 5432}"
        flags = " ".join(f for f in (f"-h {parsed.host}" if parsed.host else "",
                                     f"-p {parsed.port}" if parsed.port else "",
                                     f"-U {parsed.username}" if parsed.username else "") if f)
        if "does not exist" in detail and f'database "{parsed.database}"' in detail:
            reason = (f'the database "{parsed.database}" does not exist; create it '
                      f"(createdb {flags} {parsed.database}) or fix DATABASE_URL").replace("  ", " ")
        elif "Connection refused" in detail or "could not connect" in detail:
            reason = f"nothing answers at {where}; start PostgreSQL or fix the host and port in DATABASE_URL"
        elif "resolve host" in detail or "could not translate host name" in detail:
            reason = f"the host {parsed.host} is unknown; fix the host in DATABASE_URL"
        elif "password authentication failed" in detail or ("role" in detail and "does not exist" in detail):
            reason = "the server refused the user name or password; fix them in DATABASE_URL"
        elif "timeout" in detail.lower():
            reason = f"{where} did not answer in time; check that PostgreSQL is running and reachable"
        else:
            first = detail.strip().splitlines()[0] if detail.strip() else type(exc).__name__
            reason = f"{first.rstrip('.')}; check that the database is running and DATABASE_URL is right"
    return f"Cannot connect to the database {safe_url(url)}: {reason}."
