"""All settings, read from the environment and from a `.env` file in the working directory."""
from __future__ import annotations

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = "sqlite:///ess-bot.db"
    log_level: str = "WARNING"


@lru_cache
def get_settings() -> Settings:
    return Settings()
