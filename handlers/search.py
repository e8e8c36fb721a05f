"""Free-text questions, result pages, item details and the /appels, /evenements, /offres lists."""
from __future__ import annotations

import asyncio

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from handlers import texts
from handlers.common import parse_data, reply, services
from knowledge.eligibility import assess
from knowledge.profiles import get_profile, get_search, save_search
from knowledge.render import answer_text, assessments_text, card_text, profile_summary
from knowledge.service import Answer

PAGE_SIZE = 5
# The list commands; each asks its own name as a question: the parser reads the kind from the word itself.
SCOPES = ("appels", "evenements", "offres")


def results_keyboard(answer: Answer, search_id: int) -> InlineKeyboardMarkup | None:
    rows = []
    for n, hit in enumerate(answer.hits, start=answer.offset + 1):
        item = hit.opportunity.id
        rows.append([InlineKeyboardButton(texts.BUTTON_DETAILS.format(n=n), callback_data=f"d:{item}"),
                     InlineKeyboardButton(texts.BUTTON_ELIGIBLE.format(n=n), callback_data=f"e:{item}")])
    following = answer.offset + len(answer.hits)
    if following < answer.total:
        rows.append([InlineKeyboardButton(texts.BUTTON_MORE, callback_data=f"m:{search_id}:{following}")])
    return InlineKeyboardMarkup(rows) if rows else None


async def send_page(update: Update, context: ContextTypes.DEFAULT_TYPE, search_id: int, question: str, scope: str,
                    offset: int) -> None:
    s = services(context)
    chat_id = update.effective_chat.id
    profile = await asyncio.to_thread(get_profile, s.kb.engine, chat_id) if scope else None
    answer = await asyncio.to_thread(s.kb.ask, question, s.clock(), limit=PAGE_SIZE, offset=offset, profile=profile)
    if offset and not answer.hits:           # the data changed since the first page
        await reply(update, context, texts.NO_MORE)
        return
    text = answer_text(answer, html=True)
    if scope and offset == 0:
        header = texts.SCOPE_FOR_PROFILE.format(profile=profile_summary(profile)) if profile else \
            texts.SCOPE_NO_PROFILE
        text = f"{header}\n\n{text}"
    await reply(update, context, text, results_keyboard(answer, search_id))


async def on_question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    question = (update.effective_message.text or "").strip()
    if not question:
        await reply(update, context, texts.EMPTY_MESSAGE)
        return
    s = services(context)
    search_id = await asyncio.to_thread(save_search, s.kb.engine, update.effective_chat.id, question)
    await send_page(update, context, search_id, question, "", 0)


async def on_not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await reply(update, context, texts.NOT_TEXT)


async def on_scope_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    scope = update.effective_message.text.split()[0].lstrip("/").split("@")[0].lower()
    question = scope
    s = services(context)
    search_id = await asyncio.to_thread(save_search, s.kb.engine, update.effective_chat.id, question, scope)
    await send_page(update, context, search_id, question, scope, 0)


async def on_more(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    await query.answer()
    parsed = parse_data(query.data, "m", int, int)
    saved = parsed and await asyncio.to_thread(get_search, services(context).kb.engine, parsed[0],
                                               update.effective_chat.id)
    if not saved:
        await reply(update, context, texts.STALE_BUTTON)
        return
    await send_page(update, context, saved.id, saved.question, saved.scope, parsed[1])


async def _item_of_button(update: Update, context: ContextTypes.DEFAULT_TYPE, prefix: str):
    """The item a "d:ID"/"e:ID" button points to, or None after telling the user the button is stale."""
    query = update.callback_query
    await query.answer()
    parsed = parse_data(query.data, prefix, int)
    item = parsed and await asyncio.to_thread(services(context).kb.get, parsed[0])
    if not item:
        await reply(update, context, texts.STALE_BUTTON if parsed is None else texts.ITEM_GONE)
        return None
    return item


async def on_details(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    item = await _item_of_button(update, context, "d")
    if item is None:
        return
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton(texts.BUTTON_ELIGIBLE.format(n="").strip(),
                                                           callback_data=f"e:{item.id}"),
                                      InlineKeyboardButton(texts.BUTTON_FOLLOW, callback_data=f"f:{item.id}")]])
    await reply(update, context, card_text(item, services(context).clock(), html=True), keyboard)


async def on_item_eligibility(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    item = await _item_of_button(update, context, "e")
    if item is None:
        return
    s = services(context)
    profile = await asyncio.to_thread(get_profile, s.kb.engine, update.effective_chat.id)
    if profile is None:
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton(texts.BUTTON_START_PROFILE,
                                                               callback_data=f"elig:start:{item.id}"),
                                          InlineKeyboardButton(texts.BUTTON_LATER, callback_data="elig:later")]])
        await reply(update, context, texts.ELIGIBILITY_NEEDS_PROFILE, keyboard)
        return
    now = s.clock()
    await reply(update, context, assessments_text([assess(item, profile, now)], profile, now, html=True))
