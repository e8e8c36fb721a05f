"""/eligibilite: the guided profile (type, region, department, themes, budget, ESUS), then the verdicts.

One small callback per step; each step accepts its buttons or a typed answer, can go back, and /annuler leaves.
The draft lives in user_data (persisted), so a restart resumes at the same step; the profile is saved on confirm.
"""
from __future__ import annotations

import asyncio
import contextlib
import warnings

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (CallbackQueryHandler, CommandHandler, ConversationHandler, ContextTypes, MessageHandler,
                          TypeHandler, filters)
from telegram.error import TelegramError
from telegram.warnings import PTBUserWarning

from handlers import texts
from handlers.common import edit_or_reply, reply, services
from knowledge import formatting as fmt
from knowledge import taxonomy
from knowledge.eligibility import Verdict
from knowledge.ingest import MAX_AMOUNT
from knowledge.models import Organisation
from knowledge.profiles import PROFILE_FIELDS, get_profile, save_profile
from knowledge.query import parse_amount, resolve_audience, resolve_department, resolve_region, resolve_themes
from knowledge.render import assessments_text
from knowledge.texts import plural
from knowledge.text import fold

TYPE, REGION, DEPARTMENT, THEMES, BUDGET, ESUS, CONFIRM, FIX = range(8)
PREVIOUS = {REGION: TYPE, DEPARTMENT: REGION, THEMES: DEPARTMENT, BUDGET: THEMES, ESUS: BUDGET, CONFIRM: ESUS}
DRAFT = "draft"
SCREEN = "screen"          # user_data: the message showing the current step

TYPE_CHOICES = ["association", "fondation", "fonds_dotation", "mutuelle", "scop", "scic", "cae", "cooperative_autre",
                "ei", "etti", "aci", "ai", "eiti", "entreprise_esus", "entreprise_ess", "entreprise", "commune",
                "epci", "departement", "region", "etablissement_public", "autre"]
OVERSEAS = ["01", "02", "03", "04", "06"]
BUDGET_CHOICES = [5_000, 20_000, 50_000, 100_000, 500_000]
UNKNOWN_WORDS = {"je ne sais pas", "ne sais pas", "sais pas", "jsp", "inconnu", "aucune idee", "?", "nsp", "passer"}
YES_WORDS = {"oui", "o", "yes", "ouais", "bien sur", "oui nous l avons"}
NO_WORDS = {"non", "n", "no", "pas encore", "nan"}
DONE_WORDS = {"termine", "fini", "ok", "c est tout", "valider", "suivant", "aucun", "rien"}

# CallbackQueryHandler in a per-chat conversation is what we want; PTB warns about per_message tracking.
warnings.filterwarnings("ignore", message=".*per_message.*", category=PTBUserWarning)


def _short(label: str) -> str:
    return label.split(" (")[0]


def _capital(label: str) -> str:
    return label[:1].upper() + label[1:]


def _grid(buttons: list[InlineKeyboardButton], columns: int = 2) -> list[list[InlineKeyboardButton]]:
    return [buttons[i:i + columns] for i in range(0, len(buttons), columns)]


def _nav(back: bool = True) -> list[InlineKeyboardButton]:
    row = [InlineKeyboardButton(texts.BUTTON_BACK, callback_data="back")] if back else []
    return row + [InlineKeyboardButton(texts.BUTTON_CANCEL, callback_data="cancel")]


def _draft(context: ContextTypes.DEFAULT_TYPE) -> dict:
    return context.user_data.setdefault(DRAFT, {"themes": []})


async def _show(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str,
                keyboard: InlineKeyboardMarkup | None = None) -> None:
    """Show a step: edit the message whose button was pressed, or send anew and take the buttons off the
    previous step's message, so only the current question can be answered."""
    query = update.callback_query
    if query is not None and query.message is not None:
        await edit_or_reply(update, context, text, keyboard)
        context.user_data[SCREEN] = query.message.message_id
        return
    previous = context.user_data.get(SCREEN)
    message = await reply(update, context, text, keyboard)
    context.user_data[SCREEN] = message.message_id
    if previous != message.message_id:
        await _clear(update, context, previous)


async def _clear(update: Update, context: ContextTypes.DEFAULT_TYPE, message_id: int | None) -> None:
    """Take the buttons off a step's message (the conversation has moved on)."""
    if message_id:
        with contextlib.suppress(TelegramError):      # too old, or already gone: nothing to clear
            await context.bot.edit_message_reply_markup(update.effective_chat.id, message_id, reply_markup=None)


