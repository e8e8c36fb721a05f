"""A user talking to the real Application: updates in, the bot's API calls out (no network)."""
from __future__ import annotations

from telegram.ext import Application

from bot.offline import Call, OfflineBotAPI, UpdateFactory


class Chat:
    def __init__(self, app: Application, api: OfflineBotAPI, chat_id: int = 42):
        self.app, self.api = app, api
        self.updates = UpdateFactory(app.bot, chat_id=chat_id)
        self.chat_id = chat_id

    async def _process(self, update) -> list[Call]:
        before = len(self.api.calls)
        await self.app.process_update(update)
        return [c for c in self.api.calls[before:] if c.method in {"sendMessage", "editMessageText"}
                and int(c.params.get("chat_id", self.chat_id)) == self.chat_id]

    async def say(self, text: str) -> list[Call]:
        return await self._process(self.updates.message(text))

    async def say_and_wait(self, text: str, count: int, timeout: float = 10.0) -> list[Call]:
        """For handlers that run aside (block=False): wait until `count` messages have come."""
        import asyncio

        before = len(self.api.calls)
        await self.app.process_update(self.updates.message(text))
        for _ in range(int(timeout / 0.05)):
            calls = [c for c in self.api.calls[before:] if c.method == "sendMessage"]
            if len(calls) >= count:
                return calls
            await asyncio.sleep(0.05)
        raise AssertionError(f"{count} messages expected, got {[c.text for c in calls]}")

    async def press(self, data: str) -> list[Call]:
        return await self._process(self.updates.press(data, self.api.message_id or 1))

    async def press_label(self, fragment: str) -> list[Call]:
        """Press the button of the bot's latest keyboard whose label contains `fragment`."""
        return await self.press(self.button(fragment))

    def last(self) -> Call:
        return [c for c in self.api.calls if c.method in {"sendMessage", "editMessageText"}
                and int(c.params.get("chat_id", 0)) == self.chat_id][-1]

    def button(self, fragment: str) -> str:
        for call in reversed(self.api.calls):
            if call.buttons and int(call.params.get("chat_id", 0)) == self.chat_id:
                for row in call.buttons:
                    for b in row:
                        if fragment in b["text"]:
                            return b["callback_data"]
                raise AssertionError(f"no button « {fragment} » in {[b['text'] for r in call.buttons for b in r]}")
        raise AssertionError("no keyboard sent")


def texts(calls: list[Call]) -> str:
    return "\n".join(c.text for c in calls)
