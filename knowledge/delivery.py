"""Subscriptions, follows and the delivery ledger: the database decides what is owed to whom, exactly once.

A delivery row is written before anything is sent, unique per (chat, kind, key): a digest per due time, a reminder
per item and offset. Claiming due subscriptions locks their rows (`FOR UPDATE SKIP LOCKED` on PostgreSQL), so two
bot processes never claim the same one; a delivery moves pending → sending → sent by compare-and-set updates, so
a crash never resends what was recorded as sent.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select, update

from knowledge.digest import next_due, reminder_due
from knowledge.models import Delivery, Follow, Opportunity, Subscription, utcnow
from knowledge.status import timing
from knowledge.taxonomy import Recurrence
from knowledge.timeutil import PARIS

REMINDER_OFFSETS = (7, 1)
MAX_ATTEMPTS = 5
BACKOFF = [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1)]
STALE_SENDING = timedelta(minutes=10)


# --- subscriptions ----------------------------------------------------------------------------------------------------

def get_subscription(engine: sa.Engine, chat_id: int) -> Subscription | None:
    with Session(engine, expire_on_commit=False) as s:
        return s.exec(select(Subscription).where(Subscription.chat_id == chat_id)).first()


def subscribe(engine: sa.Engine, chat_id: int, *, weekday: int, hour: int, kinds: list[str],
              quiet_when_empty: bool, now: datetime) -> Subscription:
    """Create or change a chat's digest; the first one is due at the next chosen day and hour."""
    if not (0 <= weekday <= 6 and 0 <= hour <= 23):
        raise ValueError("weekday 0-6 and hour 0-23")
    with Session(engine, expire_on_commit=False) as s:
        sub = s.exec(select(Subscription).where(Subscription.chat_id == chat_id)).first() or \
            Subscription(chat_id=chat_id, created_at=now)
        sub.weekday, sub.hour, sub.kinds, sub.quiet_when_empty = weekday, hour, list(kinds), quiet_when_empty
        sub.active, sub.deactivated_reason, sub.paused_until = True, None, None
        sub.next_due_at = next_due(weekday, hour, now)
        sub.updated_at = now
        s.add(sub)
        s.commit()
        return sub


def set_content(engine: sa.Engine, chat_id: int, kinds: list[str], quiet_when_empty: bool,
                now: datetime) -> Subscription | None:
    """Change what the digest covers; its schedule (and a pause) stay as they are."""
    with Session(engine, expire_on_commit=False) as s:
        sub = s.exec(select(Subscription).where(Subscription.chat_id == chat_id)).first()
        if sub is None:
            return None
        sub.kinds, sub.quiet_when_empty, sub.updated_at = list(kinds), quiet_when_empty, now
        s.add(sub)
        s.commit()
        return sub


def unsubscribe(engine: sa.Engine, chat_id: int, reason: str, now: datetime) -> bool:
    with Session(engine) as s:
        result = s.exec(update(Subscription).where(Subscription.chat_id == chat_id, Subscription.active)
                        .values(active=False, deactivated_reason=reason, updated_at=now))
        s.commit()
        return result.rowcount > 0


def pause(engine: sa.Engine, chat_id: int, weeks: int, now: datetime) -> Subscription | None:
    """No digest for `weeks` weeks; the next one is the first chosen slot after the pause."""
    with Session(engine, expire_on_commit=False) as s:
        sub = s.exec(select(Subscription).where(Subscription.chat_id == chat_id)).first()
        if sub is None or not sub.active:
            return None
        sub.paused_until = now + timedelta(weeks=weeks)
        sub.next_due_at = next_due(sub.weekday, sub.hour, sub.paused_until)
        sub.updated_at = now
        s.add(sub)
        s.commit()
        return sub


def resume(engine: sa.Engine, chat_id: int, now: datetime) -> Subscription | None:
    with Session(engine, expire_on_commit=False) as s:
        sub = s.exec(select(Subscription).where(Subscription.chat_id == chat_id)).first()
        if sub is None or not sub.active:       # stopped or blocked: only /abonnement starts it again
            return None
        sub.paused_until, sub.updated_at = None, now
        sub.next_due_at = next_due(sub.weekday, sub.hour, now)
        s.add(sub)
        s.commit()
        return sub


# --- follows ----------------------------------------------------------------------------------------------------------

def follow(engine: sa.Engine, chat_id: int, opportunity_id: int) -> bool:
    """Follow an item; False when it was already followed."""
    with Session(engine) as s:
        result = s.execute(_insert_ignore(Follow, {"chat_id": chat_id, "opportunity_id": opportunity_id,
                                                   "created_at": utcnow()}, ["chat_id", "opportunity_id"], engine))
        s.commit()
        return result.rowcount > 0


def unfollow(engine: sa.Engine, chat_id: int, opportunity_id: int) -> None:
    with Session(engine) as s:
        s.execute(sa.delete(Follow).where(Follow.chat_id == chat_id, Follow.opportunity_id == opportunity_id))
        s.commit()


def is_following(engine: sa.Engine, chat_id: int, opportunity_id: int) -> bool:
    with Session(engine) as s:
        return s.exec(select(Follow.id).where(Follow.chat_id == chat_id,
                                              Follow.opportunity_id == opportunity_id)).first() is not None


# --- the ledger -------------------------------------------------------------------------------------------------------

def _insert_ignore(model, values: dict, keys: list[str], engine: sa.Engine):
    dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
    return dialect.insert(model.__table__).values(**values).on_conflict_do_nothing(index_elements=keys)


