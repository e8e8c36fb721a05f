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
