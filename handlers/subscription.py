"""/abonnement (weekly digest: day, hour, content, pause), /desabonner, and ⭐ "Suivre" on items.

Screens are driven by button data alone ("sub:…"), so they keep working after a restart; the subscription itself
is a database row whose next due time the scheduler reads.
"""
from __future__ import annotations

import asyncio

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from handlers import texts
from handlers.common import edit_or_reply, parse_data, reply, services
from knowledge import delivery
from knowledge import formatting as fmt
from knowledge.digest import CONTENTS
from knowledge.models import Subscription
from knowledge.status import timing

DEFAULT_WEEKDAY, DEFAULT_HOUR = 0, 9
PAUSE_WEEKS = 4


def _when(sub: Subscription) -> str:
    return fmt.datetime_long(sub.next_due_at)


def _content(sub: Subscription) -> str:
    chosen = [texts.CONTENT_LABELS[k].lower() for k in CONTENTS if k in sub.kinds]
    return ", ".join(chosen) if chosen and len(chosen) < len(CONTENTS) else texts.CONTENT_ALL


def settings_screen(sub: Subscription, now) -> tuple[str, InlineKeyboardMarkup]:
    paused = sub.paused_until is not None and sub.paused_until > now
    state = texts.SUB_PAUSED.format(until=fmt.date_long(sub.paused_until), next=_when(sub)) if paused else \
        texts.SUB_NEXT.format(next=_when(sub))
    text = texts.SUB_CURRENT.format(day=texts.WEEKDAYS[sub.weekday], hour=sub.hour, content=_content(sub),
                                    empty=texts.SUB_EMPTY_QUIET if sub.quiet_when_empty else texts.SUB_EMPTY_SHORT,
                                    state=state)
    keyboard = InlineKeyboardMarkup([
        [InlineKeyboardButton(texts.BUTTON_SUB_DAY, callback_data="sub:day"),
         InlineKeyboardButton(texts.BUTTON_SUB_CONTENT, callback_data="sub:content")],
        [InlineKeyboardButton(texts.BUTTON_SUB_RESUME if paused else texts.BUTTON_SUB_PAUSE,
                              callback_data="sub:resume" if paused else "sub:pause"),
         InlineKeyboardButton(texts.BUTTON_SUB_STOP, callback_data="sub:stop")],
    ])
    return text, keyboard


