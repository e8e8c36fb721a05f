"""Builds the Application: one place wires settings, knowledge base, persistence, handlers and error handler."""
from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import Callable

from telegram import BotCommand
from telegram.ext import Application, ApplicationBuilder
from telegram.request import BaseRequest

import handlers
from bot.config import Settings
from bot.persistence import DatabasePersistence
from bot.ratelimit import SmoothRateLimiter
from bot.scheduler import Scheduler
from handlers.admin import SYNC_OPTIONS
from handlers.common import SERVICES, Services
from handlers.texts import COMMANDS
from knowledge.models import utcnow
from knowledge.service import KnowledgeBase
from knowledge.sync import sync_all

log = logging.getLogger("ess-bot")

OFFLINE_TOKEN = "1:offline"   # the console and the tests talk to an in-process Bot API
SCHEDULER = "scheduler"
OVERALL_RATE = 29.3


async def _post_init(app: Application) -> None:
    await app.bot.set_my_commands([BotCommand(name, description) for name, description in COMMANDS])


def build_application(settings: Settings, kb: KnowledgeBase, *, request: BaseRequest | None = None,
                      clock: Callable[[], datetime] = utcnow, rate_limit: bool = False) -> Application:
    builder = (ApplicationBuilder()
               .token(settings.telegram_bot_token if request is None else OFFLINE_TOKEN)
               .base_url(settings.telegram_base_url)
               .base_file_url(settings.telegram_base_file_url)
               .persistence(DatabasePersistence(kb.engine))
               .post_init(_post_init))
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    if rate_limit:      # answers and digests alike, evenly spaced under Telegram's 30 a second
        builder = builder.rate_limiter(SmoothRateLimiter(OVERALL_RATE, max_retries=3))
    app = builder.build()
    app.bot_data[SERVICES] = Services(kb, clock)
    handlers.register(app, conversation_timeout=settings.conversation_timeout_minutes * 60, admins=settings.admins)
    app.bot_data[SYNC_OPTIONS] = {"aides_territoires_token": settings.aides_territoires_token,
                                  "timeout": settings.source_timeout_seconds}
    if settings.sync_interval_minutes > 0:

        async def sync_sources(context) -> None:
            reports = await asyncio.to_thread(sync_all, kb.engine, clock(), **app.bot_data[SYNC_OPTIONS])
            kb.refresh()
            for report in reports:
                log.info("sync: %s", report.summary())

        app.job_queue.run_repeating(sync_sources, interval=settings.sync_interval_minutes * 60, first=30,
                                    name="sources")
    scheduler = Scheduler(kb, app.bot, clock)
    app.bot_data[SCHEDULER] = scheduler
    if settings.digest_tick_seconds > 0:

        async def tick(context) -> None:
            await scheduler.tick()

        app.job_queue.run_repeating(tick, interval=settings.digest_tick_seconds, first=5, name="digests")
    return app
