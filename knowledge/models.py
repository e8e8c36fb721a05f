"""Database models: every table of the project lives here.

Datetimes are stored as UTC and always come back timezone-aware; lists (audiences, territories, themes, contacts,
links) are JSON columns so SQLite and PostgreSQL behave the same.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class UTCDateTime(sa.types.TypeDecorator):
    """Stores naive UTC, returns aware UTC: SQLite keeps no timezone, PostgreSQL would convert silently."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect):
        return None if value is None else value.replace(tzinfo=timezone.utc)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _json_list() -> Any:
    return Field(default_factory=list, sa_type=sa.JSON)


def _when(**kw) -> Any:
    return Field(default=None, sa_type=UTCDateTime, **kw)


class Opportunity(SQLModel, table=True):
    """A call for projects, a call for expressions of interest, an event, an offer or a resource."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True, max_length=200)  # stable upsert key, e.g. "cress-normandie-2021-draccare"
    kind: str = Field(index=True, max_length=20)                # taxonomy.Kind
    title: str
    summary: str = ""                                           # a few lines, fits a Telegram message
    description: str = ""
    organiser: str | None = None
    source_name: str | None = None                              # who published it (e.g. CRESS Normandie)
    audiences: list[str] = _json_list()                          # taxonomy.AUDIENCES codes; empty = not stated
    territories: list[str] = _json_list()                        # "FR", "R28", "D76"
    themes: list[str] = _json_list()                             # taxonomy.THEMES codes
    amount_min: int | None = None                               # euros
    amount_max: int | None = None
    amount_basis: str | None = None                             # taxonomy.AmountBasis
    amount_total: int | None = None                             # total envelope of the call
    amount_note: str | None = None
    requires_esus: bool = False
    opens_at: datetime | None = _when()
    deadline: datetime | None = _when(index=True)
    starts_at: datetime | None = _when()                        # event (or programme) start
    ends_at: datetime | None = _when()
    recurrence: str = Field(default="one_off", max_length=20)    # taxonomy.Recurrence
    application_url: str | None = None
    registration_url: str | None = None
    how_to_apply: str | None = None
    contacts: list[dict] = _json_list()                          # {"name", "role", "email", "phone"}
    links: list[dict] = _json_list()                             # {"label", "url"}
    source_url: str | None = None
    published_at: datetime | None = _when()
    first_seen_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_seen_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    # Where a synced item comes from, and what a sync must respect.
    source_id: int | None = Field(default=None, index=True)
    source_item_id: str | None = Field(default=None, max_length=300)
    fingerprint: str | None = Field(default=None, index=True, max_length=300)   # near-duplicates across sources
    manual_fields: list[str] = _json_list()              # corrected by hand: a sync never overwrites them
    removed_at: datetime | None = _when()                # gone from its source (kept: it may still be open)
    evidence: dict = Field(default_factory=dict, sa_type=sa.JSON)   # field -> the sentence it was read from


class Organisation(SQLModel, table=True):
    """A user's organisation profile, read by the eligibility engine."""

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int | None = Field(default=None, unique=True, index=True, sa_type=sa.BigInteger)
    name: str | None = None
    org_type: str | None = Field(default=None, max_length=40)     # taxonomy.AUDIENCES code
    region: str | None = Field(default=None, max_length=3)       # INSEE region code, e.g. "28"
    department: str | None = Field(default=None, max_length=3)   # INSEE department code, e.g. "76"
    themes: list[str] = _json_list()
    budget: int | None = None                                   # project budget in euros; None = unknown
    esus: bool | None = None                                    # holds the ESUS agreement; None = unknown
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class SavedSearch(SQLModel, table=True):
    """A question a chat asked, so "Plus de résultats" keeps working after a restart."""

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(index=True, sa_type=sa.BigInteger)
    question: str = Field(max_length=500)
    scope: str = Field(default="", max_length=20)    # "" for free text, or a command's kind ("appels"...)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class BotState(SQLModel, table=True):
    """The bot's conversation states and per-user/per-chat data (PTB persistence), as JSON."""

    __tablename__ = "bot_state"
    kind: str = Field(primary_key=True, max_length=40)   # "user_data", "chat_data", "conversation:<name>"
    key: str = Field(primary_key=True, max_length=200)   # user id, chat id, or the conversation key as JSON
    data: Any = Field(default=None, sa_type=sa.JSON)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Subscription(SQLModel, table=True):
    """A chat's weekly digest: when (Paris day and hour), what, and when it is next due (the scheduler's truth)."""

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(unique=True, index=True, sa_type=sa.BigInteger)
    active: bool = True
    weekday: int = 0                                   # 0 = Monday, Europe/Paris
    hour: int = 9                                      # 0-23, Europe/Paris
    kinds: list[str] = _json_list()                    # "calls", "events", "offers"; empty = all
    quiet_when_empty: bool = False                     # nothing new: send nothing rather than one short line
    paused_until: datetime | None = _when()
    next_due_at: datetime | None = _when(index=True)
    last_sent_at: datetime | None = _when()            # "new since the previous digest" starts here
    deactivated_reason: str | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Follow(SQLModel, table=True):
    """⭐ "Suivre": a chat wants reminders before an item's deadline or event."""

    __table_args__ = (sa.UniqueConstraint("chat_id", "opportunity_id"),)
    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(index=True, sa_type=sa.BigInteger)
    opportunity_id: int = Field(index=True, foreign_key="opportunity.id", ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Delivery(SQLModel, table=True):
    """One message the scheduler owes a chat (a digest for a period, a J-7/J-1 reminder): written before sending,
    unique per (chat, kind, key), so it is sent once whatever restarts, crashes or second processes happen."""

    __table_args__ = (sa.UniqueConstraint("chat_id", "kind", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(index=True, sa_type=sa.BigInteger)
    kind: str = Field(max_length=20)                   # "digest" | "reminder"
    key: str = Field(max_length=80)                    # digest: due time ISO; reminder: "<item id>:<date>:J-7"
    subscription_id: int | None = Field(default=None, index=True)
    status: str = Field(default="pending", index=True, max_length=20)   # pending | sending | sent | failed | skipped
    attempts: int = 0
    next_attempt_at: datetime | None = _when()
    message_id: int | None = Field(default=None, sa_type=sa.BigInteger)
    error: str | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    sent_at: datetime | None = _when()


class Source(SQLModel, table=True):
    """A place opportunities come from: an RSS/Atom feed, a WordPress site, Aides-territoires, an archive page."""

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(unique=True, max_length=500)
    kind: str = Field(max_length=30)                   # rss | wordpress | aides-territoires | page
    name: str | None = None
    default_territory: str | None = Field(default=None, max_length=5)   # for posts that name no place
    active: bool = True
    last_sync_at: datetime | None = _when()
    last_status: str | None = Field(default=None, max_length=20)          # ok | error
    last_error: str | None = None
    last_count: int = 0
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
