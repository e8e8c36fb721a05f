"""The one error handler: log with the update id, tell the user in French, never crash the bot."""
from __future__ import annotations

import logging

import sqlalchemy as sa
from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import ContextTypes

from handlers import texts

log = logging.getLogger("ess-bot.errors")


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    if isinstance(error, Forbidden):            # the user blocked the bot: nobody to tell
        log.info("update %s: bot blocked by the chat (%s)", update_id, error)
        return
    if isinstance(error, (RetryAfter, TimedOut, NetworkError)) and not isinstance(error, BadRequest):
        log.warning("update %s: Telegram unreachable or limiting (%s)", update_id, error)
        return
    log.error("update %s failed", update_id, exc_info=error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    text = texts.DATABASE_DOWN if isinstance(error, sa.exc.OperationalError) else texts.ERROR
    try:
        await context.bot.send_message(update.effective_chat.id, text)
    except Exception:                           # noqa: BLE001 - the apology itself failed: logged, nothing more
        log.exception("update %s: could not tell the user about the failure", update_id)
