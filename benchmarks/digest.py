"""Digest benchmark: building weekly digests for many subscribers, then sending them through the real Application.

    .venv/bin/python benchmarks/digest.py [--subscribers 100000] [--opportunities 10000] [--send 2000]
                                          [--api-latency-ms 0] [--profile] [--keep]

1. Build: M synthetic opportunities (benchmarks/synthetic.py titles and texts, re-dated around a fixed "now":
   deadlines and events from a few weeks back to a few months ahead, first seen over the last 60 days) are
   inserted with SQLAlchemy Core; a child process loads them as the scheduler does (KnowledgeBase.all), builds one
   DigestBuilder, then calls builder.build(profile, kinds, since) for N random subscribers (unsaved Organisation
   profiles). Reported: load, index and per-subscriber build times, peak RSS of that process (ru_maxrss).
2. Send: K subscriptions (knowledge.delivery.subscribe, 85 % with a saved profile) all due at the benchmark clock;
   the real Application (build_application, rate_limit=True: PTB's AIORateLimiter) talks HTTP to a fake Bot API
   (benchmarks/fake_bot_api.py) in a third process, which timestamps every sendMessage. Scheduler.tick() is
   called until nothing is due or pending (one tick claims at most 1000 digests). Reported: wall time, sustained
   rate, the busiest 1-second window and the windows over 30 messages, exactly-once delivery (fake server and
   Delivery ledger), event-loop stalls.
3. Answers during the run: every 0.5 s a user question goes through app.process_update (chat 999999); latency is
   from the update to the arrival of that chat's sendMessage at the fake server (matched in order).

Databases go to a temporary folder, removed at the end unless --keep.
"""
from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import logging
import math
import pstats
import random
import re
import resource
import shutil
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, time as dtime, timedelta, timezone
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
for _p in (str(ROOT), str(HERE)):
    if _p not in sys.path:
        sys.path.insert(0, _p)

NOW = datetime(2026, 3, 9, 7, 0, tzinfo=timezone.utc)          # a Monday, 08:00 in Paris
SEED = 2026
QUESTION = "AAP emploi jeunes normandie"
PROBE_CHAT = 999999
FIRST_CHAT = 10_000_000          # subscribers' chat ids start here
RATE_LIMIT = 30                  # Telegram: about 30 messages per second overall
TARGET_RATE = 27
CHUNK = 1000                     # profiles made per chunk, outside the timed region
KINDS_CHOICES = [[], [], [], ["calls"], ["events"], ["offers"], ["calls", "events"], ["calls", "offers"],
                 ["events", "offers"]]
BUDGETS = [5_000, 10_000, 20_000, 50_000, 100_000, 250_000, 500_000]


# --- data -------------------------------------------------------------------------------------------------------------

