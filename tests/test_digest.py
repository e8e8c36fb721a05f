"""Weekly digests and reminders: due at the chosen hour, sent once whatever happens (restart, crash, 429, 403,
two processes on one PostgreSQL)."""
import asyncio
from datetime import datetime, timedelta, timezone

import pytest
from sqlmodel import Session, select

from bot.app import SCHEDULER, build_application
from bot.config import Settings
from bot.offline import OfflineBotAPI
from bot.scheduler import Scheduler
from knowledge import delivery
from knowledge.db import open_database
from knowledge.ingest import import_file
from knowledge.models import Delivery, Subscription
from knowledge.profiles import save_profile
from knowledge.service import KnowledgeBase
from knowledge.timeutil import PARIS
from tests.botkit import Chat

# Monday 31 May 2021, 08:00 Paris: the first digest of a Monday-9h subscriber is due in an hour.
MONDAY_8H = datetime(2021, 5, 31, 8, 0, tzinfo=PARIS).astimezone(timezone.utc)
SEEN = datetime(2021, 5, 20, tzinfo=timezone.utc)        # the shipped items were "first seen" before that


class Clock:
    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def kb(tmp_path):
    kb = KnowledgeBase(open_database(f"sqlite:///{tmp_path / 'digest.db'}", seed=False))
    from knowledge.db import SEED_FILES
    import_file(kb.engine, SEED_FILES[0], now=SEEN)
    return kb


@pytest.fixture
async def bot(kb):
    clock = Clock(MONDAY_8H)
    api = OfflineBotAPI()
    app = build_application(Settings(_env_file=None, digest_tick_seconds=0), kb, request=api, clock=clock,
                            rate_limit=True)
    async with app:
        yield app, api, clock


def add_item(kb, key: str, title: str, first_seen: datetime, **fields):
    path = kb.engine.url.database + f".{key}.yaml"
    lines = [f"- key: {key}", "  kind: aap", f"  title: \"{title}\"", "  territories: [R28]"]
    lines += [f"  {k}: {v}" for k, v in fields.items()]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    import_file(kb.engine, path, now=first_seen)


async def test_subscribe_in_two_taps_then_digest_at_the_chosen_hour(bot, kb):
    app, api, clock = bot
    chat = Chat(app, api)
    await chat.say("/start")
    [intro] = await chat.press_label("Récapitulatif hebdomadaire")           # tap 1
    [done] = await chat.press_label("Chaque lundi à 9 h")                     # tap 2
    assert "chaque lundi à 9 h" in done.text and "lundi 31 mai 2021 à 09:00" in done.text
    save_profile(kb.engine, chat.chat_id, {"org_type": "association", "region": "28", "department": "76"})
    add_item(kb, "new-call", "Appel régional pour les tiers-lieux", MONDAY_8H - timedelta(days=2),
             deadline="2021-06-30")
    scheduler = app.bot_data[SCHEDULER]
    before = len(api.sent())
    assert (await scheduler.tick()).claimed == 0                              # 08:00: not yet
    assert len(api.sent()) == before
    clock.now = MONDAY_8H + timedelta(hours=1)                                # 09:00 Paris
    report = await scheduler.tick()
    assert report.claimed == 1 and report.outcomes == {"sent": 1}
    digest = api.sent()[-1]
    assert digest.text.startswith("<b>📬 Votre récapitulatif du lundi 31 mai 2021</b>")
    assert "🆕 Nouveau pour vous" in digest.text and "Appel régional pour les tiers-lieux" in digest.text
    assert "⏳ Clôture dans les 14 jours" in digest.text and "Appel à manifestations culturelles" in digest.text
    assert "📅 Événements des 14 prochains jours" in digest.text and "carte collaborative" in digest.text
    assert "Draccare" not in digest.text.split("Nouveau")[1].split("Clôture")[0]   # seen before the period
    assert digest.buttons[0][0]["callback_data"].startswith("d:")
    assert (await scheduler.tick()).outcomes == {}                            # sent once
    sub = delivery.get_subscription(kb.engine, chat.chat_id)
    assert sub.next_due_at.astimezone(PARIS).strftime("%a %d %H:%M") == "Mon 07 09:00"
    assert sub.last_sent_at == clock.now


