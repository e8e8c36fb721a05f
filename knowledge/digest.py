"""Weekly digests: what is new for a profile since its previous digest, deadlines and events of the next 14 days.

Built for many subscribers at once: the few items a digest can mention this week are indexed once
(`DigestBuilder`), then each subscriber is a handful of vectorised masks over them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import numpy as np

from knowledge import taxonomy
from knowledge.models import Opportunity, Organisation, Subscription
from knowledge.query import Understood
from knowledge.search import KIND_CODES, SearchIndex
from knowledge.status import STATUS_CODES, TIER, Timing, status_vector, timing
from knowledge.timeutil import PARIS

WINDOW = timedelta(days=14)
PERIOD = timedelta(days=7)
LOOKBACK = timedelta(days=35)          # "new" never reaches further back than this
MAX_PER_SECTION = 8
CONTENTS = {"calls": taxonomy.CALL_KINDS, "events": {taxonomy.Kind.EVENEMENT},
            "offers": {taxonomy.Kind.OFFRE, taxonomy.Kind.RESSOURCE}}


def next_due(weekday: int, hour: int, after: datetime) -> datetime:
    """The first Paris `weekday` at `hour`:00 strictly after `after` (aware UTC)."""
    local = after.astimezone(PARIS)
    day = local.date() + timedelta(days=(weekday - local.weekday()) % 7)
    for candidate_day in (day, day + timedelta(days=7)):
        candidate = datetime.combine(candidate_day, time(hour), tzinfo=PARIS)
        if candidate > local:
            return candidate.astimezone(after.tzinfo)
    raise AssertionError("unreachable")


def reminder_due(key: datetime, days_before: int) -> datetime:
    """Reminders go out at 09:00 Paris, `days_before` days before the deadline or event day."""
    day: date = key.astimezone(PARIS).date() - timedelta(days=days_before)
    return datetime.combine(day, time(9), tzinfo=PARIS).astimezone(key.tzinfo)


@dataclass
class Digest:
    now: datetime
    new: list[tuple[Opportunity, Timing]] = field(default_factory=list)
    closing: list[tuple[Opportunity, Timing]] = field(default_factory=list)
    events: list[tuple[Opportunity, Timing]] = field(default_factory=list)
    more: int = 0                       # matching items left out to keep the message short

    @property
    def empty(self) -> bool:
        return not (self.new or self.closing or self.events)

    @property
    def items(self) -> list[Opportunity]:
        seen: dict[int, Opportunity] = {}
        for o, _ in self.new + self.closing + self.events:
            seen.setdefault(o.id, o)
        return list(seen.values())


class DigestBuilder:
    """The items any digest at `now` may mention, indexed once for all subscribers."""

    def __init__(self, opportunities: list[Opportunity], now: datetime):
        self.now = now
        horizon = now + WINDOW
        self.items = [o for o in opportunities
                      if o.first_seen_at >= now - LOOKBACK
                      or (o.deadline is not None and now <= o.deadline <= horizon)
                      or (o.starts_at is not None and now <= o.starts_at <= horizon)]
        self.index = SearchIndex(self.items)
        ix = self.index
        statuses = status_vector(ix.opens, ix.deadline, ix.starts, ix.ends, ix.yearly, now.timestamp())
        self.live = np.array([TIER[s] for s in STATUS_CODES], dtype=np.int8)[statuses] < 2
        with np.errstate(invalid="ignore"):
            self.closing = (ix.deadline >= now.timestamp()) & (ix.deadline <= horizon.timestamp())
            self.upcoming_event = ((ix.kinds == KIND_CODES[taxonomy.Kind.EVENEMENT])
                                   & (ix.starts >= now.timestamp()) & (ix.starts <= horizon.timestamp()))

    def build(self, profile: Organisation | None, kinds: list[str], since: datetime | None) -> Digest:
        ix = self.index
        wanted = set().union(*(CONTENTS[k] for k in kinds if k in CONTENTS)) if kinds else set()
        u = Understood(kinds=frozenset(wanted))
        if profile is not None:
            u.audience = profile.org_type
            u.territory = taxonomy.profile_place(profile.department, profile.region)
            u.amount = profile.budget
        mask = ix.filter_mask(u) & self.live if ix.size else np.zeros(0, dtype=bool)
        since_ts = max(since or self.now - PERIOD, self.now - LOOKBACK).timestamp()
        digest = Digest(self.now)
        sections = [("new", mask & (ix.first_seen > since_ts), ix.first_seen, True),
                    ("closing", mask & self.closing, ix.deadline, False),
                    ("events", mask & self.upcoming_event, ix.starts, False)]
        shown: set[int] = set()
        for name, selected, order_key, newest_first in sections:
            positions = np.flatnonzero(selected)
            if shown:                        # an item is listed once, in its first section
                positions = positions[~np.isin(ix.ids[positions], list(shown))]
            digest.more += max(0, positions.size - MAX_PER_SECTION)
            keys = -order_key[positions] if newest_first else order_key[positions]
            if positions.size > MAX_PER_SECTION:    # only the first few are sorted and shown
                keep = np.argpartition(keys, MAX_PER_SECTION)[:MAX_PER_SECTION]
                positions, keys = positions[keep], keys[keep]
            positions = positions[np.argsort(keys, kind="stable")]
            for p in positions:
                opp = self.items[p]
                shown.add(opp.id)
                getattr(digest, name).append((opp, timing(opp, self.now)))
        return digest


def build_digest(opportunities: list[Opportunity], profile: Organisation | None, subscription: Subscription,
                 now: datetime) -> Digest:
    """One chat's digest (preview, tests); the scheduler uses a shared DigestBuilder instead."""
    return DigestBuilder(opportunities, now).build(profile, subscription.kinds, subscription.last_sent_at)