async def on_subscription(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/abonnement and the menu button (which has answered its press already): the settings, or two taps."""
    s = services(context)
    sub = await asyncio.to_thread(delivery.get_subscription, s.kb.engine, update.effective_chat.id)
    if sub is not None and sub.active:
        await reply(update, context, *settings_screen(sub, s.clock()))
        return
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton(texts.BUTTON_SUB_QUICK, callback_data="sub:quick")],
                                     [InlineKeyboardButton(texts.BUTTON_SUB_CHOOSE, callback_data="sub:day")]])
    await reply(update, context, texts.SUB_INTRO, keyboard)


async def _save(update: Update, context: ContextTypes.DEFAULT_TYPE, weekday: int, hour: int) -> None:
    s = services(context)
    chat_id = update.effective_chat.id
    current = await asyncio.to_thread(delivery.get_subscription, s.kb.engine, chat_id)
    sub = await asyncio.to_thread(delivery.subscribe, s.kb.engine, chat_id, weekday=weekday, hour=hour,
                                  kinds=current.kinds if current else [],
                                  quiet_when_empty=current.quiet_when_empty if current else False, now=s.clock())
    await edit_or_reply(update, context, texts.SUB_DONE.format(day=texts.WEEKDAYS[weekday], hour=hour,
                                                               next=_when(sub)))


async def on_subscription_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    await query.answer()
    s = services(context)
    chat_id, now = update.effective_chat.id, s.clock()
    action = query.data.split(":")[1] if query.data.count(":") >= 1 else ""
    if action == "quick":
        await _save(update, context, DEFAULT_WEEKDAY, DEFAULT_HOUR)
    elif action == "day":
        buttons = [InlineKeyboardButton(day.capitalize(), callback_data=f"sub:d:{n}")
                   for n, day in enumerate(texts.WEEKDAYS)]
        await edit_or_reply(update, context, texts.ASK_WEEKDAY,
                            InlineKeyboardMarkup([buttons[:4], buttons[4:]]))
    elif (parsed := parse_data(query.data, "sub:d", int)) and 0 <= parsed[0] <= 6:
        buttons = [InlineKeyboardButton(f"{h} h", callback_data=f"sub:h:{parsed[0]}:{h}") for h in texts.HOURS]
        await edit_or_reply(update, context, texts.ASK_HOUR.format(day=texts.WEEKDAYS[parsed[0]]),
                            InlineKeyboardMarkup([buttons[i:i + 5] for i in range(0, len(buttons), 5)]))
    elif (parsed := parse_data(query.data, "sub:h", int, int)) and 0 <= parsed[0] <= 6 and 0 <= parsed[1] <= 23:
        await _save(update, context, *parsed)
    elif action in {"content", "k", "q"}:
        await _edit_content(update, context, query.data)
    elif action == "show":
        sub = await asyncio.to_thread(delivery.get_subscription, s.kb.engine, chat_id)
        if sub is None:
            await reply(update, context, texts.NOT_SUBSCRIBED)
        else:
            await edit_or_reply(update, context, *settings_screen(sub, now))
    elif action == "pause":
        sub = await asyncio.to_thread(delivery.pause, s.kb.engine, chat_id, PAUSE_WEEKS, now)
        await edit_or_reply(update, context, texts.PAUSED.format(until=fmt.date_long(sub.paused_until))
                            if sub else texts.NOT_SUBSCRIBED)
    elif action == "resume":
        sub = await asyncio.to_thread(delivery.resume, s.kb.engine, chat_id, now)
        await edit_or_reply(update, context, texts.RESUMED.format(next=_when(sub)) if sub else texts.NOT_SUBSCRIBED)
    elif action == "stop":
        stopped = await asyncio.to_thread(delivery.unsubscribe, s.kb.engine, chat_id, "user", now)
        await edit_or_reply(update, context, texts.UNSUBSCRIBED if stopped else texts.NOT_SUBSCRIBED)
    else:
        await reply(update, context, texts.STALE_BUTTON)


async def _edit_content(update: Update, context: ContextTypes.DEFAULT_TYPE, data: str) -> None:
    s = services(context)
    chat_id = update.effective_chat.id
    sub = await asyncio.to_thread(delivery.get_subscription, s.kb.engine, chat_id)
    if sub is None or not sub.active:
        await reply(update, context, texts.NOT_SUBSCRIBED)
        return
    kinds = set(sub.kinds or CONTENTS)
    quiet = sub.quiet_when_empty
    if data.startswith("sub:k:") and data[6:] in CONTENTS:
        kinds ^= {data[6:]}
        kinds = kinds or set(CONTENTS)          # nothing ticked would mean an empty digest: keep all
    elif data == "sub:q":
        quiet = not quiet
    sub = await asyncio.to_thread(delivery.set_content, s.kb.engine, chat_id,
                                  [k for k in CONTENTS if k in kinds and len(kinds) < len(CONTENTS)], quiet, s.clock())
    ticked = set(sub.kinds or CONTENTS)
    rows = [[InlineKeyboardButton(("✅ " if k in ticked else "") + label, callback_data=f"sub:k:{k}")]
            for k, label in texts.CONTENT_LABELS.items()]
    rows.append([InlineKeyboardButton(texts.BUTTON_SUB_QUIET.format(
        value=texts.SUB_EMPTY_QUIET if sub.quiet_when_empty else texts.SUB_EMPTY_SHORT), callback_data="sub:q")])
    rows.append([InlineKeyboardButton(texts.BUTTON_DONE, callback_data="sub:show")])
    await edit_or_reply(update, context, texts.ASK_CONTENT, InlineKeyboardMarkup(rows))


async def on_unsubscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    s = services(context)
    stopped = await asyncio.to_thread(delivery.unsubscribe, s.kb.engine, update.effective_chat.id, "user", s.clock())
    await reply(update, context, texts.UNSUBSCRIBED if stopped else texts.NOT_SUBSCRIBED)


async def on_follow(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """⭐ "Suivre" (f:ID) and "Ne plus suivre" (uf:ID)."""
    query = update.callback_query
    await query.answer()
    unfollow = query.data.startswith("uf:")
    parsed = parse_data(query.data, "uf" if unfollow else "f", int)
    s = services(context)
    item = parsed and await asyncio.to_thread(s.kb.get, parsed[0])
    if not item:
        await reply(update, context, texts.STALE_BUTTON if parsed is None else texts.ITEM_GONE)
        return
    chat_id, now = update.effective_chat.id, s.clock()
    if unfollow:
        await asyncio.to_thread(delivery.unfollow, s.kb.engine, chat_id, item.id)
        await reply(update, context, texts.UNFOLLOWED)
        return
    t = timing(item, now)                        # a yearly item: its next edition's dates
    key_date = next((d for d in (t.deadline, t.starts_at) if d is not None and d > now), None)
    if key_date is None:
        await reply(update, context, texts.NOTHING_TO_FOLLOW)
        return
    added = await asyncio.to_thread(delivery.follow, s.kb.engine, chat_id, item.id)
    await reply(update, context, texts.FOLLOWED.format(when=fmt.datetime_long(key_date)) if added
                else texts.ALREADY_FOLLOWED)