async def test_nothing_new_gives_one_short_line_or_nothing(bot, kb):
    app, api, clock = bot
    quiet_week = MONDAY_8H + timedelta(days=98)                               # early September: a quiet week
    clock.now = quiet_week
    delivery.subscribe(kb.engine, 1, weekday=0, hour=9, kinds=[], quiet_when_empty=False, now=quiet_week)
    delivery.subscribe(kb.engine, 2, weekday=0, hour=9, kinds=[], quiet_when_empty=True, now=quiet_week)
    clock.now = quiet_week + timedelta(hours=1)
    report = await app.bot_data[SCHEDULER].tick()
    assert report.outcomes == {"sent": 1, "skipped": 1}
    [short] = api.sent()
    assert short.params["chat_id"] == 1 and short.text == "📬 Rien de nouveau pour votre profil cette semaine. Bonne semaine !"


async def test_digest_due_while_the_bot_was_down_is_sent_once(kb):
    delivery.subscribe(kb.engine, 7, weekday=0, hour=9, kinds=[], quiet_when_empty=False, now=MONDAY_8H)
    later = MONDAY_8H + timedelta(days=15)                                    # down for two weekly slots
    api = OfflineBotAPI()
    app = build_application(Settings(_env_file=None, digest_tick_seconds=0), kb, request=api, clock=Clock(later))
    async with app:
        first = await app.bot_data[SCHEDULER].tick()
        second = await app.bot_data[SCHEDULER].tick()
    assert first.claimed == 1 and first.outcomes == {"sent": 1} and second.outcomes == {}
    assert len(api.sent()) == 1
    next_due = delivery.get_subscription(kb.engine, 7).next_due_at.astimezone(PARIS)
    assert next_due.strftime("%Y-%m-%d %H:%M") == "2021-06-21 09:00"


async def test_crash_mid_run_resumes_without_resending(kb):
    for chat in (1, 2, 3):
        delivery.subscribe(kb.engine, chat, weekday=0, hour=9, kinds=[], quiet_when_empty=False, now=MONDAY_8H)
    due = MONDAY_8H + timedelta(hours=1)
    delivery.claim_due_digests(kb.engine, due)
    first = delivery.take_pending(kb.engine, due, limit=2)                    # a process takes two...
    delivery.record(kb.engine, first[0], delivery.Outcome("sent", message_id=5), due)   # ...sends one, then dies
    api = OfflineBotAPI()
    app = build_application(Settings(_env_file=None, digest_tick_seconds=0), kb, request=api,
                            clock=Clock(due + timedelta(minutes=1)))
    async with app:
        report = await app.bot_data[SCHEDULER].tick()
        assert [c.params["chat_id"] for c in api.sent()] == [3]               # the untouched one only
        app.bot_data[SCHEDULER].clock = Clock(due + timedelta(minutes=15))   # the half-sent one, after 10 min
        report = await app.bot_data[SCHEDULER].tick()
    assert report.recovered == 1
    assert sorted(c.params["chat_id"] for c in api.sent()) == [2, 3]
    with Session(kb.engine) as s:
        assert sorted(d.status for d in s.exec(select(Delivery))) == ["sent", "sent", "sent"]


