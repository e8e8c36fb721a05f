"""The one rate limiter: calls evenly spaced (never a burst), 429 waited out for every caller."""
import asyncio

from telegram.error import RetryAfter

from bot.ratelimit import SmoothRateLimiter


async def test_calls_are_evenly_spaced_even_after_a_pause():
    limiter = SmoothRateLimiter(rate=50)
    loop = asyncio.get_running_loop()
    times: list[float] = []

    async def call():
        times.append(loop.time())
        return True

    await limiter.process_request(call, (), {}, "sendMessage", {}, None)
    await asyncio.sleep(0.3)                                   # a pause: a bucket would now allow a burst
    await asyncio.gather(*(limiter.process_request(call, (), {}, "sendMessage", {}, None) for _ in range(25)))
    gaps = [b - a for a, b in zip(times[1:], times[2:])]
    assert min(gaps) >= 0.02 * 0.9                            # one call every 1/50 s, no burst
    assert times[-1] - times[1] < 25 * 0.02 + 0.1             # and the rate is sustained


async def test_retry_after_holds_every_call_back_then_succeeds():
    limiter = SmoothRateLimiter(rate=100)
    loop = asyncio.get_running_loop()
    attempts = []

    async def flaky():
        attempts.append(loop.time())
        if len(attempts) == 1:
            raise RetryAfter(1)
        return "ok"

    start = loop.time()
    assert await limiter.process_request(flaky, (), {}, "sendMessage", {}, None) == "ok"
    assert attempts[1] - start >= 1.0
