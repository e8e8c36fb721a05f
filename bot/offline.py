"""An in-process Telegram Bot API: PTB's request layer answered locally, every outgoing call recorded.

Used by the console chat (which prints the calls) and by the tests (which read them) — PTB's own test approach of
replacing the network layer, so the real Application and handlers run unchanged.
"""
from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass
from typing import Any, Callable

from telegram.request import BaseRequest, RequestData

BOT_USER = {"id": 777000111, "is_bot": True, "first_name": "ESS bot", "username": "ess_opportunites_bot",
            "can_join_groups": False, "can_read_all_group_messages": False, "supports_inline_queries": False}


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    result: Any = None

    @property
    def text(self) -> str:
        return self.params.get("text", "")

    @property
    def buttons(self) -> list[list[dict]]:
        markup = self.params.get("reply_markup") or {}
        if isinstance(markup, str):
            markup = json.loads(markup)
        return markup.get("inline_keyboard", [])


class OfflineBotAPI(BaseRequest):
    def __init__(self, listener: Callable[[Call], None] | None = None):
        self.calls: list[Call] = []
        self.listener = listener
        self.failures: dict[str, list[dict]] = {}   # method -> queued error answers (tests of 429/403)
        self._answered: set[str] = set()            # Telegram takes one answer per button press
        self._message_ids = itertools.count(1000)

    @property
    def read_timeout(self) -> float:
        return 1.0

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    def fail(self, method: str, error_code: int, description: str, retry_after: int | None = None) -> None:
        """Make the next call to `method` fail as Telegram would (e.g. 429 with retry_after, 403 blocked)."""
        answer = {"ok": False, "error_code": error_code, "description": description}
        if retry_after is not None:
            answer["parameters"] = {"retry_after": retry_after}
        self.failures.setdefault(method, []).append(answer)

    def sent(self, method: str = "sendMessage") -> list[Call]:
        return [c for c in self.calls if c.method == method]

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None, read_timeout=None,
                         write_timeout=None, connect_timeout=None, pool_timeout=None) -> tuple[int, bytes]:
        api_method = url.rsplit("/", 1)[-1]
        params = request_data.parameters if request_data else {}
        if self.failures.get(api_method):
            answer = self.failures[api_method].pop(0)
            return answer["error_code"], json.dumps(answer).encode()
        if api_method == "answerCallbackQuery":
            if params.get("callback_query_id") in self._answered:
                return 400, json.dumps({"ok": False, "error_code": 400, "description": "Bad Request: query is too "
                                        "old and response timeout expired or query id is invalid"}).encode()
            self._answered.add(params.get("callback_query_id"))
        call = Call(api_method, params)
        call.result = self._result(call)
        self.calls.append(call)
        if self.listener:
            self.listener(call)
        return 200, json.dumps({"ok": True, "result": call.result}).encode()

    @property
    def message_id(self) -> int | None:
        """The id of the bot's latest message (where its buttons are)."""
        for call in reversed(self.calls):
            if isinstance(call.result, dict) and "message_id" in call.result:
                return call.result["message_id"]
        return None

    def _result(self, call: Call) -> Any:
        p = call.params
        if call.method == "getMe":
            return BOT_USER
        if call.method == "getUpdates":
            return []
        if call.method in {"sendMessage", "editMessageText", "editMessageReplyMarkup"}:
            message_id = p.get("message_id") or next(self._message_ids)
            message = {"message_id": message_id, "date": int(time.time()), "from": BOT_USER,
                       "chat": {"id": int(p.get("chat_id", 0)), "type": "private"}, "text": p.get("text", "")}
            if p.get("reply_markup"):
                markup = p["reply_markup"]
                message["reply_markup"] = json.loads(markup) if isinstance(markup, str) else markup
            return message
        return True


class UpdateFactory:
    """Builds the updates a Telegram user would cause: typed messages (commands included) and button presses."""

    def __init__(self, bot, chat_id: int = 42, first_name: str = "Camille"):
        self.bot = bot
        self.chat_id = chat_id
        self.user = {"id": chat_id, "is_bot": False, "first_name": first_name, "language_code": "fr"}
        self._ids = itertools.count(1)

    def _chat(self) -> dict:
        return {"id": self.chat_id, "type": "private", "first_name": self.user["first_name"]}

    def message(self, text: str):
        from telegram import Update

        update_id = next(self._ids)
        message = {"message_id": update_id, "date": int(time.time()), "chat": self._chat(), "from": self.user,
                   "text": text}
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        return Update.de_json({"update_id": update_id, "message": message}, self.bot)

    def press(self, data: str, message_id: int = 1, text: str = ""):
        from telegram import Update

        update_id = next(self._ids)
        message = {"message_id": message_id, "date": int(time.time()), "chat": self._chat(), "from": BOT_USER,
                   "text": text or "…"}
        query = {"id": str(update_id), "from": self.user, "chat_instance": str(self.chat_id), "data": data,
                 "message": message}
        return Update.de_json({"update_id": update_id, "callback_query": query}, self.bot)

    def sticker(self):
        from telegram import Update

        update_id = next(self._ids)
        message = {"message_id": update_id, "date": int(time.time()), "chat": self._chat(), "from": self.user,
                   "sticker": {"file_id": "x", "file_unique_id": "x", "width": 1, "height": 1, "is_animated": False,
                               "is_video": False, "type": "regular"}}
        return Update.de_json({"update_id": update_id, "message": message}, self.bot)