def make_opportunities(m: int, now: datetime, seed: int = SEED) -> list[dict]:
    """M rows with synthetic.py's French titles and texts, dated around `now` (aware UTC)."""
    import synthetic
    from knowledge import taxonomy
    from knowledge.timeutil import PARIS, at_paris

    rng = random.Random(seed)
    today = now.astimezone(PARIS).date()
    calls = {k.value for k in taxonomy.CALL_KINDS}
    rows = list(synthetic.generate(m, seed))
    for r in rows:
        kind = r["kind"]
        r["opens_at"] = r["deadline"] = r["starts_at"] = r["ends_at"] = None
        when = None
        if kind in calls or (kind == "offre" and rng.random() < 0.3):
            day = today + timedelta(days=rng.randint(-45, 120))
            r["deadline"] = at_paris(day, dtime(23, 59))
            if rng.random() < 0.8:
                r["opens_at"] = at_paris(day - timedelta(days=rng.randrange(30, 120)))
            when = f"Candidatures jusqu'au {day.day} {synthetic.MONTHS[day.month - 1]} {day.year}."
        elif kind == "evenement" or (kind == "ressource" and rng.random() < 0.2):
            day = today + timedelta(days=rng.randint(-30, 90))
            h, mi = rng.choice(synthetic.EVENT_HOURS)
            r["starts_at"] = at_paris(day, dtime(h, mi))
            x = rng.random()
            if x < 0.6:
                r["ends_at"] = r["starts_at"] + timedelta(hours=rng.choice((2, 3, 4, 8)))
            elif x < 0.75:
                r["ends_at"] = at_paris(day + timedelta(days=rng.choice((1, 2))), dtime(17))
            when = f"Le {day.day} {synthetic.MONTHS[day.month - 1]} {day.year}."
            r["title"] = re.sub(r"– \w+ \d{4}$", f"– {synthetic.MONTHS[day.month - 1]} {day.year}", r["title"])
        r["summary"] = re.sub(r" (Candidatures jusqu'au|Le) \d+ \S+ \d{4}\.$", "", r["summary"])
        if when:
            r["summary"] += " " + when
        if rng.random() < 0.03:
            r["recurrence"] = taxonomy.Recurrence.YEARLY.value
        seen = now - timedelta(seconds=rng.uniform(0, 60 * 86400))
        r["first_seen_at"] = r["last_seen_at"] = seen
        r["published_at"] = seen - timedelta(days=rng.randint(0, 10)) if rng.random() < 0.5 else None
    return rows


def insert_opportunities(engine, rows: list[dict], batch: int = 2000) -> None:
    from sqlalchemy import insert

    from knowledge.models import Opportunity

    with engine.begin() as conn:
        for lo in range(0, len(rows), batch):
            conn.execute(insert(Opportunity.__table__), rows[lo:lo + batch])


def profile_values(rng: random.Random) -> dict | None:
    """A subscriber's organisation, as the profile conversation would save it (None: no profile)."""
    from knowledge import taxonomy

    x = rng.random()
    if x < 0.1:
        return None
    dep = rng.choice(_DEPARTMENT_CODES)
    where = rng.random()
    return {"org_type": rng.choice(_AUDIENCE_CODES) if rng.random() < 0.95 else None,
            "department": dep if where < 0.6 else None,
            "region": taxonomy.DEPARTMENTS[dep].region if where < 0.85 else None,
            "budget": rng.choice(BUDGETS) if rng.random() < 0.5 else None,
            "themes": rng.sample(sorted(taxonomy.THEMES), rng.randint(0, 3)),
            "esus": rng.choice((None, True, False))}


def _taxonomy_lists() -> None:
    global _AUDIENCE_CODES, _DEPARTMENT_CODES
    from knowledge import taxonomy

    _AUDIENCE_CODES = sorted(taxonomy.AUDIENCES)
    _DEPARTMENT_CODES = sorted(taxonomy.DEPARTMENTS)


_AUDIENCE_CODES: list[str] = []
_DEPARTMENT_CODES: list[str] = []


def since_for(rng: random.Random, now: datetime) -> datetime | None:
    x = rng.random()
    if x < 0.1:
        return None                                              # first digest: "new" is the last 7 days
    if x < 0.85:
        return now - timedelta(days=7, minutes=rng.randint(-90, 90))
    return now - timedelta(days=rng.randint(14, 42))              # came back from a pause


# --- phase 1: build ---------------------------------------------------------------------------------------------------

