"""Production is safe by construction: it seeds nothing demo, accepts no demo partner
key and will not serve without a real one."""

from __future__ import annotations

from sqlalchemy import func, select, text

from backend.adapters.models import InsuredPerson, PartnerKey, Team
from backend.services.runtime import session


def _empty(app, tables, url) -> None:
    """Every row the demo seed wrote for this test, gone: a fresh production database."""
    with app.extensions["db"].engine.begin() as conn:
        if url.startswith("postgresql"):
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t.name}"' for t in tables) + " RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(table.delete())


def test_seeding_in_production_writes_reference_data_only(app, runner, tables_to_empty, database_url):
    _empty(app, tables_to_empty, database_url)
    app.config["ENV_NAME"] = "production"
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0 and "not seeded in production" in result.output, result.output
    with app.app_context():
        assert session().scalar(select(func.count(InsuredPerson.id))) == 0
        assert session().scalar(select(func.count(Team.id))) == 0
        assert session().scalar(select(func.count(PartnerKey.id))) == 0


def test_production_will_not_serve_without_a_real_partner_key(app, runner):
    app.config["ENV_NAME"] = "production"
    refused = runner.invoke(args=["check-production"])
    assert refused.exit_code != 0 and "partner-key create" in refused.output   # the demo keys do not count
    made = runner.invoke(args=["partner-key", "create", "--organisation", "海南省人民医院", "--role", "settlement",
                               "--scope", "*"])
    assert made.exit_code == 0, made.output
    assert runner.invoke(args=["check-production"]).exit_code == 0
