"""personal data at rest: ID numbers, phones, addresses and health encrypted; a blind
index for the ID number; idempotency records without the answer's copy

Every value of the columns below is rewritten as AES-256-GCM ciphertext (`v1:…`,
backend/adapters/crypto.py) with the app's `DATA_KEY`: the key `flask db-upgrade`
passes, else the environment's (`DATA_KEY`, or the development key in `DATA_DIR`),
read only when there is a row to convert. A value already encrypted is left alone,
so a conversion interrupted and run again does not encrypt twice.

`insured_persons.id_number_index` (HMAC-SHA256, unique) replaces the unique
ID number for lookups: a ciphertext is different every time.

Ciphertext is longer than the value: on PostgreSQL the columns become TEXT (JSON
ones too). SQLite enforces neither lengths nor JSON, so its columns keep their
declared types, and its old unique constraint on the ID number stays (every
ciphertext is unique): changing either would mean recreating tables that others
reference, which SQLite cannot do with foreign keys on inside a transaction.

`idempotency_records.body` (a copy of the answer, with names and masked numbers)
is dropped: replay reads the row as it is now.

The downgrade decrypts everything back.

Old copies: SQLite connections run with `secure_delete`, so the plain values are
overwritten in the file. PostgreSQL keeps the old row versions in its data files
until they are vacuumed, and plain VACUUM does not rewrite them: after converting a
database that held real data, run `VACUUM FULL insured_persons, accounts, filings,
fd_signups, idempotency_records` (it cannot run inside this migration's transaction).

Revision ID: 0004_personal_data_at_rest
Revises: 0003_agent_declaration
"""
from alembic import context, op
import sqlalchemy as sa


revision = '0004_personal_data_at_rest'
down_revision = '0003_agent_declaration'
branch_labels = None
depends_on = None

# table -> {column: (type before, is JSON)}
ENCRYPTED = {
    'insured_persons': {'id_number': (sa.String(length=18), False), 'phone': (sa.String(length=20), False),
                        'address': (sa.String(length=200), False)},
    'accounts': {'phone': (sa.String(length=20), False)},
    'filings': {'agent_phone': (sa.String(length=20), False), 'address': (sa.String(length=200), False),
                'contact_name': (sa.String(length=64), False), 'contact_phone': (sa.String(length=20), False)},
    'fd_signups': {'health_tags': (sa.JSON(), True), 'key_groups': (sa.JSON(), True)},
}
PREFIX = 'v1:'
PAGE = 500


class _Keys:
    """The keyring, loaded at the first row that needs it."""

    def __init__(self):
        self._ring = None

    def __call__(self):
        if self._ring is None:
            from backend.adapters.migrate import keyring_for_migration
            self._ring = keyring_for_migration(context.config.attributes)
        return self._ring


def _rewrite(table: str, columns: list[str], change, *, index: bool = False) -> None:
    """Every row of `table`, a page at a time: `change(value)` for each non-null
    value of `columns` (None: leave it), and the ID number's blind index."""
    conn = op.get_bind()
    names = ', '.join(columns + (['id_number_index'] if index else []))
    last = 0
    while True:
        rows = conn.execute(sa.text(f'SELECT id, {names} FROM {table} WHERE id > :last ORDER BY id LIMIT {PAGE}'),
                            {'last': last}).mappings().all()
        if not rows:
            return
        for row in rows:
            values = {}
            for column in columns:
                if row[column] is not None:
                    new = change(row[column], column)
                    if new is not None:
                        values[column] = new
            if index and row['id_number'] is not None:
                values.update(index(row))
            if values:
                sets = ', '.join(f'{c} = :{c}' for c in values)
                conn.execute(sa.text(f'UPDATE {table} SET {sets} WHERE id = :id'), {**values, 'id': row['id']})
        last = rows[-1]['id']


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == 'postgresql'
    keys = _Keys()

    if postgres:
        op.drop_constraint('uq_insured_persons_id_number', 'insured_persons', type_='unique')
        for table, columns in ENCRYPTED.items():
            for column, (_before, is_json) in columns.items():
                op.alter_column(table, column, type_=sa.Text(),
                                postgresql_using=f'{column}::text' if is_json else None)
    op.add_column('insured_persons', sa.Column('id_number_index', sa.String(length=64), nullable=True))

    def encrypt(value, _column):
        text = value if isinstance(value, str) else str(value)
        return None if text.startswith(PREFIX) else keys().encrypt(text)

    def index(row):
        number = row['id_number']
        plain = keys().decrypt(number) if number.startswith(PREFIX) else number
        return {'id_number_index': keys().blind_index(plain)}

    for table, columns in ENCRYPTED.items():
        _rewrite(table, list(columns), encrypt, index=table == 'insured_persons' and index)

    if postgres:
        op.alter_column('insured_persons', 'id_number_index', nullable=False)
        op.create_unique_constraint('uq_insured_persons_id_number_index', 'insured_persons', ['id_number_index'])
    else:
        op.create_index('uq_insured_persons_id_number_index', 'insured_persons', ['id_number_index'], unique=True)

    with op.batch_alter_table('idempotency_records', schema=None) as batch_op:
        batch_op.drop_column('body')


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == 'postgresql'
    keys = _Keys()

    with op.batch_alter_table('idempotency_records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('body', sa.Text(), nullable=False, server_default='{}'))

    def decrypt(value, _column):
        return keys().decrypt(value) if isinstance(value, str) and value.startswith(PREFIX) else None

    for table, columns in ENCRYPTED.items():
        _rewrite(table, list(columns), decrypt)

    if postgres:
        op.drop_constraint('uq_insured_persons_id_number_index', 'insured_persons', type_='unique')
        op.drop_column('insured_persons', 'id_number_index')
        for table, columns in ENCRYPTED.items():
            for column, (before, is_json) in columns.items():
                op.alter_column(table, column, type_=before,
                                postgresql_using=f'{column}::json' if is_json else None)
        op.create_unique_constraint('uq_insured_persons_id_number', 'insured_persons', ['id_number'])
    else:
        op.drop_index('uq_insured_persons_id_number_index', 'insured_persons')
        # SQLite (3.35+) drops a column in place; batch mode would recreate a table
        # that others reference.
        op.execute('ALTER TABLE insured_persons DROP COLUMN id_number_index')
