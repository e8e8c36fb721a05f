"""/sources, /sync, /stats for administrators (ADMIN_IDS). Anyone else gets the unknown-command answer: these
handlers are registered with a user filter, so for others the update falls through to it."""
from __future__ import annotations

import asyncio
from collections import Counter

from sqlmodel import Session, func, select
from telegram import Update
from telegram.ext import ContextTypes

from handlers import texts
from handlers.common import reply, services
from knowledge import formatting as fmt
from knowledge.models import Organisation, SavedSearch, Subscription
from knowledge.status import timing
from knowledge.sync import list_sources, sync_all
from knowledge.texts import STATUS_LABELS, SYNC_NO_SOURCE, plural

SYNC_OPTIONS = "sync_options"        # bot_data: token and timeout for syncs, set by the wiring


async def on_sources(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    sources = await asyncio.to_thread(list_sources, services(context).kb.engine)
    if not sources:
        await reply(update, context, texts.ADMIN_NO_SOURCE)
        return
    lines = [texts.ADMIN_SOURCES]
    for src in sources:
        when = fmt.datetime_long(src.last_sync_at) if src.last_sync_at else texts.ADMIN_NEVER_READ
        state = "✅" if src.last_status == "ok" else "⚠️" if src.last_status == "error" else "•"
        error = f" — {src.last_error}" if src.last_error else ""
        lines.append(texts.ADMIN_SOURCE_LINE.format(state=state, name=src.name, kind=src.kind, when=when,
                                                    count=src.last_count, error=error))
    await reply(update, context, "\n".join(_escape(line) if i else line for i, line in enumerate(lines)))


async def on_sync(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    s = services(context)
    await reply(update, context, texts.ADMIN_SYNC_STARTED)
    options = context.application.bot_data.get(SYNC_OPTIONS, {})
    reports = await asyncio.to_thread(sync_all, s.kb.engine, s.clock(), **options)
    s.kb.refresh()
    text = "\n".join(r.summary() for r in reports) or SYNC_NO_SOURCE
    await reply(update, context, _escape(text))


async def on_stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    s = services(context)

    def gather() -> str:
        now = s.clock()
        with Session(s.kb.engine) as db:
            profiles = db.exec(select(func.count(Organisation.id))).one()
            chats = db.exec(select(func.count(func.distinct(SavedSearch.chat_id)))).one()
            active = db.exec(select(func.count(Subscription.id)).where(Subscription.active)).one()
            inactive = db.exec(select(func.count(Subscription.id)).where(~Subscription.active)).one()
        by_status = Counter(STATUS_LABELS[timing(o, now).status] for o in s.kb.all())
        sources = list_sources(s.kb.engine)
        lines = [texts.ADMIN_STATS,
                 texts.ADMIN_USERS.format(users=max(profiles, chats), profiles=plural(profiles, "profil", "profils"),
                                          searchers=chats),
                 texts.ADMIN_SUBSCRIPTIONS.format(active=plural(active, "actif", "actifs"),
                                                  stopped=plural(inactive, "arrêté", "arrêtés")),
                 texts.ADMIN_ITEMS.format(items=", ".join(plural(n, label, label + "s")
                                                          for label, n in by_status.most_common()))]
        for src in sources:
            when = fmt.datetime_long(src.last_sync_at) if src.last_sync_at else texts.ADMIN_NEVER
            lines.append(_escape(texts.ADMIN_SOURCE_STAT.format(name=src.name, when=when,
                                                                status=src.last_status or "-")))
        return "\n".join(lines)

    await reply(update, context, await asyncio.to_thread(gather))


def _escape(text: str) -> str:
    import html

    return html.escape(text, quote=False)