def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_build(url: str, n: int, seed: int, profile: bool) -> dict:
    """In a child process: load, index, then build a digest for each of `n` subscribers."""
    from knowledge.digest import DigestBuilder
    from knowledge.models import Organisation
    from knowledge.render import digest_text
    from knowledge.service import KnowledgeBase
    from knowledge.db import open_database

    _taxonomy_lists()
    out: dict = {"rss_imports_mb": rss_mb()}
    kb = KnowledgeBase(open_database(url, seed=False))
    t = time.perf_counter()
    opportunities = kb.all()
    out["load_s"] = time.perf_counter() - t
    out["opportunities"] = len(opportunities)
    out["rss_loaded_mb"] = rss_mb()
    t = time.perf_counter()
    builder = DigestBuilder(opportunities, NOW)
    out["index_s"] = time.perf_counter() - t
    out["indexed"] = len(builder.items)
    out["rss_indexed_mb"] = rss_mb()

    rng = random.Random(seed)
    build_s = 0.0
    per_chunk: list[float] = []
    sizes, empty, more, sample = [], 0, 0, []
    done = 0
    while done < n:
        size = min(CHUNK, n - done)
        subscribers = []
        for _ in range(size):
            values = profile_values(rng)
            subscribers.append((Organisation(**values) if values else None, rng.choice(KINDS_CHOICES),
                                since_for(rng, NOW)))
        t = time.perf_counter()
        digests = [builder.build(p, kinds, since) for p, kinds, since in subscribers]
        elapsed = time.perf_counter() - t
        build_s += elapsed
        per_chunk.append(elapsed / size)
        for d in digests:
            k = len(d.new) + len(d.closing) + len(d.events)
            sizes.append(k)
            empty += k == 0
            more += d.more > 0
        if len(sample) < 2000:
            sample.extend(digests[:2000 - len(sample)])
        done += size
    out.update(build_s=build_s, per_sub_us=build_s / n * 1e6,
               per_sub_worst_chunk_us=max(per_chunk) * 1e6, items_mean=statistics.fmean(sizes),
               items_max=max(sizes), empty_share=empty / n, truncated_share=more / n)
    t = time.perf_counter()
    texts = [digest_text(d, html=True) for d in sample]
    out["render_us"] = (time.perf_counter() - t) / len(sample) * 1e6
    out["text_max_chars"] = max(len(x) for x in texts)
    out["rss_peak_mb"] = rss_mb()

    if profile:
        subscribers = []
        for _ in range(5000):
            values = profile_values(rng)
            subscribers.append((Organisation(**values) if values else None, rng.choice(KINDS_CHOICES),
                                since_for(rng, NOW)))
        prof = cProfile.Profile()
        prof.enable()
        for p, kinds, since in subscribers:
            builder.build(p, kinds, since)
        prof.disable()
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(14)
        out["profile"] = buf.getvalue()
    return out


# --- phase 2 and 3: send, and answer meanwhile ------------------------------------------------------------------------

def prepare_subscriptions(kb, k: int, seed: int) -> None:
    from sqlalchemy import func, insert, select

    from knowledge import delivery
    from knowledge.models import Organisation, Subscription

    _taxonomy_lists()
    rng = random.Random(seed + 1)
    created = NOW - timedelta(days=8)
    profiles = []
    for i in range(k):
        chat = FIRST_CHAT + i
        delivery.subscribe(kb.engine, chat, weekday=rng.randrange(7), hour=rng.randrange(24),
                           kinds=rng.choice(KINDS_CHOICES), quiet_when_empty=False, now=created)
        values = profile_values(rng)
        if values and rng.random() < 0.95:
            profiles.append({"chat_id": chat, "name": f"Structure {i}", **values,
                             "created_at": created, "updated_at": created})
    with kb.engine.begin() as conn:
        conn.execute(insert(Organisation.__table__), profiles)
        due = conn.execute(select(func.count()).select_from(Subscription.__table__)
                           .where(Subscription.__table__.c.next_due_at <= NOW)).scalar()
    if due != k:
        raise RuntimeError(f"{due} subscriptions due at the benchmark clock, expected {k}")