async def test_429_waits_then_succeeds_and_403_deactivates(bot, kb):
    app, api, clock = bot
    delivery.subscribe(kb.engine, 11, weekday=0, hour=9, kinds=[], quiet_when_empty=False, now=MONDAY_8H)
    api.fail("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    clock.now = MONDAY_8H + timedelta(hours=1)
    started = asyncio.get_running_loop().time()
    report = await app.bot_data[SCHEDULER].tick()
    assert report.outcomes == {"sent": 1}
    assert asyncio.get_running_loop().time() - started >= 1.0                  # waited as Telegram asked
    assert len(api.sent()) == 1
    delivery.unsubscribe(kb.engine, 11, "user", clock.now)
    delivery.subscribe(kb.engine, 12, weekday=0, hour=9, kinds=[], quiet_when_empty=False, now=clock.now)
    api.fail("sendMessage", 403, "Forbidden: bot was blocked by the user")
    clock.now += timedelta(days=7)
    report = await app.bot_data[SCHEDULER].tick()
    assert report.outcomes == {"blocked": 1}
    blocked = delivery.get_subscription(kb.engine, 12)
    assert not blocked.active and blocked.deactivated_reason == "blocked: Forbidden: bot was blocked by the user"
    clock.now += timedelta(days=7)
    assert (await app.bot_data[SCHEDULER].tick()).claimed == 0                # nothing more for a blocked chat


async def test_other_errors_are_retried_a_bounded_number_of_times(bot, kb):
    app, api, clock = bot
    delivery.subscribe(kb.engine, 21, weekday=0, hour=9, kinds=[], quiet_when_empty=False, now=MONDAY_8H)
    clock.now = MONDAY_8H + timedelta(hours=1)
    for _ in range(delivery.MAX_ATTEMPTS):
        api.fail("sendMessage", 500, "Internal Server Error")
    for _ in range(delivery.MAX_ATTEMPTS):
        await app.bot_data[SCHEDULER].tick()
        clock.now += timedelta(hours=2)
    with Session(kb.engine) as s:
        [d] = s.exec(select(Delivery)).all()
    assert d.status == "failed" and d.attempts == delivery.MAX_ATTEMPTS and "Internal Server Error" in d.error
    assert api.sent() == []


async def test_reminders_at_j7_and_j1_exactly_once(bot, kb):
    app, api, clock = bot
    chat = Chat(app, api)
    draccare = kb.by_key("cress-normandie-2021-draccare")                     # closes Fri 9 July 2021 23:59
    clock.now = datetime(2021, 6, 20, 12, tzinfo=timezone.utc)
    await chat.press(f"d:{draccare.id}")
    [followed] = await chat.press_label("Suivre")
    assert followed.text.startswith("⭐ Suivi.") and "vendredi 9 juillet 2021 à 23:59" in followed.text
    scheduler = app.bot_data[SCHEDULER]
    sent_before = len(api.sent())
    moments = [datetime(2021, 7, 2, 8, 59, tzinfo=PARIS), datetime(2021, 7, 2, 9, 0, tzinfo=PARIS),
               datetime(2021, 7, 2, 15, 0, tzinfo=PARIS), datetime(2021, 7, 8, 9, 0, tzinfo=PARIS),
               datetime(2021, 7, 9, 12, 0, tzinfo=PARIS), datetime(2021, 7, 10, 9, 0, tzinfo=PARIS)]
    for moment in moments:
        clock.now = moment.astimezone(timezone.utc)
        await scheduler.tick()
    reminders = api.sent()[sent_before:]
    assert [r.text.split("\n")[1] for r in reminders] == [
        "clôture dans 7 jours (vendredi 9 juillet 2021 à 23:59).",
        "clôture demain (vendredi 9 juillet 2021 à 23:59).",
    ]
    assert reminders[0].text.startswith("⏰ Rappel : « Appel à projets Draccare")
    [[details, unfollow]] = reminders[0].buttons
    assert details["callback_data"] == f"d:{draccare.id}" and unfollow["callback_data"] == f"uf:{draccare.id}"


async def test_pause_and_unsubscribe(bot, kb):
    app, api, clock = bot
    chat = Chat(app, api)
    await chat.say("/abonnement")
    await chat.press_label("Choisir le jour")
    await chat.press_label("Mercredi")
    [done] = await chat.press_label("18 h")
    assert "chaque mercredi à 18 h" in done.text
    [settings] = await chat.say("/abonnement")
    assert "Prochain envoi : mercredi 2 juin 2021 à 18:00" in settings.text
    [paused] = await chat.press_label("Pause 4 semaines")
    assert "jusqu'au lundi 28 juin 2021" in paused.text
    assert delivery.get_subscription(kb.engine, chat.chat_id).next_due_at.astimezone(PARIS).day == 30
    await chat.say("/abonnement")
    await chat.press_label("Contenu")
    [content] = await chat.press_label("Événements")
    assert delivery.get_subscription(kb.engine, chat.chat_id).paused_until is not None   # still paused
    assert "✅ Appels à projets et AMI" in str(content.buttons) and "✅ Événements" not in str(content.buttons)
    assert delivery.get_subscription(kb.engine, chat.chat_id).kinds == ["calls", "offers"]
    [bye] = await chat.say("/desabonner")
    assert "ne recevrez plus" in bye.text
    assert not delivery.get_subscription(kb.engine, chat.chat_id).active


async def test_two_schedulers_on_one_postgresql_send_each_digest_once(postgres_url):
    engines = [open_database(postgres_url, seed=False) for _ in range(2)]
    kbs = [KnowledgeBase(e) for e in engines]
    for chat in range(1, 41):
        delivery.subscribe(engines[0], chat, weekday=0, hour=9, kinds=[], quiet_when_empty=False, now=MONDAY_8H)
    due = Clock(MONDAY_8H + timedelta(hours=1))
    apis = [OfflineBotAPI(), OfflineBotAPI()]
    apps = [build_application(Settings(_env_file=None, digest_tick_seconds=0), kb, request=api, clock=due)
            for kb, api in zip(kbs, apis)]
    for app in apps:
        await app.initialize()
    try:
        schedulers = [Scheduler(kb, app.bot, due, batch=5) for kb, app in zip(kbs, apps)]
        for _ in range(3):
            await asyncio.gather(*(s.tick() for s in schedulers))
    finally:
        for app in apps:
            await app.shutdown()
    chats = [c.params["chat_id"] for api in apis for c in api.sent()]
    assert sorted(chats) == list(range(1, 41))                                 # each once, none twice
    with Session(engines[0]) as s:
        assert len(s.exec(select(Subscription).where(Subscription.last_sent_at.is_not(None))).all()) == 40


async def test_a_yearly_event_can_be_followed_for_its_next_edition(bot, kb):
    app, api, clock = bot
    chat = Chat(app, api)
    mois = kb.by_key("cress-normandie-2021-mois-ess")                 # November 2021, every year
    clock.now = datetime(2026, 10, 1, 12, tzinfo=timezone.utc)
    await chat.press(f"d:{mois.id}")
    [followed] = await chat.press_label("Suivre")
    assert followed.text.startswith("⭐ Suivi.") and "dimanche 1er novembre 2026" in followed.text
    clock.now = datetime(2026, 10, 25, 9, 0, tzinfo=PARIS).astimezone(timezone.utc)    # J-7 at 9:00
    sent_before = len(api.sent())
    await app.bot_data[SCHEDULER].tick()
    await app.bot_data[SCHEDULER].tick()
    [reminder] = api.sent()[sent_before:]
    assert "Mois de l'ESS" in reminder.text and "dans 7 jours" in reminder.text


async def test_nothing_goes_to_a_stopped_subscription_and_stopped_ones_do_not_resume(bot, kb):
    app, api, clock = bot
    delivery.subscribe(kb.engine, 31, weekday=0, hour=9, kinds=[], quiet_when_empty=False, now=MONDAY_8H)
    clock.now = MONDAY_8H + timedelta(hours=1)
    delivery.claim_due_digests(kb.engine, clock.now)                   # owed…
    delivery.unsubscribe(kb.engine, 31, "user", clock.now)            # …then /desabonner before it went out
    report = await app.bot_data[SCHEDULER].tick()
    assert report.outcomes == {"skipped": 1} and api.sent() == []
    assert delivery.resume(kb.engine, 31, clock.now) is None           # an old « Reprendre » button
    assert not delivery.get_subscription(kb.engine, 31).active


async def test_console_never_sends_real_digests(kb, monkeypatch):
    """The console runs the real Application on the real database: it must not deliver chats' digests."""
    from bot import console

    built = []
    real_build = console.build_application
    monkeypatch.setattr(console, "build_application", lambda *a, **kw: built.append(real_build(*a, **kw)) or built[-1])
    seen_jobs: list[str] = []

    def read(prompt):
        seen_jobs.extend(job.name for job in built[0].job_queue.jobs())
        raise EOFError

    await console.chat(Settings(_env_file=None, digest_tick_seconds=60, sync_interval_minutes=60), kb, read=read,
                       output=lambda line: None)
    assert built and seen_jobs == []                      # no digest tick, no source sync scheduled
