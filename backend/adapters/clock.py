"""The one clock of the app, and Beijing time.

Everything that asks "what time is it" comes here: services (through
`backend.services.runtime`), model column defaults, tokens and the CLI. Outside
production the clock can be moved: `app.config["CLOCK"]` is a callable returning an
aware datetime (tests set it; QA sets `YIBAO_CLOCK`, see backend/config.py). In
production it is ignored, so a stray setting cannot move real filings in time.

QA moves a running server's clock with `PUT /api/v1/qa/clock`: the offset is a row of
the `qa_clock` table, so every worker process reads the same time. Without a
`CLOCK` setting, the clock reads that row at most once a request (cached on the
request; outside a request, e.g. `flask expire`, on each call) through a connection
of its own that never takes a lock. Production never reads it.

Moments are aware UTC datetimes inside the app and in the database; people see
Beijing time (UTC+8, no daylight saving since 1991), and a date is a Beijing date.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from flask import current_app, has_app_context, has_request_context, request

UTC = timezone.utc
CHINA = timezone(timedelta(hours=8), "Asia/Shanghai")  # no daylight saving


def now() -> datetime:
    """This moment as an aware UTC datetime, from the app's clock when it has one."""
    if has_app_context():
        clock = current_app.config.get("CLOCK")
        if clock is not None and current_app.config.get("ENV_NAME") != "production":
            moment = clock()
            if moment.tzinfo is None:
                raise ValueError("CLOCK must return an aware datetime")
            return moment.astimezone(UTC)
        if current_app.config.get("ENV_NAME") != "production":
            offset = qa_offset()
            if offset:
                return datetime.now(UTC) + timedelta(seconds=offset)
    return datetime.now(UTC)


_QA_CACHE = "_yibao_qa_clock_offset"


def qa_offset() -> float:
    """Seconds QA moved the clock (0: real time), read at most once per request."""
    if has_request_context():
        holder = request._get_current_object()
        cached = getattr(holder, _QA_CACHE, None)
        if cached is None:
            cached = _read_qa_offset()
            setattr(holder, _QA_CACHE, cached)
        return cached
    return _read_qa_offset()


def forget_qa_offset() -> None:
    """After QA moved the clock within this request, read it again."""
    if has_request_context():
        setattr(request._get_current_object(), _QA_CACHE, None)


def _read_qa_offset() -> float:
    database = current_app.extensions.get("db")
    if database is None:
        return 0.0
    # Twice at most: a pooled connection the server has closed (PostgreSQL restarted;
    # the pool is not pinged before use) is thrown away and a new one asked for, so
    # that QA's moved clock is not silently read as "not moved".
    for _attempt in range(2):
        found, row = _read_qa_row(database)
        if found:
            break
    return float(row[0]) if row else 0.0


def _read_qa_row(database) -> tuple[bool, tuple | None]:
    """(whether the database answered, the row). A raw connection in autocommit: no
    BEGIN IMMEDIATE (SQLite), so it never waits for the request's own write lock; a
    missing table (an old database) answers "no row"."""
    try:
        connection = database.engine.raw_connection()
    except Exception:  # noqa: BLE001 - the real work will say what is wrong with the database
        return True, None
    row, answered = None, True
    try:
        cursor = connection.cursor()
        try:
            cursor.execute("SELECT offset_seconds FROM qa_clock WHERE id = 1")
            row = cursor.fetchone()
        finally:
            cursor.close()
    except Exception:  # noqa: BLE001 - no table, no moved clock; or a dead connection
        answered = not _connection_lost(connection)
        if not answered:
            # The server closed it, and with it every other connection the pool holds:
            # drop them all (what SQLAlchemy does itself on a lost connection), so
            # the second attempt gets a new one.
            connection.invalidate()
            database.engine.dispose()
    finally:
        if answered:
            try:
                connection.rollback()
            except Exception:  # noqa: BLE001
                pass
        connection.close()
    return answered, row


def _connection_lost(connection) -> bool:
    driver = getattr(connection, "driver_connection", None)
    closed = getattr(driver, "closed", False)
    broken = getattr(driver, "broken", False)
    return bool(closed or broken)


def ticking_from(start: datetime):
    """A clock for QA: it reads `start` now and runs on at the real pace from there."""
    if start.tzinfo is None:
        raise ValueError("the start of a clock needs a time zone")
    offset = start - datetime.now(UTC)
    return lambda: datetime.now(UTC) + offset


def parse_moment(text: str) -> datetime:
    """RFC 3339 as people here write it: without an offset, it is Beijing time."""
    moment = datetime.fromisoformat(text.strip())
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=CHINA)


def today() -> date:
    """Dates people see (start dates, validity, filing numbers) are Beijing dates."""
    return beijing_date(now())


def as_utc(moment: datetime | None) -> datetime | None:
    """An aware moment in UTC; a naive one is taken as UTC (how rows are stored)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def as_beijing(moment: datetime) -> datetime:
    """The same moment on Beijing wall time; a naive one is taken as UTC."""
    return as_utc(moment).astimezone(CHINA)


def beijing_date(moment: datetime) -> date:
    """The Beijing date of a moment: `2026-12-02T07:30+08:00` is on 2026-12-02,
    though in UTC it is still 2026-12-01. A naive moment is taken as UTC."""
    return as_beijing(moment).date()
