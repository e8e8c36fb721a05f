"""The schema and the shipped data behave the same on SQLite and PostgreSQL."""
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlmodel import Session, select

from alembic.script import ScriptDirectory

from knowledge.db import alembic_config, open_database, upgrade
from knowledge.models import Opportunity, Organisation
from knowledge.service import KnowledgeBase
from knowledge.timeutil import PARIS


def test_new_database_is_migrated_and_seeded(any_db_url):
    engine = open_database(any_db_url)
    with Session(engine) as s:
        version = s.execute(sa.text("select version_num from alembic_version")).scalar_one()
        items = s.exec(select(Opportunity).order_by(Opportunity.id)).all()
    assert version == ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    assert len(items) == 10


def test_deadline_round_trips_as_aware_paris_time(any_db_url):
    engine = open_database(any_db_url)
    with Session(engine) as s:
        draccare = s.exec(select(Opportunity).where(Opportunity.key == "cress-normandie-2021-draccare")).one()
    assert draccare.deadline.tzinfo is not None
    assert draccare.deadline.astimezone(PARIS).isoformat() == "2021-07-09T23:59:00+02:00"
    assert draccare.audiences[:2] == ["association", "opco"]
    assert (draccare.amount_min, draccare.amount_max) == (20_000, 500_000)


def test_organisation_profile_is_stored(any_db_url):
    engine = open_database(any_db_url, seed=False)
    with Session(engine) as s:
        s.add(Organisation(chat_id=2**40, org_type="scic", region="28", department="14", themes=["culture"],
                           budget=45_000, esus=True))
        s.commit()
    with Session(engine) as s:
        org = s.exec(select(Organisation).where(Organisation.chat_id == 2**40)).one()
    assert (org.org_type, org.department, org.themes, org.budget, org.esus) == ("scic", "14", ["culture"], 45_000, True)
    assert org.created_at.tzinfo == timezone.utc


def test_upgrade_twice_is_harmless_and_keeps_data(any_db_url):
    engine = open_database(any_db_url)
    upgrade(engine)
    with Session(engine) as s:
        assert len(s.exec(select(Opportunity)).all()) == 10


def test_search_gives_the_same_answer_on_both_databases(any_db_url):
    kb = KnowledgeBase.open(any_db_url)
    now = datetime(2021, 6, 1, 10, tzinfo=timezone.utc)
    answer = kb.ask("AAP emploi jeunes normandie", now)
    assert answer.hits[0].opportunity.key == "cress-normandie-2021-emploi-jeunes-normandie"


def test_migrations_go_down_and_up_again_keeping_the_data(any_db_url):
    from alembic import command

    engine = open_database(any_db_url)
    command.downgrade(alembic_config(engine), "0001")
    upgrade(engine)
    with Session(engine) as s:
        items = s.exec(select(Opportunity)).all()
    assert len(items) == 10 and all(o.manual_fields == [] and o.evidence == {} for o in items)
