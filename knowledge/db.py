"""Engine, schema migrations (Alembic) and first-use seeding of the knowledge base."""
from __future__ import annotations

import logging
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import make_url
from sqlmodel import Session, select

from knowledge.models import Opportunity

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).parent / "migrations"
SEED_FILES = sorted((Path(__file__).parent / "data").glob("*.yaml"))


def make_engine(url: str) -> sa.Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        # Wait for a concurrent writer rather than fail at once with "database is locked".
        return sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": 15})
    return sa.create_engine(url, pool_pre_ping=True)


def alembic_config(engine: sa.Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: sa.Engine) -> None:
    """Create or upgrade the schema to the newest migration."""
    command.upgrade(alembic_config(engine), "head")


@contextmanager
def session(engine: sa.Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as s:
        yield s


def open_database(url: str, *, seed: bool = True) -> sa.Engine:
    """The engine of a ready database: schema at head, shipped data loaded into a new, empty base."""
    engine = make_engine(url)
    upgrade(engine)
    if seed:
        with session(engine) as s:
            empty = s.exec(select(Opportunity.id).limit(1)).first() is None
        if empty:
            from knowledge.ingest import import_file

            for path in SEED_FILES:
                report = import_file(engine, path)
                log.info("seeded %s: %s", path.name, report.summary())
    return engine
