#!/usr/bin/env python3
"""Fill the database with filings, fast, so that a benchmark can compare the records
list and one filing at a million filings with the same at a thousand.

    DATA_DIR=… [DATABASE_URL=…] .venv/bin/python scripts/fill_filings.py --total 1000000

Settings come from the environment, as for the app (the same `DATA_DIR`,
`DATABASE_URL`, `DATA_KEY`), on a database already migrated and seeded. It adds
filings until the table holds `--total` rows (nothing if it already does), in
batches: every value goes through its column's own SQLAlchemy type, as an ORM insert
would (address, contact name and phone become AES-GCM ciphertexts under the app's
`DATA_KEY`, each with its own nonce; times UTC; JSON), then straight to the driver:
`COPY` on PostgreSQL, `executemany` on SQLite. The app reads them like any other
row. The filings belong to `--people` filler people made for the purpose (QA's fresh insured people, each with an account), spread evenly:
temporary filings (急诊) in force or cancelled, submitted on past days, each with a
unique filing number and verification token. No history lines, photos or signature
files are made: neither the records list nor one filing reads them. Then
`ANALYZE`, as autovacuum or a DBA would after a load. Prints how many rows it added
and how long it took.
"""

from __future__ import annotations

import argparse
import random
import secrets
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select, text  # noqa: E402

from backend import create_app  # noqa: E402
from backend.adapters.db import session  # noqa: E402
from backend.adapters.models.accounts import Account  # noqa: E402
from backend.adapters.models.filings import Filing  # noqa: E402
from backend.adapters.models.registry import InsuredPerson  # noqa: E402
from backend.services import qa  # noqa: E402

STREETS = ("人民大道", "海甸岛五西路", "龙昆南路", "滨海大道", "国兴大道", "南沙路", "和平北路", "白龙南路")


def filler_owners(count: int) -> list[tuple[int, int]]:
    """(account id, person id) of `count` fresh insured people, each with an account."""
    s = session()
    owners = []
    for _ in range(count):
        number = qa.make_person("resident", "140100", random.randint(20, 80))["id_number"]
        person = s.scalars(select(InsuredPerson).where(InsuredPerson.id_number_is(number))).one()
        account = Account(openid=f"bench-fill-{secrets.token_hex(12)}", person_id=person.id)
        s.add(account)
        s.flush()
        owners.append((account.id, person.id))
    s.commit()
    return owners


def rows(start: int, count: int, owners: list[tuple[int, int]], run: str):
    """`count` filings as plain dicts: mostly in force, a few cancelled, all submitted."""
    now = datetime.now(timezone.utc)
    for i in range(start, start + count):
        account_id, person_id = owners[i % len(owners)]
        days_ago = random.randint(1, 900)
        submitted = now - timedelta(days=days_ago, seconds=random.randint(0, 86_399))
        valid_from = (submitted + timedelta(hours=8)).date()
        cancelled = random.random() < 0.1
        yield {
            "for_whom": "self", "status": "cancelled" if cancelled else "effective",
            "steps_done": ["insured", "notice", "details", "signature"],
            "created_by_account_id": account_id, "insured_person_id": person_id,
            "scheme": "resident", "insured_region": "140100",
            "notice_version": "fill", "notice_accepted_at": submitted,
            "category": "temporary", "person_type": "emergency", "scope": "cross_province",
            "destination_region": "460100", "start_date": valid_from,
            "end_date": valid_from + timedelta(days=200),
            "address": f"海南省海口市美兰区{random.choice(STREETS)}{random.randint(1, 300)}号",
            "hospital": "海南省人民医院", "reason": "急诊抢救",
            "contact_name": "联系人", "contact_phone": f"138{random.randint(0, 99_999_999):08d}",
            "pledge_version": "fill", "signer_person_id": person_id, "signed_at": submitted,
            "filing_no": f"YDFILL{run}{i:010d}", "valid_from": valid_from,
            "valid_to": valid_from + timedelta(days=200), "submitted_at": submitted,
            "verification_token": secrets.token_urlsafe(24),
            "cancelled_at": now if cancelled else None, "cancel_reason": "计划有变" if cancelled else None,
            "created_at": submitted, "updated_at": submitted,
        }


def fill(total: int, people: int, batch: int, out=print) -> int:
    s = session()
    have = s.scalar(select(func.count()).select_from(Filing))
    need = total - have
    if need <= 0:
        out(f"filings: {have:,} already, none added")
        return 0
    started = time.monotonic()
    owners = filler_owners(min(people, need))
    run = secrets.token_hex(3).upper()
    done = 0
    table = Filing.__table__
    dialect = s.get_bind().dialect
    columns = list(next(rows(0, 1, owners, run)))
    # Each column's own bind processing (encryption, UTC times, JSON, dates), as an
    # ORM insert would do it, then the driver at full speed: COPY on PostgreSQL,
    # executemany on SQLite.
    processors = [table.c[name].type.bind_processor(dialect) for name in columns]
    quoted = ", ".join(columns)
    while done < need:
        n = min(batch, need - done)
        values = [tuple(proc(row[c]) if proc else row[c] for c, proc in zip(columns, processors))
                  for row in rows(done, n, owners, run)]
        # In the session's transaction (on SQLite its BEGIN IMMEDIATE), one commit a batch.
        connection = s.connection()
        if dialect.name == "postgresql":
            raw = connection.connection.driver_connection
            with raw.cursor() as cursor, cursor.copy(f"COPY filings ({quoted}) FROM STDIN") as copy:
                for value in values:
                    copy.write_row(value)
        else:
            connection.exec_driver_sql(f"INSERT INTO filings ({quoted}) VALUES ({', '.join('?' * len(columns))})",
                                       values)
        s.commit()
        done += n
        if done % (batch * 20) == 0 or done == need:
            out(f"  {done:,} of {need:,} added ({time.monotonic() - started:.0f} s)")
    analyse = "ANALYZE filings" if s.get_bind().dialect.name == "postgresql" else "ANALYZE"
    s.execute(text(analyse))
    s.commit()
    out(f"filings: {have:,} + {need:,} = {total:,} in {time.monotonic() - started:.1f} s")
    return need


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--total", type=int, required=True, help="rows the filings table should hold")
    parser.add_argument("--people", type=int, default=200, help="filler people the filings are spread over")
    parser.add_argument("--batch", type=int, default=5000, help="rows an INSERT batch (one commit each)")
    args = parser.parse_args()
    app = create_app()
    with app.app_context():
        fill(args.total, args.people, args.batch, out=lambda line: print(line, flush=True))


if __name__ == "__main__":
    main()
