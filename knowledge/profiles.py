"""Per-chat data: the organisation profile, saved searches, and erasing all of it on request."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, delete, select

from knowledge.models import BotState, Delivery, Follow, Organisation, SavedSearch, Subscription, utcnow

PROFILE_FIELDS = ("org_type", "region", "department", "themes", "budget", "esus", "name")


def get_profile(engine: sa.Engine, chat_id: int) -> Organisation | None:
    with Session(engine, expire_on_commit=False) as s:
        return s.exec(select(Organisation).where(Organisation.chat_id == chat_id)).first()


def save_profile(engine: sa.Engine, chat_id: int, values: dict, now: datetime | None = None) -> Organisation:
    """Create or update the chat's profile with the given fields (others untouched)."""
    now = now or utcnow()
    with Session(engine, expire_on_commit=False) as s:
        org = s.exec(select(Organisation).where(Organisation.chat_id == chat_id)).first()
        if org is None:
            org = Organisation(chat_id=chat_id, created_at=now)
        for name in PROFILE_FIELDS:
            if name in values:
                setattr(org, name, values[name])
        org.updated_at = now
        s.add(org)
        s.commit()
        return org


def save_search(engine: sa.Engine, chat_id: int, question: str, scope: str = "") -> int:
    with Session(engine) as s:
        saved = SavedSearch(chat_id=chat_id, question=" ".join(question.split())[:500], scope=scope)
        s.add(saved)
        s.commit()
        return saved.id


def get_search(engine: sa.Engine, search_id: int, chat_id: int) -> SavedSearch | None:
    """A saved search, only for the chat that made it (button data could be forged)."""
    with Session(engine, expire_on_commit=False) as s:
        saved = s.get(SavedSearch, search_id)
        return saved if saved is not None and saved.chat_id == chat_id else None


def erase_chat(engine: sa.Engine, chat_id: int, user_id: int | None = None) -> None:
    """Delete everything kept about a chat (and its user): profile, searches, subscription, follows, deliveries,
    conversation state."""
    keys = {str(chat_id)} | ({str(user_id)} if user_id is not None else set())
    with Session(engine) as s:
        s.exec(delete(Organisation).where(Organisation.chat_id == chat_id))
        for model in (SavedSearch, Subscription, Follow, Delivery):
            s.exec(delete(model).where(model.chat_id == chat_id))
        s.exec(delete(BotState).where(BotState.kind.in_(["user_data", "chat_data"]), BotState.key.in_(keys)))
        for state in s.exec(select(BotState).where(BotState.kind.like("conversation:%"))).all():
            if any(str(part) in keys for part in (state.data or {}).get("key", [])):
                s.delete(state)
        s.commit()
