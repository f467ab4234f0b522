"""`flask --app backend <command>`: migrate, seed, expire, write the spec."""

from __future__ import annotations

import functools
import json
import logging
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy.exc import DBAPIError

from backend.adapters.db import connection_failure_sentence, is_connection_failure
from backend.errors import redact_id_numbers


class RedactIdNumbers(logging.Filter):
    """Request lines can carry an ID number in a query string: never log one."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_id_numbers(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


def spec_json(app: Flask) -> str:
    with app.app_context():
        spec = app.extensions["flask-smorest"]["apis"][""]["ext_obj"].spec.to_dict()
    return json.dumps(spec, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def needs_database(command):
    """A database that cannot be reached is one sentence saying what to do (exit 1),
    not a traceback."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except DBAPIError as exc:
            if not is_connection_failure(exc):
                raise
            raise click.ClickException(connection_failure_sentence(current_app.config["DATABASE_URL"], exc)) \
                from None

    return wrapper


def register(app: Flask) -> None:
    @app.cli.command("db-upgrade")
    @click.option("--seed", "and_seed", is_flag=True, help="then seed, as `flask seed` (one start instead of two)")
    @needs_database
    def db_upgrade(and_seed):
        """Apply every Alembic migration, then encrypt any blob written before blobs were."""
        from backend.adapters.migrate import exclusive, upgrade
        # Servers started together take turns (PostgreSQL advisory lock, SQLite flock).
        with exclusive(current_app.config["DATABASE_URL"]):
            upgrade(current_app.config["DATABASE_URL"], data_key=current_app.config["DATA_KEY"])
            sealed = current_app.extensions["blobs"].seal_plain_files()
            click.echo("database migrated" + (f"; {sealed} stored files encrypted" if sealed else ""))
            if and_seed:
                from backend.services import seed as seeding
                click.echo(f"seeded: {seeding.seed_all()}")

    @app.cli.command("seed")
    @needs_database
    def seed():
        """Regions, documents and the demo registry (idempotent)."""
        from backend.adapters.migrate import exclusive
        from backend.services import seed as seeding
        with exclusive(current_app.config["DATABASE_URL"]):  # one seeder at a time
            seeded = seeding.seed_all()
        click.echo(f"seeded: {seeded}")

    @app.cli.command("expire")
    @needs_database
    def expire():
        """Daily: mark filings and contracts past their end as expired, purge ID photos
        of filings ended more than ID_PHOTO_RETENTION_DAYS ago, forget
        Idempotency-Keys older than a day, remind of filings and contracts ending in
        30 days, and deliver pending messages."""
        from backend.services import seed as seeding
        click.echo(f"expired: {seeding.expire_all()}")

    @app.cli.command("send-messages")
    @needs_database
    def send_messages():
        """Deliver pending notifications (订阅消息) that are due, with retry and backoff
        (also run at the end of `flask expire`; run it every few minutes)."""
        from backend.services import notifications
        click.echo(f"messages: {notifications.deliver()}")

    @app.cli.command("purge")
    @needs_database
    def purge():
        """Remove drafts untouched for 30 days, with their files (daily, beside expire)."""
        from backend.services import seed as seeding
        click.echo(f"purged: {seeding.purge_all()}")

    @app.cli.command("check-production")
    @needs_database
    def check_production():
        """Before serving in production: the partner side needs real keys (demo keys
        are never accepted there). Exits non-zero, with the fix, when something is missing."""
        from backend.services import partners
        if partners.real_keys() == 0:
            raise click.ClickException(
                "no partner key: hospitals, teams and the settlement system could not reach the API. "
                "Make one per organisation first: flask --app backend partner-key create "
                "--organisation <name> --role <role> --scope <scope>")
        click.echo(f"production check passed: {partners.real_keys()} partner key(s)")

    keys = AppGroup("partner-key", help="Partner keys: one organisation, one role, one scope (api.md).")

    @keys.command("create")
    @click.option("--organisation", required=True, help="e.g. 湖南省职业病防治院")
    @click.option("--role", required=True, type=click.Choice(["settlement", "fd_team", "police", "fund_manager",
                                                             "hospital", "wi_agency"]))
    @click.option("--scope", required=True, help="* | team id | region code | province code | hospital id")
    @needs_database
    def create_key(organisation, role, scope):
        """Make a key and print it once: only its SHA-256 is kept."""
        from backend.domain.errors import DomainError
        from backend.services import partners
        try:
            key, key_id = partners.create(organisation, role, scope)
        except DomainError as exc:
            raise click.ClickException(exc.message) from None
        click.echo(f"partner key {key_id} for {organisation} ({role}, scope {scope}):\n{key}\n"
                   "Hand it over now: it cannot be shown again.")

    @keys.command("list")
    @needs_database
    def list_keys():
        """Every key: id, first characters, organisation, role, scope, revoked or not."""
        from backend.services import partners
        for row in partners.listing():
            state = "revoked" if row["revoked"] else ("demo" if row["demo"] else "active")
            click.echo(f"{row['id']}\t{row['prefix']}…\t{row['role']}\t{row['scope']}\t{state}\t{row['organisation']}")

    @keys.command("revoke")
    @click.argument("key_id", type=int)
    @needs_database
    def revoke_key(key_id):
        """Revoke a key by its id (from `list`): it stops working at once."""
        from backend.services import partners
        if not partners.revoke(key_id):
            raise click.ClickException(f"no active partner key {key_id}")
        click.echo(f"revoked partner key {key_id}")

    app.cli.add_command(keys)

    calendar = AppGroup("holidays", help="The working-day calendar: official holiday arrangements by year.")

    @calendar.command("load")
    @click.argument("year", type=click.IntRange(2000, 2100))
    @click.argument("path", type=click.Path(dir_okay=False))
    @needs_database
    def load_holidays(year, path):
        """Install a year's official arrangement (国务院办公厅关于YEAR年部分节假日安排的通知)
        from a JSON file {"year", "source", "holidays": [dates off], "adjusted_workdays":
        [weekend days worked]}: it replaces the provisional entry, and the running due
        dates are counted again. Loading the same year again replaces it."""
        from backend.domain.errors import DomainError
        from backend.services import holidays, rescue
        try:
            done = holidays.load_file(year, path, recount=rescue.recount_due_dates)
        except DomainError as exc:
            raise click.ClickException(f"{exc.code}: {exc.message}") from None
        click.echo(f"{year}: {done['holidays']} days off, {done['adjusted_workdays']} adjusted working days "
                   f"{'replaced the earlier load' if done['replaced'] else 'loaded'}; due dates are no longer "
                   f"provisional for {year}")
        for change in done["recounted"]:
            click.echo(f"  {change['application_no']}: {change['due']} {change['before']} -> {change['after']}")
        click.echo(f"{len(done['recounted'])} due date(s) counted again")

    @calendar.command("list")
    @needs_database
    def list_holidays():
        """The years loaded by `holidays load`, with their source."""
        from backend.services import holidays
        for row in holidays.loaded_years():
            click.echo(f"{row['year']}\t{row['holidays']} off\t{row['adjusted_workdays']} worked\t{row['source']}")

    app.cli.add_command(calendar)

    @app.cli.command("write-spec")
    @click.argument("path", default="openapi/openapi.json")
    def write_spec(path):
        """Write the OpenAPI spec (committed; a test fails when it drifts)."""
        Path(path).write_text(spec_json(current_app), encoding="utf-8")
        click.echo(f"wrote {path}")
