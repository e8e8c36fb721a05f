"""Telegram handlers: thin callbacks over knowledge/. `register` adds them all to an Application."""
from __future__ import annotations

from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from handlers import admin, eligibility, errors, profile, search, start, subscription


def register(app: Application, *, conversation_timeout: float = 15 * 60, admins: frozenset[int] = frozenset()) -> None:
    delete_command = CommandHandler("supprimer", profile.ask_delete)
    app.add_handler(eligibility.conversation([delete_command], conversation_timeout))
    app.add_handler(CommandHandler("start", start.on_start))
    app.add_handler(CommandHandler("aide", start.on_help))
    app.add_handler(CommandHandler("help", start.on_help))
    app.add_handler(CommandHandler(list(search.SCOPES), search.on_scope_command))
    app.add_handler(CommandHandler("profil", profile.on_profile))
    app.add_handler(CommandHandler("abonnement", subscription.on_subscription))
    app.add_handler(CommandHandler("desabonner", subscription.on_unsubscribe))
    app.add_handler(CallbackQueryHandler(subscription.on_subscription_button, pattern=r"^sub:"))
    app.add_handler(CallbackQueryHandler(subscription.on_follow, pattern=r"^u?f:"))
    app.add_handler(CommandHandler("annuler", start.on_nothing_to_cancel))      # outside any conversation
    if admins:                       # others fall through to the unknown-command answer
        only_admins = filters.User(user_id=admins)
        app.add_handler(CommandHandler("sources", admin.on_sources, filters=only_admins))
        app.add_handler(CommandHandler("sync", admin.on_sync, filters=only_admins, block=False))   # slow: aside
        app.add_handler(CommandHandler("stats", admin.on_stats, filters=only_admins))
    app.add_handler(delete_command)
    app.add_handler(CallbackQueryHandler(start.on_menu, pattern=r"^menu:"))
    app.add_handler(CallbackQueryHandler(search.on_details, pattern=r"^d:"))
    app.add_handler(CallbackQueryHandler(search.on_item_eligibility, pattern=r"^e:"))
    app.add_handler(CallbackQueryHandler(search.on_more, pattern=r"^m:"))
    app.add_handler(CallbackQueryHandler(profile.on_delete, pattern=r"^del:(yes|no)$"))
    app.add_handler(CallbackQueryHandler(profile.ask_delete, pattern=r"^del:ask$"))
    app.add_handler(CallbackQueryHandler(start.on_later, pattern=r"^elig:later$"))
    app.add_handler(CallbackQueryHandler(start.on_stale_button))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, search.on_question))
    app.add_handler(MessageHandler(filters.COMMAND, start.on_unknown_command))
    app.add_handler(MessageHandler(~filters.TEXT & filters.ChatType.PRIVATE, search.on_not_text))
    app.add_error_handler(errors.on_error)
