"""Administrators' commands in Telegram: /sources, /sync, /stats — and nobody else's."""
from datetime import datetime, timezone

import pytest

from bot.app import build_application
from bot.config import Settings
from bot.offline import OfflineBotAPI
from handlers import texts as bot_texts
from knowledge.sync import add_source
from tests.botkit import Chat
from tests.fake_sources import Web

NOW = datetime(2021, 9, 10, 8, tzinfo=timezone.utc)


@pytest.fixture
async def app(fresh_kb):
    api = OfflineBotAPI()
    settings = Settings(_env_file=None, admin_ids="42, 43", digest_tick_seconds=0, sync_interval_minutes=0,
                        source_timeout_seconds=1)
    app = build_application(settings, fresh_kb, request=api, clock=lambda: NOW)
    async with app:
        await app.start()
        yield app, api
        await app.stop()


async def test_admin_syncs_and_sees_sources_and_stats(app, fresh_kb, seed_page):
    with Web(seed_page) as web:
        add_source(fresh_kb.engine, web.url("/feed.xml"), name="CRESS test", default_territory="R28")
        add_source(fresh_kb.engine, web.url("/broken.xml"), "rss", name="cassé")
        admin = Chat(*app, chat_id=42)
        [before] = await admin.say("/sources")
        assert "CRESS test (rss) : jamais lue" in before.text
        started, done = await admin.say_and_wait("/sync", 2)
    assert started.text == "Lecture des sources en cours…"
    assert "CRESS test : 2 nouveau(x)" in done.text and "cassé : ERREUR — flux invalide" in done.text
    [after] = await admin.say("/sources")
    assert "✅ CRESS test (rss) : vendredi 10 septembre 2021 à 10:00, 2 élément(s)" in after.text
    [answer] = await admin.say("tiers lieux")
    assert "Tiers-lieux solidaires" in answer.text                     # synced items answer questions at once
    [stats] = await admin.say("/stats")
    assert "Abonnements : 0 actif, 0 arrêté" in stats.text and "Source CRESS test" in stats.text
    assert "clôturé" in stats.text and "ouvert" in stats.text


@pytest.mark.parametrize("command", ["/sources", "/sync", "/stats"])
async def test_others_get_the_unknown_command_answer(app, command):
    [answer] = await Chat(*app, chat_id=7).say(command)
    assert answer.text.startswith(bot_texts.UNKNOWN_COMMAND)
