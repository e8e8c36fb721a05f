"""The Telegram bot driven as a user drives it: real Application and handlers, Bot API answered in-process."""
import asyncio
from datetime import date

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from bot.app import build_application
from bot.config import Settings
from bot.offline import OfflineBotAPI
from handlers import texts as bot_texts
from handlers.common import split_message
from knowledge.ingest import import_file
from knowledge.models import Organisation, SavedSearch
from knowledge.profiles import get_profile
from knowledge.timeutil import today_at_noon
from tests.botkit import Chat, texts

JUNE = today_at_noon(date(2021, 6, 1))


def make_app(kb, api=None, timeout_minutes=15.0):
    settings = Settings(_env_file=None, conversation_timeout_minutes=timeout_minutes, digest_tick_seconds=0,
                        sync_interval_minutes=0)
    api = api or OfflineBotAPI()
    return build_application(settings, kb, request=api, clock=lambda: JUNE), api


@pytest.fixture
async def bot(fresh_kb):
    app, api = make_app(fresh_kb)
    async with app:
        await app.start()              # job queue on, as in production (conversation time-outs)
        yield app, api
        await app.stop()


@pytest.fixture
def chat(bot):
    return Chat(*bot)


async def test_start_shows_the_welcome_and_menu_and_registers_commands(bot, chat):
    app, api = bot
    [message] = await chat.say("/start")
    assert "appels à projets" in message.text and message.params["parse_mode"] == "HTML"
    labels = [b["text"] for row in message.buttons for b in row]
    assert labels == ["🔎 Rechercher", "✅ Suis-je éligible ?", "👤 Mon profil", "❓ Aide",
                      "📬 Récapitulatif hebdomadaire"]
    await app.post_init(app)
    [commands] = api.sent("setMyCommands")
    assert [c["command"] for c in commands.params["commands"]][:3] == ["appels", "evenements", "offres"]


async def test_deep_link_opens_the_eligibility_flow(chat):
    [message] = await chat.say("/start eligibilite")
    assert "1/6" in message.text


async def test_question_lists_results_with_details_and_eligibility_buttons(chat):
    [message] = await chat.say("quels appels pour une association ?")
    assert "4 résultats" in message.text and "Draccare" in message.text
    assert "ouvert aux structures de type « association »" in message.text
    assert chat.button("Détails 1").startswith("d:") and chat.button("Éligible ? 1").startswith("e:")
    [card] = await chat.press_label("Détails 1")
    assert "<b>Pour qui</b> : association, OPCO" in card.text
    assert "date limite : vendredi 9 juillet 2021 à 23:59" in card.text
    [prompt] = await chat.press_label("Éligible")
    assert prompt.text == bot_texts.ELIGIBILITY_NEEDS_PROFILE
    [first_step] = await chat.press_label("C'est parti")
    assert "1/6" in first_step.text
    for step in ["asso", "calvados", "termine", "10k", "non"]:
        await chat.say(step)
    item_first, summary = await chat.press_label("Valider")
    assert item_first.text.startswith(f"{bot_texts.SAVED}\n\n{bot_texts.ITEM_VERDICT_FIRST}")   # that item first
    assert "Draccare" in item_first.text and "sous le minimum" in item_first.text
    assert summary.text.startswith(bot_texts.ALL_VERDICTS)
    spent = chat.api.sent("editMessageReplyMarkup")[-1]                  # the summary's buttons are removed
    assert spent.params.get("reply_markup") is None


async def test_more_results_page_survives_a_restart(fresh_kb, tmp_path):
    extra = tmp_path / "extra.csv"
    extra.write_text("key,kind,title,territories,deadline\n" + "".join(
        f"solidarite-{n},aap,Appel solidarité numéro {n},R28,2021-07-{10 + n}\n" for n in range(8)), encoding="utf-8")
    import_file(fresh_kb.engine, extra)
    app, api = make_app(fresh_kb)
    async with app:
        [first] = await Chat(app, api).say("appel solidarite")
    assert "8 résultats" in first.text and "5." in first.text and "6." not in first.text
    more = Chat(app, api).button("Plus de résultats")
    app2, api2 = make_app(fresh_kb)                      # a new process: nothing in memory
    async with app2:
        [second] = await Chat(app2, api2).press(more)
    assert "6. " in second.text and "8. " in second.text and "1. " not in second.text