class _Counter(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(f"{record.name}: {record.getMessage()[:200]}")


async def _send(url: str, port: int, k: int, seed: int) -> dict:
    from bot.app import build_application
    from bot.config import Settings
    from bot.offline import UpdateFactory
    from bot.scheduler import Scheduler
    from knowledge.db import open_database
    from knowledge.service import KnowledgeBase

    out: dict = {}
    kb = KnowledgeBase(open_database(url, seed=False))
    t = time.perf_counter()
    prepare_subscriptions(kb, k, seed)
    out["prepare_s"] = time.perf_counter() - t

    settings = Settings(_env_file=None, digest_tick_seconds=0, telegram_bot_token="123456:BENCH",
                        telegram_base_url=f"http://127.0.0.1:{port}/bot",
                        telegram_base_file_url=f"http://127.0.0.1:{port}/file/bot")
    clock = lambda: NOW                                          # noqa: E731
    app = build_application(settings, kb, clock=clock, rate_limit=True)
    async with app:
        # Warm-up: the search index is built on the first question (a one-off at bot start).
        t = time.perf_counter()
        await app.process_update(UpdateFactory(app.bot, chat_id=PROBE_CHAT - 1).message(QUESTION))
        out["cold_answer_s"] = time.perf_counter() - t

        probes_idle: list[tuple[float, float]] = []
        probes_busy: list[tuple[float, float]] = []
        factory = UpdateFactory(app.bot, chat_id=PROBE_CHAT)

        async def probe(into: list) -> None:
            update = factory.message(QUESTION)
            t0 = time.time()
            await app.process_update(update)
            into.append((t0, time.time()))

        for _ in range(6):                                       # answers with nothing else going on
            await probe(probes_idle)
            await asyncio.sleep(0.5)
        await asyncio.sleep(1.5)                                 # let the rate limiter's bucket drain

        done = asyncio.Event()
        lags: list[float] = []

        async def monitor() -> None:
            while not done.is_set():
                t0 = time.perf_counter()
                await asyncio.sleep(0.01)
                lags.append(time.perf_counter() - t0 - 0.01)

        async def prober() -> list[asyncio.Task]:
            tasks = []
            while not done.is_set():
                tasks.append(asyncio.create_task(probe(probes_busy)))
                try:
                    await asyncio.wait_for(done.wait(), 0.5)
                except asyncio.TimeoutError:
                    pass
            return tasks

        scheduler = Scheduler(kb, app.bot, clock)
        monitor_task = asyncio.create_task(monitor())
        prober_task = asyncio.create_task(prober())
        ticks = []
        out["run_start"] = time.time()
        t_run = time.perf_counter()
        for _ in range(k // 1000 + 5):
            t, started = time.perf_counter(), time.time()
            report = await scheduler.tick()
            ticks.append({"start": started, "s": time.perf_counter() - t, "claimed": report.claimed, "outcomes": dict(report.outcomes)})
            if not report.claimed and not report.outcomes:
                break
        out["run_s"] = time.perf_counter() - t_run
        done.set()
        await monitor_task
        await asyncio.gather(*(await prober_task))
        out["ticks"] = ticks
        out["probes_idle"] = probes_idle
        out["probes_busy"] = probes_busy
        out["loop_lag_max_ms"] = max(lags) * 1000 if lags else 0.0
        out["loop_lag_p99_ms"] = sorted(lags)[int(len(lags) * 0.99)] * 1000 if lags else 0.0
        out["loop_stalls_over_100ms"] = sum(lag > 0.1 for lag in lags)
    out.update(ledger(kb))
    return out


def ledger(kb) -> dict:
    import sqlalchemy as sa

    from knowledge.models import Delivery

    table = Delivery.__table__
    with kb.engine.connect() as conn:
        by_status = dict(conn.execute(sa.select(table.c.status, sa.func.count()).where(table.c.kind == "digest")
                                      .group_by(table.c.status)).all())
        sent_chats = conn.execute(sa.select(sa.func.count(sa.distinct(table.c.chat_id)))
                                  .where(table.c.kind == "digest", table.c.status == "sent")).scalar()
        duplicated = conn.execute(sa.select(sa.func.count()).select_from(
            sa.select(table.c.chat_id).where(table.c.kind == "digest").group_by(table.c.chat_id)
            .having(sa.func.count() > 1).subquery())).scalar()
        errors = [e for (e,) in conn.execute(sa.select(table.c.error).where(table.c.error.is_not(None))
                                             .group_by(table.c.error).limit(3)).all()]
    return {"ledger_status": by_status, "ledger_sent_chats": sent_chats, "ledger_duplicated_chats": duplicated,
            "ledger_errors": errors}


def run_send(url: str, port: int, k: int, seed: int) -> dict:
    counter = _Counter()
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger().addHandler(counter)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    out = asyncio.run(_send(url, port, k, seed))
    out["rss_peak_mb"] = rss_mb()
    out["warnings"] = counter.records
    return out


# --- analysis ---------------------------------------------------------------------------------------------------------

def windows(times: list[float], limit: int = RATE_LIMIT) -> tuple[int, int, list[float]]:
    """Busiest [t, t+1 s) window starting at a message, and the windows holding more than `limit` messages."""
    times = sorted(times)
    best, over, where = 0, 0, []
    j = 0
    for i, t in enumerate(times):
        while j < len(times) and times[j] < t + 1.0:
            j += 1
        best = max(best, j - i)
        if j - i > limit:
            over += 1
            where.append(t)
    return best, over, where


def pct(values: list[float], q: float) -> float:
    if not values:
        return math.nan
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def latencies(probes: list[tuple[float, float]], arrivals: list[float]) -> tuple[list[float], list[float]]:
    """Update → arrival at the fake server (n-th probe with n-th arrival), and update → process_update returned."""
    probes = sorted(probes)
    arrivals = sorted(arrivals)
    to_server = [a - t0 for (t0, _), a in zip(probes, arrivals)]
    to_done = [t1 - t0 for t0, t1 in probes]
    return to_server, to_done


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--subscribers", type=int, default=100_000)
    ap.add_argument("--opportunities", type=int, default=10_000)
    ap.add_argument("--send", type=int, default=2_000)
    ap.add_argument("--api-latency-ms", type=float, default=0.0, help="delay the fake Bot API adds to each call")
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--profile", action="store_true", help="print a cProfile of 5000 digest builds")
    ap.add_argument("--keep", action="store_true", help="keep the temporary databases")
    args = ap.parse_args()

    import fake_bot_api
    from knowledge.db import open_database

    t_all = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="ess-digest-bench-"))
    ctx = get_context("spawn")
    server = None
    try:
        t = time.perf_counter()
        rows = make_opportunities(args.opportunities, NOW, args.seed)
        gen_s = time.perf_counter() - t
        urls = {}
        t = time.perf_counter()
        for name in ("build", "send"):
            urls[name] = f"sqlite:///{tmp / (name + '.db')}"
            insert_opportunities(open_database(urls[name], seed=False), rows)
        insert_s = (time.perf_counter() - t) / 2
        del rows
        print(f"data: {args.opportunities} opportunities generated in {gen_s:.1f} s, inserted in {insert_s:.1f} s "
              f"per database ({tmp})", file=sys.stderr)

        with ProcessPoolExecutor(1, mp_context=ctx) as pool:
            build = pool.submit(run_build, urls["build"], args.subscribers, args.seed, args.profile).result()
        print(f"build: {build['build_s']:.1f} s for {args.subscribers} subscribers", file=sys.stderr)

        server, port = fake_bot_api.start(args.api_latency_ms / 1000)
        with ProcessPoolExecutor(1, mp_context=ctx) as pool:
            send = pool.submit(run_send, urls["send"], port, args.send, args.seed).result()
        api = fake_bot_api.stats(port)
    finally:
        if server is not None:
            server.terminate()
            server.join(5)
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    wall = time.perf_counter() - t_all

    k = args.send
    subscribers = set(range(FIRST_CHAT, FIRST_CHAT + k))
    all_sends = [s[0] for s in api["sends"]]
    digest_sends = [(t, c) for t, c, _ in api["sends"] if c in subscribers]
    digest_times = sorted(t for t, _ in digest_sends)
    distinct = len({c for _, c in digest_sends})
    span = digest_times[-1] - digest_times[0] if len(digest_times) > 1 else math.nan
    rate = k / span if span else math.nan
    busiest, over, over_at = windows(all_sends)
    probe_arrivals = [t for t, c, _ in api["sends"] if c == PROBE_CHAT]
    idle_n = len(send["probes_idle"])
    idle_srv, idle_done = latencies(send["probes_idle"], probe_arrivals[:idle_n])
    busy_srv, busy_done = latencies(send["probes_busy"], probe_arrivals[idle_n:])
    # Probes asked while a tick prepared (claim, reminders, DigestBuilder: tick start → its first digest at the server)
    prep = []
    for tick in send["ticks"]:
        after = [t for t in digest_times if t >= tick["start"]]
        if after and tick["claimed"]:
            prep.append((tick["start"], after[0]))
    busy_sorted = sorted(send["probes_busy"])
    in_prep = [lat for (t0, _), lat in zip(busy_sorted, busy_srv) if any(a <= t0 < b for a, b in prep)]
    in_sending = [lat for (t0, _), lat in zip(busy_sorted, busy_srv) if not any(a <= t0 < b for a, b in prep)]
    gaps = [b - a for a, b in zip(digest_times, digest_times[1:])]
    long_gaps = [g for g in gaps if g > 0.1]
    sent_rows = send["ledger_status"].get("sent", 0)
    first_tick = send["ticks"][0]
    exactly_once = (distinct == k and len(digest_sends) == k and sent_rows == k
                    and send["ledger_sent_chats"] == k and send["ledger_duplicated_chats"] == 0)
    answer_ok = bool(busy_srv) and max(busy_srv) < 2.0

    def ms(v: float) -> str:
        return f"{v * 1000:.0f} ms"

    def yes(ok: bool) -> str:
        return "yes" if ok else "**NO**"

    n = args.subscribers
    print(f"\n## Digest benchmark — {n} subscribers, {build['opportunities']} opportunities, {k} sends "
          f"(fake Bot API latency {args.api_latency_ms:.0f} ms)\n")
    print("| Phase | Measure | Value | Target | Met |")
    print("|---|---|---|---|---|")
    rows = [
        ("build", "load opportunities (KnowledgeBase.all)", f"{build['load_s']:.2f} s", "", ""),
        ("build", "DigestBuilder (index of digest-eligible items)",
         f"{build['index_s']:.2f} s ({build['indexed']} of {build['opportunities']} items)", "", ""),
        ("build", f"build() × {n}", f"{build['build_s']:.1f} s", "", ""),
        ("build", "per subscriber (mean / worst chunk of 1000)",
         f"{build['per_sub_us']:.0f} µs / {build['per_sub_worst_chunk_us']:.0f} µs", "", ""),
        ("build", "items per digest (mean / max); empty; with 'more'",
         f"{build['items_mean']:.1f} / {build['items_max']}; {build['empty_share']:.1%}; "
         f"{build['truncated_share']:.1%}", "", ""),
        ("build", "digest_text (HTML) per digest; longest text",
         f"{build['render_us']:.0f} µs; {build['text_max_chars']} chars", "≤ 4096", yes(build['text_max_chars'] <= 4096)),
        ("build", "peak RSS (after imports / loaded / indexed / peak)",
         f"{build['rss_imports_mb']:.0f} / {build['rss_loaded_mb']:.0f} / {build['rss_indexed_mb']:.0f} / "
         f"{build['rss_peak_mb']:.0f} MB", "", ""),
        ("send", "prepare K subscriptions (subscribe + profiles)", f"{send['prepare_s']:.1f} s", "", ""),
        ("send", "ticks run (claimed per tick)",
         f"{len(send['ticks'])} ({', '.join(str(t['claimed']) for t in send['ticks'])})", "1 tick sends K",
         yes(first_tick["outcomes"].get("sent", 0) == k)),
        ("send", "wall time, all ticks (first tick)", f"{send['run_s']:.1f} s ({first_tick['s']:.1f} s)", "", ""),
        ("send", "sustained rate (K / first→last digest)", f"{rate:.1f} msg/s", f"≥ {TARGET_RATE}",
         yes(rate >= TARGET_RATE)),
        ("send", "gaps between digests > 100 ms: count / total / longest",
         f"{len(long_gaps)} / {sum(long_gaps):.1f} s / {max(gaps, default=0):.2f} s", "", ""),
        ("send", "busiest 1-s window (all sendMessage)", f"{busiest}", f"≤ {RATE_LIMIT}", yes(busiest <= RATE_LIMIT)),
        ("send", f"1-s windows over {RATE_LIMIT} (starting at a message)", f"{over}", "0", yes(over == 0)),
        ("send", "digests at fake server: messages / distinct chats", f"{len(digest_sends)} / {distinct}",
         f"{k} / {k}", yes(len(digest_sends) == k and distinct == k)),
        ("send", "Delivery rows sent / chats with >1 digest row",
         f"{sent_rows} / {send['ledger_duplicated_chats']} (all: {send['ledger_status']})", f"{k} / 0",
         yes(exactly_once)),
        ("send", "rejected by fake API; warnings logged",
         f"{len(api['rejected'])}; {len(send['warnings'])}", "0; 0",
         yes(not api["rejected"] and not send["warnings"])),
        ("send", "event-loop lag p99 / max; stalls > 100 ms",
         f"{send['loop_lag_p99_ms']:.0f} / {send['loop_lag_max_ms']:.0f} ms; {send['loop_stalls_over_100ms']}", "", ""),
        ("send", "peak RSS of the bot process", f"{send['rss_peak_mb']:.0f} MB", "", ""),
        ("answer", "first question (builds search index)", f"{send['cold_answer_s']:.2f} s", "", ""),
        ("answer", f"idle: update → server, p50 / max (n={len(idle_srv)})",
         f"{ms(pct(idle_srv, .5))} / {ms(max(idle_srv))}", "", ""),
        ("answer", f"during run: update → server, p50 / p95 / max (n={len(busy_srv)})",
         f"{ms(pct(busy_srv, .5))} / {ms(pct(busy_srv, .95))} / {ms(max(busy_srv))}" if busy_srv else "none",
         "not behind the run (< 2 s)", yes(answer_ok)),
        ("answer", f"  asked while a tick prepares: p50 / max (n={len(in_prep)})",
         f"{ms(pct(in_prep, .5))} / {ms(max(in_prep))}" if in_prep else "none", "", ""),
        ("answer", f"  asked while digests are sent: p50 / p95 / max (n={len(in_sending)})",
         f"{ms(pct(in_sending, .5))} / {ms(pct(in_sending, .95))} / {ms(max(in_sending))}" if in_sending else "none",
         "", ""),
        ("answer", "during run: update → process_update returned, p50 / max",
         f"{ms(pct(busy_done, .5))} / {ms(max(busy_done))}" if busy_done else "none", "", ""),
        ("all", "wall time of the benchmark", f"{wall:.0f} s", "< 600 s", yes(wall < 600)),
    ]
    for row in rows:
        print("| " + " | ".join(row) + " |")
    if len(probe_arrivals) != idle_n + len(busy_srv) or len(send["probes_busy"]) != len(busy_srv):
        print(f"\nNote: {len(probe_arrivals)} answers arrived for {idle_n + len(send['probes_busy'])} questions.")
    if over_at:
        first = over_at[0] - send["run_start"]
        print(f"\nWindows over {RATE_LIMIT}: first starts {first:.2f} s after the run began; "
              f"{len({int(t - send['run_start']) for t in over_at})} distinct seconds affected.")
    print("\nTicks: " + "; ".join(f"{t['s']:.1f} s, claimed {t['claimed']}, {t['outcomes']}" for t in send["ticks"]))
    if send["warnings"]:
        print("\nWarnings (first 5): " + " | ".join(send["warnings"][:5]))
    if send["ledger_errors"]:
        print("\nLedger errors: " + " | ".join(map(str, send["ledger_errors"])))
    if "profile" in build:
        print("\n```\n" + build["profile"].strip() + "\n```")


if __name__ == "__main__":
    main()
