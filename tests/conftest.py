"""Shared fixtures: a fresh knowledge base (seeded SQLite in a temporary folder) and frozen 'now's."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from knowledge.service import KnowledgeBase
from knowledge.timeutil import today_at_noon

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED_PAGE = next(iter(sorted((SHARED / "seeds").glob("*.txt"))), None) if (SHARED / "seeds").exists() else None


@pytest.fixture(scope="session")
def seed_page() -> str:
    """The CRESS Normandie archive page the shipped data comes from, read at test time."""
    if SEED_PAGE is None:
        pytest.skip("../shared/seeds/ is not beside the project")
    return SEED_PAGE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def kb_url(tmp_path_factory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('kb') / 'kb.db'}"


@pytest.fixture(scope="session")
def kb(kb_url) -> KnowledgeBase:
    """The shipped knowledge base, read-only for tests (tests that write use `fresh_kb`)."""
    return KnowledgeBase.open(kb_url)


@pytest.fixture
def fresh_kb(tmp_path) -> KnowledgeBase:
    return KnowledgeBase.open(f"sqlite:///{tmp_path / 'fresh.db'}")


@pytest.fixture
def june_2021():
    """1 June 2021, noon in Paris: most shipped calls are open."""
    return today_at_noon(date(2021, 6, 1))


@pytest.fixture
def today_2026():
    """26 November 2026: every 2021 call is closed; the yearly Mois de l'ESS is on again."""
    return today_at_noon(date(2026, 11, 26))


def _postgres_url() -> str | None:
    import os

    return os.environ.get("TEST_POSTGRES_URL")


@pytest.fixture(scope="session")
def postgres_server_url():
    """A PostgreSQL server from TEST_POSTGRES_URL (CI sets it); tests needing it are skipped without."""
    import sqlalchemy as sa

    url = _postgres_url()
    if not url:
        pytest.skip("PostgreSQL tests need TEST_POSTGRES_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)")
    try:
        with sa.create_engine(url).connect():
            pass
    except sa.exc.OperationalError as exc:
        pytest.skip(f"no PostgreSQL server at TEST_POSTGRES_URL: {exc.orig}")
    return url


@pytest.fixture
def postgres_url(postgres_server_url):
    """A new, empty database on the PostgreSQL server, dropped after the test."""
    import uuid

    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    name = f"essbot_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(postgres_server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield make_url(postgres_server_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as c:
        c.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db_url(request, tmp_path):
    """The same test on the embedded SQLite file and on a real PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'any.db'}"
    return request.getfixturevalue("postgres_url")