def claim_due_digests(engine: sa.Engine, now: datetime, limit: int = 1000) -> int:
    """Write a pending delivery for every subscription due by `now` and move it to its next slot; returns how many
    subscriptions were claimed (at most `limit`: call again while it returns `limit`).

    A digest due several times while the bot was down is owed once: the next slot is computed from `now`.
    """
    with Session(engine) as s:
        due = s.exec(select(Subscription)
                     .where(Subscription.active, Subscription.next_due_at <= now,
                            sa.or_(Subscription.paused_until.is_(None), Subscription.paused_until <= now))
                     .order_by(Subscription.next_due_at).limit(limit)
                     .with_for_update(skip_locked=True)).all()
        for sub in due:
            s.execute(_insert_ignore(Delivery, {
                "chat_id": sub.chat_id, "kind": "digest", "key": sub.next_due_at.isoformat(),
                "subscription_id": sub.id, "status": "pending", "attempts": 0, "created_at": now,
            }, ["chat_id", "kind", "key"], engine))
            sub.next_due_at = next_due(sub.weekday, sub.hour, now)
            sub.paused_until = None
            s.add(sub)
        s.commit()
    return len(due)


def plan_reminders(engine: sa.Engine, now: datetime) -> int:
    """Write the J-7 / J-1 reminders that have come due for followed items (once each, ever)."""
    created = 0
    with Session(engine) as s:
        rows = s.exec(select(Follow, Opportunity).join(Opportunity, Opportunity.id == Follow.opportunity_id)
                      .where(sa.or_(Opportunity.deadline > now, Opportunity.starts_at > now,
                                    Opportunity.recurrence == Recurrence.YEARLY))).all()
        for f, opp in rows:
            t = timing(opp, now)                  # yearly items: the next edition
            key_date = t.deadline if t.deadline and t.deadline > now else t.starts_at
            if key_date is None or key_date <= now:
                continue
            for days in REMINDER_OFFSETS:
                if reminder_due(key_date, days) <= now < key_date and \
                        (days == 1 or now < reminder_due(key_date, 1)):
                    edition = key_date.astimezone(PARIS).date().isoformat()   # a yearly item: one per edition
                    result = s.execute(_insert_ignore(Delivery, {
                        "chat_id": f.chat_id, "kind": "reminder", "key": f"{opp.id}:{edition}:J-{days}",
                        "status": "pending", "attempts": 0, "created_at": now}, ["chat_id", "kind", "key"], engine))
                    created += result.rowcount
        s.commit()
    return created


def recover_stale(engine: sa.Engine, now: datetime) -> int:
    """Deliveries left "sending" by a crashed process: Telegram may not have them; try again."""
    with Session(engine) as s:
        result = s.exec(update(Delivery).where(Delivery.status == "sending",
                                               Delivery.next_attempt_at < now - STALE_SENDING)   # = sending since
                        .values(status="pending"))
        s.commit()
        return result.rowcount


def take_pending(engine: sa.Engine, now: datetime, limit: int = 200) -> list[Delivery]:
    """Claim pending deliveries for this process in one statement (pending → sending, rows locked with SKIP
    LOCKED on PostgreSQL, status re-checked), so two processes never take the same one."""
    ready = (select(Delivery.id).where(Delivery.status == "pending",
                                       sa.or_(Delivery.next_attempt_at.is_(None), Delivery.next_attempt_at <= now))
             .order_by(Delivery.id).limit(limit).with_for_update(skip_locked=True))
    claim = (update(Delivery).where(Delivery.id.in_(ready.scalar_subquery()), Delivery.status == "pending")
             .values(status="sending", attempts=Delivery.attempts + 1, next_attempt_at=now)   # = sending since
             .returning(Delivery))
    with Session(engine, expire_on_commit=False) as s:
        taken = list(s.scalars(claim.execution_options(synchronize_session=False)).all())
        s.commit()
    return sorted(taken, key=lambda d: d.id)


@dataclass
class Outcome:
    status: str                  # sent | skipped | retry | failed | blocked
    message_id: int | None = None
    error: str | None = None
    retry_after: float | None = None


def record(engine: sa.Engine, delivery: Delivery, outcome: Outcome, now: datetime) -> None:
    """Write what happened to a delivery; a blocked chat loses its subscription (and says why)."""
    with Session(engine) as s:
        d = s.get(Delivery, delivery.id)
        if d.status != "sending" or d.attempts != delivery.attempts:
            return                    # recovered and taken again elsewhere meanwhile: that claim records it
        d.error = outcome.error
        if outcome.status in {"sent", "skipped"}:
            d.status, d.message_id, d.sent_at = outcome.status, outcome.message_id, now
            if d.kind == "digest" and d.subscription_id:
                s.exec(update(Subscription).where(Subscription.id == d.subscription_id)
                       .values(last_sent_at=now))
        elif outcome.status == "retry" and d.attempts < MAX_ATTEMPTS:
            d.status = "pending"
            wait = timedelta(seconds=outcome.retry_after) if outcome.retry_after else \
                BACKOFF[min(d.attempts - 1, len(BACKOFF) - 1)]
            d.next_attempt_at = now + wait
        else:
            d.status = "failed"
            if outcome.status == "blocked":
                s.exec(update(Subscription).where(Subscription.chat_id == d.chat_id)
                       .values(active=False, deactivated_reason=f"blocked: {outcome.error}", updated_at=now))
        s.add(d)
        s.commit()
