"""PTB persistence in the project's own database (table bot_state), so a restarted bot — or a second process on
the same PostgreSQL — finds every conversation where the user left it. Values are stored as JSON."""
from __future__ import annotations

import asyncio
import json
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select
from telegram.ext import BasePersistence, PersistenceInput

from knowledge.models import BotState, utcnow


class DatabasePersistence(BasePersistence):
    def __init__(self, engine: sa.Engine, update_interval: float = 5):
        # bot_data holds live services (knowledge base, clock), never persisted; no arbitrary callback data.
        super().__init__(PersistenceInput(bot_data=False, callback_data=False), update_interval=update_interval)
        self.engine = engine

    # --- storage ------------------------------------------------------------------------------------------------------

    def _load(self, kind: str) -> dict[str, Any]:
        with Session(self.engine) as s:
            return {row.key: row.data for row in s.exec(select(BotState).where(BotState.kind == kind))}

    def _save(self, kind: str, key: str, data: Any) -> None:
        with Session(self.engine) as s:
            row = s.get(BotState, (kind, key))
            if data is None:
                if row is not None:
                    s.delete(row)
            else:
                row = row or BotState(kind=kind, key=key)
                row.data, row.updated_at = data, utcnow()
                s.add(row)
            s.commit()

    async def _write(self, kind: str, key: str, data: Any) -> None:
        await asyncio.to_thread(self._save, kind, key, data)

    # --- user and chat data ---------------------------------------------------------------------------------------

    async def get_user_data(self) -> dict[int, dict]:
        return {int(k): v for k, v in (await asyncio.to_thread(self._load, "user_data")).items()}

    async def get_chat_data(self) -> dict[int, dict]:
        return {int(k): v for k, v in (await asyncio.to_thread(self._load, "chat_data")).items()}

    async def update_user_data(self, user_id: int, data: dict) -> None:
        await self._write("user_data", str(user_id), data or None)

    async def update_chat_data(self, chat_id: int, data: dict) -> None:
        await self._write("chat_data", str(chat_id), data or None)

    async def drop_user_data(self, user_id: int) -> None:
        await self._write("user_data", str(user_id), None)

    async def drop_chat_data(self, chat_id: int) -> None:
        await self._write("chat_data", str(chat_id), None)

    async def refresh_user_data(self, user_id: int, user_data: dict) -> None:
        pass

    async def refresh_chat_data(self, chat_id: int, chat_data: dict) -> None:
        pass

    # --- conversations ----------------------------------------------------------------------------------------------

    async def get_conversations(self, name: str) -> dict:
        rows = await asyncio.to_thread(self._load, f"conversation:{name}")
        return {tuple(data["key"]): data["state"] for data in rows.values()}

    async def update_conversation(self, name: str, key: tuple, new_state: object | None) -> None:
        data = None if new_state is None else {"key": list(key), "state": new_state}
        await self._write(f"conversation:{name}", json.dumps(list(key)), data)

    # --- not stored -------------------------------------------------------------------------------------------------

    async def get_bot_data(self) -> dict:
        return {}

    async def update_bot_data(self, data: dict) -> None:
        pass

    async def refresh_bot_data(self, bot_data: dict) -> None:
        pass

    async def get_callback_data(self) -> None:
        return None

    async def update_callback_data(self, data: Any) -> None:
        pass

    async def flush(self) -> None:
        pass   # each update_* call has written its row already