async def test_full_eligibility_conversation_with_buttons_typing_and_going_back(chat, fresh_kb):
    await chat.say("/eligibilite")
    await chat.press_label("SCOP")                                     # a button...
    await chat.press_label("Retour")                                   # ...undone
    assert "1/6" in chat.last().text
    [wrong] = (await chat.say("une licorne"))[:1]
    assert wrong.text == bot_texts.NOT_UNDERSTOOD_TYPE
    first_step = chat.api.sent()[-1].result["message_id"]                 # the 1/6 question on screen
    assert "2/6" in texts(await chat.say("asso"))                      # typed where a button was expected
    cleared = chat.api.sent("editMessageReplyMarkup")[-1]                  # and step 1's buttons are gone
    assert cleared.params["message_id"] == first_step and cleared.params.get("reply_markup") is None
    assert "3/6" in texts(await chat.say("normandie"))
    assert "4/6" in texts(await chat.say("seine maritime"))
    await chat.press_label("Culture")
    assert "✅ Culture et arts" in [b["text"] for r in chat.last().buttons for b in r]
    await chat.say("emploi des jeunes")
    assert "5/6" in texts(await chat.press_label("Terminé"))
    assert texts(await chat.say("beaucoup")) == bot_texts.NOT_UNDERSTOOD_BUDGET
    assert texts(await chat.say("-5 €")) == bot_texts.BUDGET_OUT_OF_RANGE
    assert "6/6" in texts(await chat.say("10 000 €"))
    [summary] = await chat.say("non")
    assert "• Type : association" in summary.text and "• Territoire : Seine-Maritime (76)" in summary.text
    assert "Culture et arts, Emploi et insertion, Jeunesse" in summary.text
    assert "10\u202f000\xa0€" in summary.text
    [fix_menu] = await chat.press_label("Corriger")
    await chat.press_label("Budget")
    [summary] = await chat.say("30k")                                  # a correction comes back to the summary
    assert "30\u202f000\xa0€" in summary.text
    verdicts = texts(await chat.press_label("Valider"))
    assert "2 éligibles, 8 à vérifier, 0 non éligible." in verdicts
    assert "✅ éligible — <b>Mobilier professionnel" in verdicts
    assert "✅ éligible — <b>Appel à projets Draccare" in verdicts
    assert "Montant : votre projet de 30\u202f000\xa0€ entre dans les dépenses éligibles" in verdicts
    profile = get_profile(fresh_kb.engine, chat.chat_id)
    assert (profile.org_type, profile.region, profile.department, profile.budget, profile.esus) == \
        ("association", "28", "76", 30_000, False)
    assert profile.themes == ["culture", "emploi", "jeunesse"]


async def test_small_budget_gets_the_draccare_reason(chat):
    for step in ["/eligibilite", "asso", "calvados", "termine", "10k", "je ne sais pas", "oui"]:
        await chat.say(step)
    verdicts = texts(chat.api.calls[-1:])
    assert "non éligible — <b>Appel à projets Draccare" in verdicts
    assert "sous le minimum de 20\u202f000\xa0€" in verdicts


async def test_cancel_leaves_and_saves_nothing(chat, fresh_kb):
    await chat.say("/eligibilite")
    await chat.say("scic")
    [bye] = await chat.say("/annuler")
    assert bye.text == bot_texts.CANCELLED
    assert get_profile(fresh_kb.engine, chat.chat_id) is None
    [answer] = await chat.say("mobilier")                              # free text is a question again
    assert "Mobilier professionnel" in answer.text


async def test_idle_conversation_times_out_politely(fresh_kb):
    app, api = make_app(fresh_kb, timeout_minutes=0.5 / 60)
    async with app:
        await app.start()
        chat = Chat(app, api)
        await chat.say("/eligibilite")
        await asyncio.sleep(1.5)
        await app.stop()
    assert chat.last().text == bot_texts.TIMEOUT


async def test_restart_in_the_middle_of_the_conversation_resumes_there(fresh_kb):
    app, api = make_app(fresh_kb)
    async with app:
        await app.start()
        chat = Chat(app, api)
        await chat.say("/eligibilite")
        await chat.say("association")
        await chat.say("normandie")
        assert "3/6" in chat.last().text
        await app.stop()
    app2, api2 = make_app(fresh_kb)                                    # same database, new process
    async with app2:
        await app2.start()
        [themes] = await Chat(app2, api2).say("calvados")
        await app2.stop()
    assert "4/6" in themes.text


async def test_two_users_do_not_share_state(bot):
    app, api = bot
    alice, bob = Chat(app, api, chat_id=1), Chat(app, api, chat_id=2)
    await alice.say("/eligibilite")
    await alice.say("asso")
    [bob_answer] = await bob.say("mobilier")          # Bob is not in a conversation: his text is a question
    assert "Mobilier professionnel" in bob_answer.text
    [alice_next] = await alice.say("bretagne")
    assert "3/6" in alice_next.text


@pytest.mark.parametrize("data", ["d:999999", "d:abc", "e:-1", "m:1:5", "m:999:0", "zz:garbage", "t:martien",
                                  "d:" + "9" * 40, "th:unknown", "pfix:nothing"])
async def test_forged_or_stale_buttons_get_a_polite_answer(chat, data):
    calls = await chat.press(data)
    assert calls and calls[-1].text in {bot_texts.STALE_BUTTON, bot_texts.ITEM_GONE, bot_texts.PROFILE_NONE}
    assert chat.api.sent("answerCallbackQuery")


async def test_search_pages_of_another_chat_are_not_shown(bot):
    app, api = bot
    await Chat(app, api, chat_id=1).say("appels")
    other = Chat(app, api, chat_id=2)
    [answer] = await other.press("m:1:0")
    assert answer.text == bot_texts.STALE_BUTTON


