"""The knowledge base as the rest of the product sees it: ask a question, read an item, check eligibility.

Plain Python over a SQLAlchemy engine; the Telegram handlers and the CLI both go through here.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field, replace
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, func, select

from knowledge import taxonomy, texts
from knowledge.db import open_database
from knowledge.eligibility import Assessment, assess_all
from knowledge.models import Opportunity, Organisation, utcnow
from knowledge.query import Understood
from knowledge.search import AUDIENCE_BITS, SearchIndex, audience_query_mask, matched_words
from knowledge.status import Timing, timing

MAX_QUESTION = 500   # characters read from a question; a pasted page is cut, not refused
STALENESS_CHECK_SECONDS = 5.0   # how often a question checks whether the data changed (a query on big tables)


@dataclass
class Hit:
    opportunity: Opportunity
    score: float
    timing: Timing
    why: list[str]


@dataclass
class Answer:
    query: str
    understood: Understood
    hits: list[Hit]
    total: int
    offset: int
    now: datetime
    closed_only: bool = False
    notes: list[str] = field(default_factory=list)
    ignored_terms: list[str] = field(default_factory=list)
    truncated: bool = False
    any_year: bool = False            # the month asked for was looked up in earlier years

    @property
    def empty_question(self) -> bool:
        """Nothing to work with: an empty message, only emoji or punctuation."""
        return not self.understood.terms and not self.understood.has_filters
    def to_json(self) -> dict:
        def iso(dt):
            return None if dt is None else dt.isoformat()

        return {
            "query": self.query,
            "understood": self.understood.to_json(),
            "total": self.total,
            "closed_only": self.closed_only,
            "results": [{
                "id": h.opportunity.id,
                "title": h.opportunity.title,
                "kind": h.opportunity.kind,
                "status": h.timing.status.value,
                "deadline": iso(h.timing.deadline),
                "starts_at": iso(h.timing.starts_at),
                "ends_at": iso(h.timing.ends_at),
                "url": h.opportunity.application_url or h.opportunity.registration_url or h.opportunity.source_url,
                "score": round(h.score, 4),
                "why": h.why,
            } for h in self.hits],
        }


class KnowledgeBase:
    """Owns the search index and rebuilds it when the data changes (import, sync)."""

    def __init__(self, engine: sa.Engine):
        self.engine = engine
        self._index: SearchIndex | None = None
        self._signature: tuple | None = None
        self._checked_at = float("-inf")
        self._lock = threading.Lock()

    @classmethod
    def open(cls, url: str) -> "KnowledgeBase":
        return cls(open_database(url))

    def _data_signature(self, s: Session) -> tuple:
        return tuple(s.exec(select(func.count(Opportunity.id), func.max(Opportunity.id),
                                   func.max(Opportunity.last_seen_at))).one())

    def index(self) -> SearchIndex:
        """The search index, rebuilt when the data changed; another process's import is seen within seconds."""
        with self._lock:
            now = time.monotonic()
            if self._index is not None and now - self._checked_at < STALENESS_CHECK_SECONDS:
                return self._index
            with Session(self.engine) as s:
                signature = self._data_signature(s)
                if self._index is None or signature != self._signature:
                    # Plain rows, not ORM objects: a third of the memory at 100 000 items.
                    rows = s.execute(sa.select(Opportunity.__table__).order_by(Opportunity.id)).all()
                    self._index = SearchIndex(rows)
                    self._signature = signature
            self._checked_at = now
            return self._index

    def refresh(self) -> None:
        """Look at the data again on the next question (after an import or a sync in this process)."""
        self._checked_at = float("-inf")

    def get(self, opportunity_id: int) -> Opportunity | None:
        with Session(self.engine, expire_on_commit=False) as s:
            return s.get(Opportunity, opportunity_id)

    def by_key(self, key: str) -> Opportunity | None:
        with Session(self.engine, expire_on_commit=False) as s:
            return s.exec(select(Opportunity).where(Opportunity.key == key)).first()

    def all(self) -> list[Opportunity]:
        with Session(self.engine, expire_on_commit=False) as s:
            return list(s.exec(select(Opportunity).order_by(Opportunity.id)).all())

    def _load(self, ids: list[int]) -> dict[int, Opportunity]:
        if not ids:
            return {}
        with Session(self.engine, expire_on_commit=False) as s:
            return {o.id: o for o in s.exec(select(Opportunity).where(Opportunity.id.in_(ids))).all()}

    def ask(self, question: str, now: datetime | None = None, *, limit: int = 5, offset: int = 0,
            profile: Organisation | None = None) -> Answer:
        """Answer a French question. `profile` fills the audience and territory the question leaves out."""
        now = now or utcnow()
        text = " ".join(question.split())
        truncated = len(text) > MAX_QUESTION
        if truncated:                                   # cut at a word
            text = text[:MAX_QUESTION].rsplit(" ", 1)[0]
        index = self.index()
        u = index.parser.parse(text, now)
        u.terms = list(dict.fromkeys(u.terms))          # "normandie normandie…" counts once
        _apply_profile(u, profile)
        if not u.terms and not u.has_filters:
            return Answer(question, u, [], 0, offset, now, truncated=truncated)
        ranking = index.rank(u, now)
        if ranking.any_year and u.period:
            u.period = replace(u.period, label=texts.PERIOD_ANY_YEAR.format(month=texts.MONTH_NAMES[u.period.month]))
        page = ranking.order[offset:offset + limit]
        rows = self._load([int(index.ids[p]) for p in page])
        hits = []
        for rank, p in enumerate(page, start=offset):
            opp = rows.get(int(index.ids[p]))
            if opp is None:        # deleted since the index was built
                continue
            t = timing(opp, now)
            hits.append(Hit(opp, float(ranking.scores[rank]), t, _why(opp, u)))
        notes = list(ranking.notes)
        if truncated:
            notes.insert(0, texts.NOTE_TRUNCATED.format(n=MAX_QUESTION))
        if ranking.ignored_terms and len(ranking.ignored_terms) < len(u.terms) + 1:
            notes.append(texts.NOTE_IGNORED.format(words=", ".join(ranking.ignored_terms)))
        return Answer(question, u, hits, int(ranking.order.size), offset, now, ranking.closed_only, notes,
                      ranking.ignored_terms, truncated, ranking.any_year)

    def eligibility(self, profile: Organisation, now: datetime | None = None) -> list[Assessment]:
        return assess_all(self.all(), profile, now or utcnow())


