"""`ess-bot console`: chat with the real Application and handlers in a terminal, with no token and no network.

What you type becomes a Telegram update; what the bot sends is printed; inline keyboards are listed as numbered
choices — type the number to press the button.
"""
from __future__ import annotations

import asyncio
import html
import re
from typing import Callable

from bot.app import build_application
from bot.config import Settings
from bot.offline import Call, OfflineBotAPI, UpdateFactory
from knowledge.service import KnowledgeBase

INTRO = ("Console ess-bot — écrivez comme dans Telegram (/start pour commencer, /aide pour l'aide). "
         "Tapez le numéro d'un bouton pour le toucher ; /quitter ou Ctrl-D pour sortir.")
QUIT = {"/quitter", "/quit", "/exit"}


def html_to_text(text: str) -> str:
    text = re.sub(r'<a href="([^"]*)">(.*?)</a>', r"\2 (\1)", text)
    return html.unescape(re.sub(r"</?(b|i|u|s|code|pre|em|strong)>", "", text))


class ConsolePrinter:
    """Prints the bot's outgoing calls and remembers the buttons on screen."""

    def __init__(self, output: Callable[[str], None]):
        self.output = output
        self.buttons: list[tuple[str, int, str]] = []   # (callback data, message id, message text)

    def __call__(self, call: Call) -> None:
        if call.method not in {"sendMessage", "editMessageText"}:
            if call.method == "answerCallbackQuery" and call.params.get("text"):
                self.output(f"bot> {call.params['text']}")
            return
        self.output("")
        for line in html_to_text(call.text).split("\n"):
            self.output(f"bot> {line}")
        rows = call.buttons
        if rows:
            self.buttons = []
            message_id = call.result.get("message_id", 0) if isinstance(call.result, dict) else 0
            for row in rows:
                labels = []
                for button in row:
                    self.buttons.append((button.get("callback_data", ""), message_id, call.text))
                    labels.append(f"[{len(self.buttons)}] {button['text']}")
                self.output("     " + "   ".join(labels))


async def chat(settings: Settings, kb: KnowledgeBase, read: Callable[[str], str] = input,
               output: Callable[[str], None] = print, chat_id: int = 1) -> None:
    printer = ConsolePrinter(output)
    api = OfflineBotAPI(listener=printer)
    # A terminal chat must not deliver real chats' digests or read sources: those jobs stay off here.
    quiet = settings.model_copy(update={"digest_tick_seconds": 0, "sync_interval_minutes": 0})
    app = build_application(quiet, kb, request=api)
    async with app:
        await app.start()                       # job queue: conversation time-outs
        factory = UpdateFactory(app.bot, chat_id=chat_id)
        output(INTRO)
        while True:
            try:
                line = await asyncio.to_thread(read, "vous> ")
            except (EOFError, KeyboardInterrupt):
                break
            line = line.strip()
            if line in QUIT:
                break
            if not line:
                continue
            if line.isdigit() and 1 <= int(line) <= len(printer.buttons):
                data, message_id, text = printer.buttons[int(line) - 1]
                update = factory.press(data, message_id, text)
            else:
                update = factory.message(line)
            await app.process_update(update)
        await app.stop()
    output("À bientôt !")
