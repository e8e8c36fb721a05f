"""/profil (show, correct one field) and /supprimer (erase everything kept about the user)."""
from __future__ import annotations

import asyncio

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes, ConversationHandler

from handlers import texts
from handlers.common import edit_or_reply, reply, services
from handlers.eligibility import draft_of, draft_summary
from knowledge.profiles import erase_chat, get_profile


async def on_profile(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    profile = await asyncio.to_thread(get_profile, services(context).kb.engine, update.effective_chat.id)
    if profile is None:
        await reply(update, context, texts.PROFILE_NONE)
        return
    summary = draft_summary(draft_of(profile))
    buttons = [[InlineKeyboardButton(texts.BUTTON_EDIT.format(field=label), callback_data=f"pfix:{field}")]
               for field, label in texts.FIX_FIELDS.items()]
    buttons.append([InlineKeyboardButton(texts.BUTTON_DELETE, callback_data="del:ask")])
    await reply(update, context, texts.PROFILE_SHOW.format(summary=summary), InlineKeyboardMarkup(buttons))


async def ask_delete(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    if update.callback_query:
        await update.callback_query.answer()
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton(texts.BUTTON_DELETE_YES, callback_data="del:yes"),
                                      InlineKeyboardButton(texts.BUTTON_DELETE_NO, callback_data="del:no")]])
    await reply(update, context, texts.DELETE_CONFIRM, keyboard)
    return ConversationHandler.END     # also leaves the eligibility conversation when asked from inside it


async def on_delete(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    await query.answer()
    if query.data != "del:yes":
        await edit_or_reply(update, context, texts.DELETE_KEPT)
        return
    chat_id, user_id = update.effective_chat.id, update.effective_user.id
    await asyncio.to_thread(erase_chat, services(context).kb.engine, chat_id, user_id)
    context.user_data.clear()
    context.chat_data.clear()
    for handler in context.application.handlers.get(0, []):
        if isinstance(handler, ConversationHandler):      # forget a conversation left half-way
            handler._conversations.pop((chat_id, user_id), None)
    await edit_or_reply(update, context, texts.DELETED)