async def test_huge_message_emoji_and_html_are_answered_safely(chat):
    [answer] = await chat.say("mobilier " + "é" * 4990)
    assert "seuls les 500 premiers caractères" in answer.text
    [answer] = await chat.say("🎉🎉 <b>appels</b> & co")
    assert "<b>appels</b>" not in answer.text and "&lt;b&gt;appels&lt;/b&gt;" in answer.text
    [answer] = await chat.say("   ")
    assert answer.text == bot_texts.EMPTY_MESSAGE
    [answer] = await chat._process(chat.updates.sticker())
    assert answer.text == bot_texts.NOT_TEXT


async def test_titles_with_html_characters_are_escaped(fresh_kb, tmp_path, bot):
    path = tmp_path / "x.csv"
    path.write_text('key,kind,title\nweird,offre,"Offre <script> & cie"\n', encoding="utf-8")
    import_file(fresh_kb.engine, path)
    chat = Chat(*bot)
    [answer] = await chat.say("offre cie")
    assert "Offre &lt;script&gt; &amp; cie" in answer.text


async def test_long_answers_are_split_under_telegram_limit(chat, fresh_kb, tmp_path):
    path = tmp_path / "many.csv"
    path.write_text("key,kind,title,summary,territories,audiences\n" + "".join(
        f"long-{n},aap,Appel régional très détaillé numéro {n},{'Texte ' * 40},R28,association\n" for n in range(60)),
        encoding="utf-8")
    import_file(fresh_kb.engine, path)
    for step in ["/eligibilite", "asso", "calvados", "termine", "je ne sais pas", "non", "ok"]:
        calls = await chat.say(step)
    assert len(calls) >= 2
    assert all(len(c.text) <= 4096 for c in calls)
    assert calls[-1].text.count("<b>") == calls[-1].text.count("</b>")


def test_split_message_keeps_parts_under_the_limit():
    text = "\n\n".join(f"<b>bloc {n}</b>\n" + "x" * 300 for n in range(40))
    parts = split_message(text)
    assert len(parts) > 1 and all(len(p) <= 4096 for p in parts)
    assert "\n\n".join(parts) == text


async def test_profile_edit_one_field_and_delete_everything(chat, fresh_kb):
    [none] = await chat.say("/profil")
    assert none.text == bot_texts.PROFILE_NONE
    for step in ["/eligibilite", "mairie", "normandie", "manche", "termine", "50k", "non", "ok"]:
        await chat.say(step)
    [shown] = await chat.say("/profil")
    assert "• Type : commune" in shown.text and "• Territoire : Manche (50)" in shown.text
    await chat.press_label("Budget")
    [summary] = await chat.say("120 000")
    assert "120\u202f000\xa0€" in summary.text
    await chat.press_label("Valider")
    assert get_profile(fresh_kb.engine, chat.chat_id).budget == 120_000
    await chat.say("/supprimer")
    [done] = await chat.press_label("Oui, tout supprimer")
    assert done.text == bot_texts.DELETED
    assert get_profile(fresh_kb.engine, chat.chat_id) is None
    with Session(fresh_kb.engine) as s:
        assert s.exec(select(SavedSearch).where(SavedSearch.chat_id == chat.chat_id)).all() == []


async def test_scoped_commands_use_the_profile(chat):
    [answer] = await chat.say("/evenements")
    assert bot_texts.SCOPE_NO_PROFILE in answer.text
    for step in ["/eligibilite", "asso", "normandie", "toute la region", "termine", "je ne sais pas", "non", "ok"]:
        await chat.say(step)
    [answer] = await chat.say("/appels")
    assert "Pour votre profil (association, Normandie)" in answer.text
    assert "territoire : Normandie" in answer.text and "ouvert aux structures de type « association »" in answer.text


async def test_failures_are_logged_and_the_user_is_told(chat, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(chat.app.bot_data["services"].kb, "ask", broken)
    await chat.say("mobilier")
    assert chat.last().text == bot_texts.ERROR
    assert "failed" in caplog.text and "boom" in caplog.text

    def db_down(*args, **kwargs):
        raise sa.exc.OperationalError("SELECT 1", {}, Exception("database is locked"))

    monkeypatch.setattr(chat.app.bot_data["services"].kb, "ask", db_down)
    await chat.say("mobilier")
    assert chat.last().text == bot_texts.DATABASE_DOWN


async def test_unknown_command_and_nothing_to_cancel(chat):
    [answer] = await chat.say("/foo")
    assert answer.text.startswith(bot_texts.UNKNOWN_COMMAND) and "/eligibilite" in answer.text
    [answer] = await chat.say("/annuler")
    assert answer.text == bot_texts.NOTHING_TO_CANCEL
    [answer] = await chat.say("🎉🎉🎉")
    assert "Posez-moi une question" in answer.text


async def test_a_call_telegram_refuses_is_logged_and_the_user_told(chat, caplog):
    chat.api.fail("sendMessage", 400, "Bad Request: can't parse entities: unsupported start tag")
    await chat.say("mobilier")
    assert chat.last().text == bot_texts.ERROR
    assert "update 1 failed" in caplog.text and "Can't parse entities" in caplog.text
