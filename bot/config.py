"""All settings, read from the environment and from a `.env` file in the working directory."""
from __future__ import annotations

import re
from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict

TOKEN_SHAPE = re.compile(r"^\d+:[A-Za-z0-9_-]+$")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = "sqlite:///ess-bot.db"
    log_level: str = "WARNING"

    telegram_bot_token: str | None = None
    telegram_base_url: str = "https://api.telegram.org/bot"
    telegram_base_file_url: str = "https://api.telegram.org/file/bot"
    webhook_url: str | None = None          # set: webhook mode; empty: polling
    webhook_secret: str | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8443
    admin_ids: str = ""                     # comma-separated Telegram user ids
    conversation_timeout_minutes: float = 15  # an eligibility conversation left idle this long is closed
    digest_tick_seconds: float = 60          # how often the running bot sends what is due (0: never, use cron)
    sync_interval_minutes: float = 360       # how often the running bot reads its sources (0: never)
    source_timeout_seconds: float = 20       # a source slower than this is skipped for this sync
    aides_territoires_token: str | None = None   # API key from Aides-territoires (sources of that kind)

    @property
    def admins(self) -> frozenset[int]:
        return frozenset(int(x) for x in re.split(r"[,\s]+", self.admin_ids.strip()) if x.isdigit())

    def token_problem(self) -> str | None:
        """A one-line French/English explanation when the token is missing or malformed."""
        if not self.telegram_bot_token:
            return ("TELEGRAM_BOT_TOKEN manquant : demandez un jeton à @BotFather, ou essayez `ess-bot console` "
                    "sans jeton / TELEGRAM_BOT_TOKEN is missing")
        if not TOKEN_SHAPE.match(self.telegram_bot_token.strip()):
            return ("TELEGRAM_BOT_TOKEN mal formé (attendu « 123456:ABC… ») / TELEGRAM_BOT_TOKEN is malformed")
        if self.webhook_url and not self.webhook_secret:
            return "WEBHOOK_SECRET est requis avec WEBHOOK_URL / WEBHOOK_SECRET is required with WEBHOOK_URL"
        if self.webhook_secret and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", self.webhook_secret):
            return ("WEBHOOK_SECRET : 1 à 256 caractères A-Z, a-z, 0-9, _ ou - / WEBHOOK_SECRET has invalid "
                    "characters")
        return None


@lru_cache
def get_settings() -> Settings:
    return Settings()
