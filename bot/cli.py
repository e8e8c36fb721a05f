"""`ess-bot` command line: run the bot or its console chat, ask questions, check eligibility, manage the data.

User mistakes (bad option, unknown id, unreadable file) print one line and exit with code 2, never a traceback.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Sequence
from urllib.parse import urlsplit

import sqlalchemy as sa

from bot import console
from bot.config import get_settings
from knowledge import taxonomy
from knowledge.db import make_engine, upgrade
from knowledge.ingest import MAX_AMOUNT, import_file
from knowledge.models import Opportunity, Organisation, utcnow
from knowledge.query import parse_amount, resolve_department, resolve_region
from knowledge.delivery import get_subscription
from knowledge.query import resolve_place
from knowledge.sources import KINDS
from knowledge.sync import add_source, correct, list_sources, sync_all
from knowledge.digest import build_digest
from knowledge.profiles import get_profile
from knowledge.render import answer_text, assessments_text, card_text, digest_text
from knowledge.service import KnowledgeBase
from knowledge.timeutil import PARIS, today_at_noon


class UsageError(Exception):
    """A mistake of the person typing the command: reported in one line, exit code 2."""


def _today(value: str) -> datetime:
    try:
        return today_at_noon(date.fromisoformat(value))
    except ValueError:
        raise argparse.ArgumentTypeError(f"date invalide « {value} » (format AAAA-MM-JJ) / invalid date")


def _limit(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 100:
        raise argparse.ArgumentTypeError(f"« {value} » : un nombre entre 1 et 100 / a number from 1 to 100")
    return int(value)


def _budget(value: str) -> int:
    amount = parse_amount(value)
    if amount is None or not 1 <= amount <= MAX_AMOUNT:
        raise argparse.ArgumentTypeError(f"budget invalide « {value} » (ex. 30000, 30k, « 30 000 € ») / invalid budget")
    return amount


def _org_type(value: str) -> str:
    if value not in taxonomy.AUDIENCES:
        raise argparse.ArgumentTypeError(
            f"type inconnu « {value} » / unknown type; choix : {', '.join(taxonomy.AUDIENCES)}")
    return value


def _territory(value: str) -> str:
    code = "FR" if value.strip().upper() in {"FR", "FRANCE", "NATIONAL"} else resolve_place(value)
    if code is None:
        raise argparse.ArgumentTypeError(f"territoire inconnu « {value} » / unknown territory")
    return code


def _region(value: str) -> str:
    code = resolve_region(value)
    if code is None:
        raise argparse.ArgumentTypeError(f"région inconnue « {value} » (code INSEE ou nom) / unknown region")
    return code


def _department(value: str) -> str:
    code = resolve_department(value)
    if code is None:
        raise argparse.ArgumentTypeError(f"département inconnu « {value} » (numéro ou nom) / unknown department")
    return code


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="ess-bot", description="Assistant des opportunités de l'ESS.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ask = sub.add_parser("ask", help="poser une question / ask a question")
    ask.add_argument("question")
    ask.add_argument("--today", type=_today, help="date du jour simulée (AAAA-MM-JJ)")
    ask.add_argument("--json", action="store_true")
    ask.add_argument("--limit", type=_limit, default=5)

    el = sub.add_parser("eligibility", help="éligibilité d'une structure / eligibility of an organisation")
    el.add_argument("--type", type=_org_type, required=True, dest="org_type")
    el.add_argument("--region", type=_region)
    el.add_argument("--department", type=_department)
    el.add_argument("--budget", type=_budget)
    el.add_argument("--esus", action="store_true")
    el.add_argument("--today", type=_today)
    el.add_argument("--json", action="store_true")

    kb = sub.add_parser("kb", help="base de connaissances / knowledge base")
    kb_sub = kb.add_subparsers(dest="kb_command", required=True, metavar="ACTION")
    kb_list = kb_sub.add_parser("list")
    kb_list.add_argument("--json", action="store_true")
    kb_show = kb_sub.add_parser("show")
    kb_show.add_argument("id", type=int)
    kb_show.add_argument("--json", action="store_true")
    kb_import = kb_sub.add_parser("import")
    kb_import.add_argument("file", type=Path)

    sub.add_parser("run", help="lancer le bot Telegram (TELEGRAM_BOT_TOKEN) / run the Telegram bot")
    sub.add_parser("console", help="discuter avec le bot dans le terminal, sans jeton / chat in the terminal")

    digest = sub.add_parser("digest", help="récapitulatifs hebdomadaires / weekly digests")
    digest_sub = digest.add_subparsers(dest="digest_command", required=True, metavar="ACTION")
    preview = digest_sub.add_parser("preview", help="le prochain récapitulatif d'un chat / a chat's next digest")
    preview.add_argument("--chat", type=int, required=True)
    preview.add_argument("--today", type=_today)
    digest_sub.add_parser("send-due", help="envoyer ce qui est dû (cron) / send what is due")

    sources = sub.add_parser("sources", help="sources d'opportunités / opportunity sources")
    sources_sub = sources.add_subparsers(dest="sources_command", required=True, metavar="ACTION")
    add = sources_sub.add_parser("add", help="ajouter une source / add a source")
    add.add_argument("url")
    add.add_argument("--kind", choices=KINDS)
    add.add_argument("--name")
    add.add_argument("--territory", type=_territory, help="territoire par défaut (R28, D76, FR, normandie…)")
    sources_sub.add_parser("list")
    sync_parser = sources_sub.add_parser("sync", help="lire les sources maintenant / sync now")
    sync_parser.add_argument("--dry-run", action="store_true")

    kb_set = kb_sub.add_parser("set", help="corriger un champ à la main / correct a field by hand")
    kb_set.add_argument("id", type=int)
    kb_set.add_argument("field")
    kb_set.add_argument("value")

    db = sub.add_parser("db", help="schéma de la base / database schema")
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    db_sub.add_parser("upgrade")
    return p


def opportunity_json(o: Opportunity) -> dict:
    data = o.model_dump()
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in data.items()}


def _print_json(data: object) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def cmd_ask(args, kb: KnowledgeBase) -> int:
    answer = kb.ask(args.question, args.today or utcnow(), limit=args.limit)
    if args.json:
        _print_json(answer.to_json())
    else:
        print(answer_text(answer, show_ids=True))
    return 0


def cmd_eligibility(args, kb: KnowledgeBase) -> int:
    region = args.region
    if args.department:
        dep_region = taxonomy.DEPARTMENTS[args.department].region
        if region and region != dep_region:
            raise UsageError(f"le département {args.department} n'est pas dans la région {region} / "
                             "department outside region")
        region = dep_region
    org = Organisation(org_type=args.org_type, region=region, department=args.department, budget=args.budget,
                       esus=True if args.esus else None)
    now = args.today or utcnow()
    results = kb.eligibility(org, now)
    if args.json:
        _print_json({"results": [{"id": a.opportunity.id, "title": a.opportunity.title, "verdict": a.verdict.value,
                                  "reasons": a.reasons} for a in results]})
    else:
        print(assessments_text(results, org, now))
    return 0


def cmd_kb(args, kb: KnowledgeBase) -> int:
    if args.kb_command == "list":
        items = kb.all()
        if args.json:
            _print_json({"items": [opportunity_json(o) for o in items]})
        else:
            for o in items:
                print(f"{o.id:>5}  {o.kind:<12} {o.title}")
        return 0
    if args.kb_command == "set":
        try:
            value = json.loads(args.value) if args.value[:1] in "[{" else \
                (None if args.value == "null" else args.value)
            row = correct(kb.engine, args.id, args.field, value)
        except LookupError:
            raise UsageError(f"aucun élément n° {args.id} / no item {args.id}")
        except ValueError as exc:
            raise UsageError(str(exc).replace("\n", " "))
        print(f"n° {row.id} : {args.field} corrigé, protégé des synchronisations / corrected, kept by syncs")
        return 0
    if args.kb_command == "show":
        o = kb.get(args.id)
        if o is None:
            raise UsageError(f"aucun élément n° {args.id} / no item {args.id}")
        if args.json:
            _print_json(opportunity_json(o))
        else:
            print(card_text(o, utcnow()))
        return 0
    try:
        report = import_file(kb.engine, args.file)
    except FileNotFoundError:
        raise UsageError(f"fichier introuvable : {args.file} / file not found")
    except (ValueError, OSError) as exc:
        raise UsageError(f"{args.file} : {exc}")
    print(f"{args.file} : {report.summary()}")
    for e in report.errors:
        print(f"  ligne {e.line} : {e.reason}", file=sys.stderr)
    return 0 if not report.errors else 1


def cmd_sources(args, kb: KnowledgeBase, settings) -> int:
    if args.sources_command == "add":
        try:
            source = add_source(kb.engine, args.url, args.kind, name=args.name, default_territory=args.territory)
        except ValueError as exc:
            raise UsageError(str(exc))
        print(f"source n° {source.id} ({source.kind}) : {source.url}")
        return 0
    if args.sources_command == "list":
        for source in list_sources(kb.engine):
            when = source.last_sync_at.astimezone(PARIS).strftime("%Y-%m-%d %H:%M") if source.last_sync_at \
                else "jamais"
            status = f"{source.last_status or '-'}{' : ' + source.last_error if source.last_error else ''}"
            print(f"{source.id:>3}  {source.kind:<18} {source.url}\n     dernière lecture : {when} ({status}), "
                  f"{source.last_count} élément(s)")
        return 0
    reports = sync_all(kb.engine, utcnow(), aides_territoires_token=settings.aides_territoires_token,
                       timeout=settings.source_timeout_seconds, dry_run=args.dry_run)
    for report in reports:
        print(report.summary())
    if not reports:
        print("aucune source : ajoutez-en avec `ess-bot sources add URL` / no source yet")
    return 1 if any(r.error for r in reports) else 0


def cmd_digest(args, kb: KnowledgeBase, settings) -> int:
    if args.digest_command == "preview":
        now = args.today or utcnow()
        subscription = get_subscription(kb.engine, args.chat)
        if subscription is None:
            raise UsageError(f"le chat {args.chat} n'est pas abonné / chat {args.chat} has no subscription")
        digest = build_digest(kb.all(), get_profile(kb.engine, args.chat), subscription, now)
        print(digest_text(digest))
        return 0
    from bot.app import build_application
    from bot.scheduler import Scheduler

    async def send_due() -> str:
        app = build_application(settings.model_copy(update={"digest_tick_seconds": 0}), kb, rate_limit=True)
        async with app:
            report = await Scheduler(kb, app.bot, utcnow).tick()
        return report.summary()

    print(asyncio.run(send_due()))
    return 0


def run(settings, kb: KnowledgeBase) -> int:
    """Serve Telegram: polling by default, a webhook (secret-checked) when WEBHOOK_URL is set."""
    from telegram import Update

    from bot.app import build_application

    app = build_application(settings, kb, rate_limit=True)
    kb.index()                                    # build the search index before the first question
    if settings.webhook_url:
        path = urlsplit(settings.webhook_url).path.lstrip("/")
        app.run_webhook(listen=settings.webhook_listen, port=settings.webhook_port, url_path=path,
                        webhook_url=settings.webhook_url, secret_token=settings.webhook_secret,
                        allowed_updates=Update.ALL_TYPES)
    else:
        app.run_polling(allowed_updates=Update.ALL_TYPES)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    settings = get_settings()
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    try:
        if args.command == "db":
            upgrade(make_engine(settings.database_url))
            print("schéma à jour / schema up to date")
            return 0
        needs_token = args.command == "run" or (args.command == "digest" and args.digest_command == "send-due")
        if needs_token and settings.token_problem():
            raise UsageError(settings.token_problem())
        kb = KnowledgeBase.open(settings.database_url)
        if args.command == "console":
            asyncio.run(console.chat(settings, kb))
            return 0
        if args.command == "run":
            return run(settings, kb)
        if args.command == "digest":
            return cmd_digest(args, kb, settings)
        if args.command == "sources":
            return cmd_sources(args, kb, settings)
        handler = {"ask": cmd_ask, "eligibility": cmd_eligibility, "kb": cmd_kb}[args.command]
        return handler(args, kb)
    except UsageError as exc:
        print(f"ess-bot: erreur : {exc}", file=sys.stderr)
        return 2
    except sa.exc.OperationalError as exc:
        print(f"ess-bot: base de données inaccessible / database unavailable ({settings.database_url}): "
              f"{exc.orig}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
