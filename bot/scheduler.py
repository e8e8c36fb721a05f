"""The digest and reminder run. The JobQueue only ticks; the database (knowledge.delivery) decides what is owed.

A tick: recover deliveries a crashed process left half-done, claim due digests, plan due reminders, then send every
pending delivery — a few at a time through the rate-limited bot, so answers to users are never stuck behind a
long run. Telegram's answers are recorded: 429 waits as asked (the rate limiter retries, then the ledger), 403
deactivates the subscription, anything else is retried with back-off a bounded number of times.
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError

from bot.ratelimit import retry_seconds
from handlers.texts import BUTTON_DETAILS, BUTTON_UNFOLLOW
from knowledge import delivery as ledger
from knowledge import texts
from knowledge.digest import DigestBuilder
from knowledge.models import Delivery
from knowledge.profiles import get_profile
from knowledge.render import digest_text, reminder_text
from knowledge.service import KnowledgeBase

log = logging.getLogger("ess-bot.scheduler")
CONCURRENCY = 4           # sends in flight: enough for 29/s, few enough that an answer waits ~4 slots at most
CLAIM_BATCH = 1000


@dataclass
class TickReport:
    claimed: int = 0
    reminders: int = 0
    recovered: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        done = ", ".join(f"{texts.TICK_OUTCOMES.get(k, k)} : {v}" for k, v in sorted(self.outcomes.items()))
        return texts.TICK_REPORT.format(claimed=self.claimed, reminders=self.reminders, done=done or texts.TICK_NOTHING)


class Scheduler:
    def __init__(self, kb: KnowledgeBase, bot: Bot, clock: Callable[[], datetime], batch: int = 50):
        self.kb, self.bot, self.clock, self.batch = kb, bot, clock, batch
        self._lock = asyncio.Lock()          # one tick at a time in this process

    async def tick(self) -> TickReport:
        async with self._lock:
            now = self.clock()
            engine = self.kb.engine
            report = TickReport()
            report.recovered = await asyncio.to_thread(ledger.recover_stale, engine, now)
            while True:                       # everything due, however many
                claimed = await asyncio.to_thread(ledger.claim_due_digests, engine, now, CLAIM_BATCH)
                report.claimed += claimed
                if claimed < CLAIM_BATCH:
                    break
            report.reminders = await asyncio.to_thread(ledger.plan_reminders, engine, now)
            await self._send_pending(now, report)
            if report.claimed or report.reminders or report.outcomes:
                log.info("tick: %s", report.summary())
            return report

    async def _send_pending(self, now: datetime, report: TickReport) -> None:
        """A producer takes pending deliveries in batches while a few workers send them. The pace is the bot's
        rate limiter's (bot/app.py), shared with answers: with four sends in flight, an answer waits four slots."""
        queue: asyncio.Queue[Delivery | None] = asyncio.Queue(maxsize=2 * self.batch)
        builder: list[DigestBuilder] = []

        async def produce() -> None:
            try:
                await fill()
            finally:                      # whatever happens, the workers are told to stop
                for _ in range(CONCURRENCY):
                    await queue.put(None)

        async def fill() -> None:
            while True:
                batch = await asyncio.to_thread(ledger.take_pending, self.kb.engine, self.clock(), self.batch)
                if not batch:
                    break
                if not builder and any(d.kind == "digest" for d in batch):
                    builder.append(await asyncio.to_thread(lambda: DigestBuilder(self.kb.all(), now)))
                for d in batch:
                    await queue.put(d)

        async def work() -> None:
            while (d := await queue.get()) is not None:
                outcome = await self._send(d, builder[0] if builder else None, now)
                await asyncio.to_thread(ledger.record, self.kb.engine, d, outcome, self.clock())
                report.outcomes[outcome.status] = report.outcomes.get(outcome.status, 0) + 1

        await asyncio.gather(produce(), *(work() for _ in range(CONCURRENCY)))

    async def _send(self, d: Delivery, builder: DigestBuilder | None, now: datetime) -> ledger.Outcome:
        try:
            message = await asyncio.to_thread(self._compose, d, builder, now)
            if message is None:
                return ledger.Outcome("skipped")
            text, keyboard = message
            sent = await self.bot.send_message(d.chat_id, text, parse_mode=ParseMode.HTML, reply_markup=keyboard)
            return ledger.Outcome("sent", message_id=sent.message_id)
        except RetryAfter as exc:          # still limited after the rate limiter's own retries: the ledger waits
            return ledger.Outcome("retry", error=str(exc), retry_after=retry_seconds(exc))
        except Forbidden as exc:
            log.info("chat %s blocked the bot: %s", d.chat_id, exc)
            return ledger.Outcome("blocked", error=str(exc))
        except BadRequest as exc:
            if "chat not found" in str(exc).lower():
                return ledger.Outcome("blocked", error=str(exc))
            log.warning("delivery %s refused by Telegram: %s", d.id, exc)
            return ledger.Outcome("failed", error=str(exc))
        except TelegramError as exc:              # time-outs, network: try again later
            return ledger.Outcome("retry", error=str(exc))
        except Exception as exc:                  # noqa: BLE001 - recorded and retried, never kills the run
            log.exception("delivery %s failed", d.id)
            return ledger.Outcome("retry", error=repr(exc))

    def _compose(self, d: Delivery, builder: DigestBuilder | None,
                 now: datetime) -> tuple[str, InlineKeyboardMarkup | None] | None:
        """The message a delivery carries, or None when there is nothing to say (then it is skipped)."""
        if d.kind == "reminder":
            item = self.kb.get(int(d.key.split(":")[0]))
            if item is None or not ledger.is_following(self.kb.engine, d.chat_id, item.id):
                return None
            keyboard = InlineKeyboardMarkup([[InlineKeyboardButton(BUTTON_DETAILS.format(n="").strip(),
                                                                   callback_data=f"d:{item.id}"),
                                              InlineKeyboardButton(BUTTON_UNFOLLOW, callback_data=f"uf:{item.id}")]])
            return reminder_text(item, now, html=True), keyboard
        subscription = ledger.get_subscription(self.kb.engine, d.chat_id)
        if subscription is None or not subscription.active:
            return None
        profile = get_profile(self.kb.engine, d.chat_id)
        since = subscription.last_sent_at
        digest = builder.build(profile, subscription.kinds, since)
        if digest.empty and subscription.quiet_when_empty:
            return None
        rows = [[InlineKeyboardButton(BUTTON_DETAILS.format(n=n), callback_data=f"d:{o.id}")]
                for n, o in enumerate(digest.items, start=1)]
        buttons = [b for row in rows for b in row]
        keyboard = InlineKeyboardMarkup([buttons[i:i + 3] for i in range(0, len(buttons), 3)]) if buttons else None
        return digest_text(digest, html=True), keyboard