def _typed(update: Update) -> str:
    return fold(update.effective_message.text or "").strip(" .!")


async def _pressed(update: Update) -> str | None:
    """The value of the pressed button ("t:scop" → "scop"), or None when the user typed instead."""
    query = update.callback_query
    if query is None:
        return None
    await query.answer()
    return query.data.split(":", 1)[1] if ":" in query.data else query.data


# --- the questions --------------------------------------------------------------------------------------------------

async def ask_type(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    buttons = [InlineKeyboardButton(_capital(_short(taxonomy.AUDIENCES[c].label)), callback_data=f"t:{c}")
               for c in TYPE_CHOICES]
    await _show(update, context, texts.ASK_TYPE, InlineKeyboardMarkup(_grid(buttons) + [_nav(back=False)]))
    return TYPE


async def ask_region(update: Update, context: ContextTypes.DEFAULT_TYPE, overseas: bool = False) -> int:
    codes = OVERSEAS if overseas else [c for c in taxonomy.REGIONS if c not in OVERSEAS]
    buttons = [InlineKeyboardButton(taxonomy.REGIONS[c].name, callback_data=f"r:{c}") for c in codes]
    if not overseas:
        buttons.append(InlineKeyboardButton(texts.BUTTON_OVERSEAS, callback_data="r:dom"))
    await _show(update, context, texts.ASK_OVERSEAS if overseas else texts.ASK_REGION,
                        InlineKeyboardMarkup(_grid(buttons) + [_nav()]))
    return REGION


async def ask_department(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    region = _draft(context).get("region")
    departments = [d for d in taxonomy.DEPARTMENTS.values() if d.region == region]
    if len(departments) <= 1:          # overseas regions are one department each
        _draft(context)["department"] = departments[0].code if departments else None
        return await after_territory(update, context)
    buttons = [InlineKeyboardButton(f"{d.name} ({d.code})", callback_data=f"dp:{d.code}") for d in departments]
    buttons.append(InlineKeyboardButton(texts.BUTTON_SKIP_DEPARTMENT, callback_data="dp:all"))
    await _show(update, context, texts.ASK_DEPARTMENT, InlineKeyboardMarkup(_grid(buttons) + [_nav()]))
    return DEPARTMENT


async def ask_themes(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    chosen = set(_draft(context).get("themes", []))
    buttons = [InlineKeyboardButton(("✅ " if c in chosen else "") + t.label, callback_data=f"th:{c}")
               for c, t in taxonomy.THEMES.items()]
    buttons.append(InlineKeyboardButton(texts.BUTTON_DONE, callback_data="th:done"))
    await _show(update, context, texts.ASK_THEMES, InlineKeyboardMarkup(_grid(buttons) + [_nav()]))
    return THEMES


async def ask_budget(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    buttons = [InlineKeyboardButton(fmt.amount(b), callback_data=f"b:{b}") for b in BUDGET_CHOICES]
    buttons.append(InlineKeyboardButton(texts.BUTTON_UNKNOWN, callback_data="b:unknown"))
    await _show(update, context, texts.ASK_BUDGET, InlineKeyboardMarkup(_grid(buttons, 3) + [_nav()]))
    return BUDGET


async def ask_esus(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    buttons = [InlineKeyboardButton(texts.BUTTON_YES, callback_data="esus:yes"),
               InlineKeyboardButton(texts.BUTTON_NO, callback_data="esus:no"),
               InlineKeyboardButton(texts.BUTTON_UNKNOWN, callback_data="esus:unknown")]
    await _show(update, context, texts.ASK_ESUS, InlineKeyboardMarkup([buttons, _nav()]))
    return ESUS


def draft_of(profile: Organisation) -> dict:
    """A saved profile as the conversation's draft (to show it, or to correct one field)."""
    draft = {name: getattr(profile, name) for name in PROFILE_FIELDS if name != "name"}
    draft["themes"] = list(profile.themes or [])
    return draft


def draft_summary(draft: dict) -> str:
    org_type = draft.get("org_type")
    place = taxonomy.profile_place(draft.get("department"), draft.get("region"))
    territory = taxonomy.territory_label(place) if place else texts.UNKNOWN
    themes = ", ".join(taxonomy.THEMES[t].label for t in draft.get("themes", []) if t in taxonomy.THEMES)
    budget = fmt.amount(draft["budget"]) if draft.get("budget") is not None else texts.UNKNOWN
    esus = {True: texts.YES, False: texts.NO}.get(draft.get("esus"), texts.UNKNOWN)
    return "\n".join([
        texts.SUMMARY_TYPE.format(value=taxonomy.AUDIENCES[org_type].label if org_type in taxonomy.AUDIENCES
                                  else texts.UNKNOWN),
        texts.SUMMARY_TERRITORY.format(value=territory),
        texts.SUMMARY_THEMES.format(value=themes or texts.NONE_CHOSEN),
        texts.SUMMARY_BUDGET.format(value=budget),
        texts.SUMMARY_ESUS.format(value=esus),
    ])


async def ask_confirm(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    _draft(context)["editing"] = True     # from now on, a corrected step comes back here
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton(texts.BUTTON_CONFIRM, callback_data="ok"),
                                      InlineKeyboardButton(texts.BUTTON_FIX, callback_data="fix")], _nav()])
    await _show(update, context, texts.CONFIRM.format(summary=draft_summary(_draft(context))), keyboard)
    return CONFIRM


ASK = {TYPE: ask_type, REGION: ask_region, DEPARTMENT: ask_department, THEMES: ask_themes, BUDGET: ask_budget,
       ESUS: ask_esus, CONFIRM: ask_confirm}


async def next_step(update: Update, context: ContextTypes.DEFAULT_TYPE, step: int) -> int:
    """Go on to `step`, or back to the summary when the user is correcting one answer."""
    if _draft(context).get("editing"):
        return await ask_confirm(update, context)
    return await ASK[step](update, context)


async def after_territory(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    return await next_step(update, context, THEMES)


# --- entering and leaving -------------------------------------------------------------------------------------------

async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    draft: dict = {"themes": []}
    if update.callback_query:
        await update.callback_query.answer()
        item = update.callback_query.data.removeprefix("elig:start").lstrip(":")
        if item.isdigit():                  # from an item's "Éligible ?": its verdict comes first at the end
            draft["item"] = int(item)
    context.user_data[DRAFT] = draft
    return await ask_type(update, context)


async def start_fix(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """From /profil: correct one field of the saved profile, then confirm."""
    query = update.callback_query
    await query.answer()
    field = query.data.split(":", 1)[1]
    profile = await asyncio.to_thread(get_profile, services(context).kb.engine, update.effective_chat.id)
    if profile is None or field not in FIX_STEPS:
        await reply(update, context, texts.PROFILE_NONE)
        return ConversationHandler.END
    context.user_data[DRAFT] = draft_of(profile) | {"editing": True}
    return await ASK[FIX_STEPS[field]](update, context)


async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    if update.callback_query:
        await update.callback_query.answer()
    context.user_data.pop(DRAFT, None)
    await _show(update, context, texts.CANCELLED)     # the question's buttons go with it
    context.user_data.pop(SCREEN, None)
    return ConversationHandler.END


async def timeout(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    context.user_data.pop(DRAFT, None)
    if update is not None and update.effective_chat is not None:
        await context.bot.send_message(update.effective_chat.id, texts.TIMEOUT)


def _back_from(state: int):
    async def go_back(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        await update.callback_query.answer()
        if state == CONFIRM:       # walking back through the steps: each answer goes on to the next again
            _draft(context).pop("editing", None)
        previous = PREVIOUS[state]
        region = _draft(context).get("region")
        if previous == DEPARTMENT and sum(d.region == region for d in taxonomy.DEPARTMENTS.values()) <= 1:
            previous = REGION      # overseas: the department step skips itself
        return await ASK[previous](update, context)
    return go_back


# --- answers, by button or typed ------------------------------------------------------------------------------------

async def on_type(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    code = await _pressed(update) or resolve_audience(update.effective_message.text or "")
    if code not in taxonomy.AUDIENCES:
        await reply(update, context, texts.NOT_UNDERSTOOD_TYPE)
        return await ask_type(update, context)
    _draft(context)["org_type"] = code
    return await next_step(update, context, REGION)


async def on_region(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    code = await _pressed(update)
    if code == "dom":
        return await ask_region(update, context, overseas=True)
    if code is None:
        text = update.effective_message.text or ""
        code = resolve_region(text)
        department = resolve_department(text)
        if code is None and department:          # "calvados" typed for the region: take both
            code = taxonomy.DEPARTMENTS[department].region
            _draft(context).update(region=code, department=department)
            return await after_territory(update, context)
    if code not in taxonomy.REGIONS:
        await reply(update, context, texts.NOT_UNDERSTOOD_REGION)
        return await ask_region(update, context)
    _draft(context).update(region=code, department=None)
    return await ask_department(update, context)


async def on_department(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    region = _draft(context).get("region")
    code = await _pressed(update)
    if code == "all" or code is None and _typed(update) in {"toute la region", "tous", "toute", "aucun",
                                                            "region"} | UNKNOWN_WORDS:
        _draft(context)["department"] = None
        return await after_territory(update, context)
    if code is None:
        code = resolve_department(update.effective_message.text or "")
    department = taxonomy.DEPARTMENTS.get(code or "")
    if department is None or department.region != region:
        await reply(update, context, texts.NOT_UNDERSTOOD_DEPARTMENT)
        return await ask_department(update, context)
    _draft(context)["department"] = code
    return await after_territory(update, context)


async def on_theme(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    draft = _draft(context)
    code = await _pressed(update)
    if code is not None:
        if code == "done":
            return await next_step(update, context, BUDGET)
        if code not in taxonomy.THEMES:
            await reply(update, context, texts.STALE_BUTTON)
            return THEMES
        draft["themes"] = [t for t in draft["themes"] if t != code] if code in draft["themes"] else \
            draft["themes"] + [code]
        return await ask_themes(update, context)
    if _typed(update) in DONE_WORDS:
        return await next_step(update, context, BUDGET)
    found = resolve_themes(update.effective_message.text or "")
    if not found:
        await reply(update, context, texts.NOT_UNDERSTOOD_THEMES)
        return await ask_themes(update, context)
    draft["themes"] = draft["themes"] + [t for t in found if t not in draft["themes"]]
    return await ask_themes(update, context)


async def on_budget(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    choice = await _pressed(update)
    if choice is not None:
        if choice == "unknown":
            amount = None
        elif choice.isdigit() and int(choice) in BUDGET_CHOICES:
            amount = int(choice)
        else:
            await reply(update, context, texts.STALE_BUTTON)
            return BUDGET
    else:
        if _typed(update) in UNKNOWN_WORDS:
            amount = None
        else:
            text = update.effective_message.text or ""
            if text.strip().startswith("-"):
                await reply(update, context, texts.BUDGET_OUT_OF_RANGE)
                return BUDGET
            amount = parse_amount(text)
            if amount is None:
                await reply(update, context, texts.NOT_UNDERSTOOD_BUDGET)
                return BUDGET
            if not 1 <= amount <= MAX_AMOUNT:
                await reply(update, context, texts.BUDGET_OUT_OF_RANGE)
                return BUDGET
    _draft(context)["budget"] = amount
    return await next_step(update, context, ESUS)


async def on_esus(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    answer = await _pressed(update)
    if answer is None:
        typed = _typed(update)
        answer = "yes" if typed in YES_WORDS else "no" if typed in NO_WORDS else \
            "unknown" if typed in UNKNOWN_WORDS else None
    if answer not in {"yes", "no", "unknown"}:
        await reply(update, context, texts.NOT_UNDERSTOOD_YES_NO)
        return ESUS
    _draft(context)["esus"] = {"yes": True, "no": False}.get(answer)
    return await ask_confirm(update, context)


async def on_confirm(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    pressed = await _pressed(update)
    if pressed == "fix":
        return await ask_fix(update, context)
    await _clear(update, context, context.user_data.pop(SCREEN, None))   # the summary's buttons are spent
    if pressed is None and _typed(update) not in YES_WORDS | DONE_WORDS:
        await reply(update, context, texts.USE_BUTTONS)
        return await ask_confirm(update, context)
    draft = context.user_data.pop(DRAFT, {})
    s = services(context)
    profile = await asyncio.to_thread(save_profile, s.kb.engine, update.effective_chat.id,
                                      {k: v for k, v in draft.items() if k not in {"editing", "item"}}, s.clock())
    await show_verdicts(update, context, profile, draft.get("item"))
    return ConversationHandler.END


async def show_verdicts(update: Update, context: ContextTypes.DEFAULT_TYPE, profile: Organisation,
                        item_id: int | None = None) -> None:
    s = services(context)
    now = s.clock()
    results = await asyncio.to_thread(s.kb.eligibility, profile, now)
    counts = {v: sum(1 for r in results if r.verdict is v) for v in Verdict}
    summary = texts.VERDICT_SUMMARY.format(
        eligible=plural(counts[Verdict.ELIGIBLE], "éligible", "éligibles"), to_check=counts[Verdict.TO_CHECK],
        not_eligible=plural(counts[Verdict.NOT_ELIGIBLE], "non éligible", "non éligibles"))
    item = next((r for r in results if r.opportunity.id == item_id), None)
    if item is not None:        # the user came from an item's "Éligible ?" button: that one first
        await reply(update, context, f"{texts.SAVED}\n\n{texts.ITEM_VERDICT_FIRST}\n\n" +
                    assessments_text([item], profile, now, html=True))
    details = assessments_text(results, profile, now, html=True, compact=True)
    opening = texts.ALL_VERDICTS if item else f"{texts.SAVED} {texts.ALL_VERDICTS}"
    await reply(update, context, f"{opening}\n{summary}\n\n{details}")


FIX_STEPS = {"type": TYPE, "region": REGION, "themes": THEMES, "budget": BUDGET, "esus": ESUS}


async def ask_fix(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    buttons = [InlineKeyboardButton(label, callback_data=f"fix:{field}") for field, label in texts.FIX_FIELDS.items()]
    await _show(update, context, texts.ASK_FIX, InlineKeyboardMarkup(_grid(buttons) + [_nav(back=False)]))
    return FIX


async def on_fix(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    await update.callback_query.answer()
    field = update.callback_query.data.split(":", 1)[1]
    if field not in FIX_STEPS:
        return await ask_fix(update, context)
    return await ASK[FIX_STEPS[field]](update, context)


async def on_unexpected_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Text at the summary or the correction menu: the buttons are needed there."""
    await reply(update, context, texts.USE_BUTTONS)


def conversation(extra_fallbacks: list, timeout_seconds: float) -> ConversationHandler:
    text = filters.TEXT & ~filters.COMMAND
    return ConversationHandler(
        entry_points=[
            CommandHandler("eligibilite", start),
            CommandHandler("start", start, filters=filters.Regex(r"^/start\s+eligibilite")),
            CallbackQueryHandler(start, pattern=r"^(menu:elig|elig:start(:\d{1,10})?)$"),
            CallbackQueryHandler(start_fix, pattern=r"^pfix:\w+$"),
        ],
        states={
            TYPE: [CallbackQueryHandler(on_type, pattern=r"^t:\w+$"), MessageHandler(text, on_type)],
            REGION: [CallbackQueryHandler(on_region, pattern=r"^r:\w+$"),
                     CallbackQueryHandler(_back_from(REGION), pattern="^back$"), MessageHandler(text, on_region)],
            DEPARTMENT: [CallbackQueryHandler(on_department, pattern=r"^dp:\w+$"),
                         CallbackQueryHandler(_back_from(DEPARTMENT), pattern="^back$"),
                         MessageHandler(text, on_department)],
            THEMES: [CallbackQueryHandler(on_theme, pattern=r"^th:\w+$"),
                     CallbackQueryHandler(_back_from(THEMES), pattern="^back$"), MessageHandler(text, on_theme)],
            BUDGET: [CallbackQueryHandler(on_budget, pattern=r"^b:\w+$"),
                     CallbackQueryHandler(_back_from(BUDGET), pattern="^back$"), MessageHandler(text, on_budget)],
            ESUS: [CallbackQueryHandler(on_esus, pattern=r"^esus:\w+$"),
                   CallbackQueryHandler(_back_from(ESUS), pattern="^back$"), MessageHandler(text, on_esus)],
            CONFIRM: [CallbackQueryHandler(on_confirm, pattern=r"^(ok|fix)$"),
                      CallbackQueryHandler(_back_from(CONFIRM), pattern="^back$"), MessageHandler(text, on_confirm)],
            FIX: [CallbackQueryHandler(on_fix, pattern=r"^fix:\w+$"), MessageHandler(text, on_unexpected_text)],
            ConversationHandler.TIMEOUT: [TypeHandler(Update, timeout)],
        },
        fallbacks=[CommandHandler("annuler", cancel), CallbackQueryHandler(cancel, pattern="^cancel$"),
                   *extra_fallbacks],
        name="eligibility",
        persistent=True,
        conversation_timeout=timeout_seconds,
        allow_reentry=True,
    )
