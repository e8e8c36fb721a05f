"""One limiter for every Bot API call: evenly spaced, never bursting, waiting out Telegram's 429s.

PTB's AIORateLimiter is a bucket of 30 per second: after any pause it lets 30 calls out at once, so one second can
hold 50+. Spacing calls one interval apart on a schedule (GCRA: each call gets the next theoretical slot, and a
late wake-up does not push the schedule back) keeps every one-second window at the rate, and the rate sustained.
"""
from __future__ import annotations

import asyncio
import logging
import warnings
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)


def retry_seconds(exc: RetryAfter) -> float:
    """How long Telegram asked to wait (PTB 22 warns that the attribute becomes a timedelta)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wait = exc.retry_after
    return wait.total_seconds() if hasattr(wait, "total_seconds") else float(wait)


class SmoothRateLimiter(BaseRateLimiter[int]):
    def __init__(self, rate: float = 29.3, max_retries: int = 3):
        self.interval = 1.0 / rate
        self.max_retries = max_retries
        self._slot = 0.0                 # theoretical time of the next call (event-loop clock)
        self._lock = asyncio.Lock()

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def _wait_turn(self) -> None:
        async with self._lock:
            now = asyncio.get_running_loop().time()
            slot = max(self._slot, now)
            self._slot = slot + self.interval
        if slot > now:
            await asyncio.sleep(slot - now)

    async def process_request(self, callback, args: Any, kwargs: dict[str, Any], endpoint: str,
                              data: dict[str, Any], rate_limit_args: int | None):
        for attempt in range((rate_limit_args or self.max_retries) + 1):
            await self._wait_turn()
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                if attempt == (rate_limit_args or self.max_retries):
                    raise
                wait = retry_seconds(exc)
                log.info("Telegram asked to wait %.1f s (%s)", wait, endpoint)
                async with self._lock:           # Telegram's flood wait holds every call back
                    self._slot = max(self._slot, asyncio.get_running_loop().time() + wait)
        raise AssertionError("unreachable")
