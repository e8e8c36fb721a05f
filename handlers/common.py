"""What every handler needs: the services (knowledge base, clock), sending long HTML safely, button data."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.constants import MessageLimit, ParseMode
from telegram.ext import ContextTypes

from knowledge.service import KnowledgeBase

SERVICES = "services"


@dataclass
class Services:
    kb: KnowledgeBase
    clock: Callable[[], datetime]


def services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    return context.application.bot_data[SERVICES]


def split_message(text: str, limit: int = MessageLimit.MAX_TEXT_LENGTH) -> list[str]:
    """Cut a message into parts Telegram accepts, at blank lines then lines, never inside an HTML line."""
    parts: list[str] = []
    current = ""
    for block in text.split("\n\n"):
        candidate = f"{current}\n\n{block}" if current else block
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            parts.append(current)
        current = ""
        for line in block.split("\n"):
            while len(line) > limit:               # a single over-long line: hard cut (plain text only)
                parts.append(line[:limit])
                line = line[limit:]
            candidate = f"{current}\n{line}" if current else line
            if len(candidate) <= limit:
                current = candidate
            else:
                parts.append(current)
                current = line
    if current:
        parts.append(current)
    return parts or [""]


async def reply(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str,
                keyboard: InlineKeyboardMarkup | None = None) -> Message:
    """Send HTML to the update's chat, split when long; the keyboard goes with the last part."""
    chat_id = update.effective_chat.id
    parts = split_message(text)
    message = None
    for i, part in enumerate(parts):
        message = await context.bot.send_message(chat_id, part, parse_mode=ParseMode.HTML,
                                                 reply_markup=keyboard if i == len(parts) - 1 else None)
    return message


async def edit_or_reply(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str,
                        keyboard: InlineKeyboardMarkup | None = None) -> None:
    """For button presses: replace the message that holds the buttons (short texts), else send anew."""
    query = update.callback_query
    if query is not None and query.message is not None and len(text) <= MessageLimit.MAX_TEXT_LENGTH:
        await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=keyboard)
    else:
        await reply(update, context, text, keyboard)


def parse_data(data: str | None, prefix: str, *types: type) -> tuple | None:
    """Read "prefix:a:b" button data into typed values; None for anything forged or stale."""
    if not data or not data.startswith(prefix + ":"):
        return None
    values = data[len(prefix) + 1:].split(":")
    if len(values) != len(types):
        return None
    try:
        out = tuple(t(v) for t, v in zip(types, values))
    except ValueError:
        return None
    if any(isinstance(v, int) and not 0 <= v < 2**31 for v in out):
        return None
    return out
