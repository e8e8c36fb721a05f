"""/start (with its menu and deep links), /aide, and the menu's buttons."""
from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from handlers import texts
from handlers.common import reply


def menu() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([
        [InlineKeyboardButton(texts.MENU_SEARCH, callback_data="menu:search"),
         InlineKeyboardButton(texts.MENU_ELIGIBILITY, callback_data="menu:elig")],
        [InlineKeyboardButton(texts.MENU_PROFILE, callback_data="menu:profile"),
         InlineKeyboardButton(texts.MENU_HELP, callback_data="menu:help")],
        [InlineKeyboardButton(texts.MENU_DIGEST, callback_data="menu:digest")],
    ])


async def on_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await reply(update, context, texts.WELCOME, menu())


async def on_help(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await reply(update, context, texts.HELP)


async def on_menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Menu buttons that are not conversations ("menu:elig" is the eligibility conversation's entry)."""
    from handlers.profile import on_profile     # these screens are their own modules
    from handlers.subscription import on_subscription

    query = update.callback_query
    await query.answer()
    choice = query.data.split(":", 1)[1]
    if choice == "search":
        await reply(update, context, texts.SEARCH_PROMPT)
    elif choice == "profile":
        await on_profile(update, context)
    elif choice == "digest":
        await on_subscription(update, context)
    elif choice == "help":
        await on_help(update, context)
    else:
        await reply(update, context, texts.STALE_BUTTON)


async def on_unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await reply(update, context, f"{texts.UNKNOWN_COMMAND}\n\n{texts.HELP}")


async def on_nothing_to_cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await reply(update, context, texts.NOTHING_TO_CANCEL)


async def on_later(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.callback_query.answer()
    await update.callback_query.edit_message_text(texts.LATER)


async def on_stale_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any button no handler recognised: forged, or left over from an earlier conversation."""
    await update.callback_query.answer()
    await reply(update, context, texts.STALE_BUTTON)