def _apply_profile(u: Understood, profile: Organisation | None) -> None:
    """The profile fills what the question leaves out (the answer's header says the list is for the profile)."""
    if profile is None:
        return
    if u.audience is None and profile.org_type:
        u.audience = profile.org_type
    if u.territory is None:
        u.territory = taxonomy.profile_place(profile.department, profile.region)


def _why(opp: Opportunity, u: Understood) -> list[str]:
    """French reasons an item is in the answer, one per thing the question asked for."""
    why = []
    found = matched_words(opp, u.terms)
    if found:
        why.append(texts.WHY_WORDS.format(words=", ".join(found)))
    if u.kinds:
        why.append(texts.WHY_KIND.format(kind=texts.kind_label(opp.kind)))
    if u.audience:
        accepted = audience_query_mask(u.audience)
        explicit = [a for a in opp.audiences if accepted & AUDIENCE_BITS.get(a, 0)]
        if explicit:
            why.append(texts.WHY_AUDIENCE.format(audience=taxonomy.AUDIENCES[explicit[0]].label))
        else:
            why.append(texts.WHY_AUDIENCE_UNSTATED)
    if u.territory:
        where = ", ".join(taxonomy.territory_label(c) for c in opp.territories) or texts.WHY_TERRITORY_UNSTATED
        why.append(texts.WHY_TERRITORY.format(territory=where))
    if u.period:
        why.append(texts.WHY_PERIOD.format(period=u.period.label))
    if u.amount is not None:
        line = texts.amount_line(opp)
        why.append(texts.WHY_AMOUNT.format(amount=line) if line else texts.WHY_AMOUNT_UNSTATED)
    return why
