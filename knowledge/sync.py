"""Keeping the base current from its sources, without duplicates and without undoing curators' work.

- upsert by (source, item id); the same call published by two sources is merged (normalised title, organiser and
  deadline, compared with rapidfuzz), keeping both links;
- a field corrected by hand (`manual_fields`) is never overwritten: the change at the source is reported instead;
- items gone from a complete listing are kept (they may still be open) and marked `removed_at`;
- one failing source is reported and skipped; the others go on.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import httpx
import sqlalchemy as sa
from pydantic import ValidationError
from rapidfuzz import fuzz
from sqlmodel import Session, select

from knowledge import texts
from knowledge.ingest import OpportunityRecord, explain, slugify
from knowledge.models import Opportunity, Source, utcnow
from knowledge.sources import KINDS, Incoming, SourceError, guess_kind, read
from knowledge.text import fold, title_key

log = logging.getLogger(__name__)
SAME_TITLE = 90            # rapidfuzz token_set_ratio between normalised titles of one call seen twice
COMPLETE_LISTINGS = {"wordpress", "aides-territoires", "page"}   # a feed only shows its latest posts


@dataclass
class SyncReport:
    source: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    merged: int = 0
    removed: int = 0
    kept_manual: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)
    error: str | None = None

    def summary(self) -> str:
        if self.error:
            return texts.SYNC_ERROR.format(source=self.source, error=self.error)
        line = texts.SYNC_DONE.format(source=self.source, created=self.created, updated=self.updated,
                                      unchanged=self.unchanged, merged=self.merged, removed=self.removed)
        line += "".join(texts.SYNC_KEPT.format(field=kept) for kept in self.kept_manual)
        return line + "".join(texts.SYNC_INVALID.format(item=bad) for bad in self.invalid)


def add_source(engine: sa.Engine, url: str, kind: str | None = None, *, name: str | None = None,
               default_territory: str | None = None) -> Source:
    kind = kind or guess_kind(url)
    if kind not in KINDS:
        raise ValueError(f"type de source inconnu « {kind} » ({', '.join(KINDS)})")
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"adresse invalide « {url} » (http:// ou https://)")
    with Session(engine, expire_on_commit=False) as s:
        existing = s.exec(select(Source).where(Source.url == url)).first()
        source = existing or Source(url=url, kind=kind)
        source.kind, source.name = kind, name or source.name or urlsplit(url).netloc
        source.default_territory = default_territory or source.default_territory
        s.add(source)
        s.commit()
        return source


def list_sources(engine: sa.Engine) -> list[Source]:
    with Session(engine, expire_on_commit=False) as s:
        return list(s.exec(select(Source).order_by(Source.id)).all())


def _values(source: Source, incoming: Incoming) -> dict:
    extracted = incoming.extracted
    values = extracted.record(source_name=source.name, source_url=incoming.link, published_at=incoming.published)
    values.update(incoming.fields)
    values["key"] = f"{slugify(source.name or 'source')}-{slugify(incoming.item_id)}"[:200]
    return values


def _near_duplicate(s: Session, source: Source, record: OpportunityRecord) -> Opportunity | None:
    """The same call already known from another source or a curated file."""
    key = title_key(record.title)
    query = select(Opportunity).where(sa.or_(Opportunity.source_id.is_(None), Opportunity.source_id != source.id))
    if record.deadline is not None:
        query = query.where(Opportunity.deadline.between(record.deadline - timedelta(days=1),
                                                         record.deadline + timedelta(days=1)))
    else:
        query = query.where(Opportunity.fingerprint == key)
    for candidate in s.exec(query.limit(200)):
        same_title = fuzz.token_set_ratio(title_key(candidate.title), key) >= SAME_TITLE
        same_organiser = not (record.organiser and candidate.organiser) or \
            fuzz.token_set_ratio(fold(record.organiser), fold(candidate.organiser)) >= 80
        if same_title and same_organiser:
            return candidate
    return None


def _apply(row: Opportunity, values: dict, now: datetime, report: SyncReport) -> bool:
    """Copy the source's values onto a known item, except what a curator corrected. True when changed."""
    changed = False
    for name, value in values.items():
        if name in {"key", "evidence"} or getattr(row, name) == value:
            continue
        if name in (row.manual_fields or []):
            report.kept_manual.append(f"{row.key}.{name} (source : {str(value)[:60]!r})")
            continue
        setattr(row, name, value)
        changed = True
    row.last_seen_at, row.removed_at = now, None
    return changed


def sync_source(engine: sa.Engine, source: Source, client: httpx.Client, now: datetime, *,
                aides_territoires_token: str | None = None, dry_run: bool = False) -> SyncReport:
    report = SyncReport(source.name or source.url)
    try:
        incoming = read(source.kind, client, source.url, default_territory=source.default_territory,
                        aides_territoires_token=aides_territoires_token)
    except Exception as exc:                      # noqa: BLE001 - one source's failure never stops the others
        log.warning("source %s skipped: %s", source.url, exc, exc_info=not isinstance(exc, SourceError))
        report.error = str(exc) if isinstance(exc, SourceError) else \
            texts.SOURCE_UNREADABLE.format(error=type(exc).__name__)
        _record_status(engine, source, now, report, dry_run)
        return report
    seen: set[str] = set()
    with Session(engine) as s:
        for item in incoming:
            seen.add(item.item_id[:300])
            try:
                record = OpportunityRecord.model_validate(_values(source, item))
            except ValidationError as exc:
                report.invalid.append(f"{item.extracted.title[:60]} ({explain(exc)})")
                continue
            values = record.model_dump(exclude={"key"})
            values.update(source_id=source.id, source_item_id=item.item_id[:300], fingerprint=title_key(record.title),
                          evidence={name: fact.sentence for name, fact in item.extracted.facts.items()})
            row = s.exec(select(Opportunity).where(Opportunity.source_id == source.id,
                                                   Opportunity.source_item_id == item.item_id[:300])).first()
            if row is not None:
                changed = _apply(row, values, now, report)
                report.updated += changed
                report.unchanged += not changed
                s.add(row)
                continue
            twin = _near_duplicate(s, source, record)
            if twin is not None:
                link = {"label": source.name, "url": item.link}
                if item.link and link not in (twin.links or []):
                    twin.links = [*(twin.links or []), link]
                twin.last_seen_at = now
                s.add(twin)
                report.merged += 1
                continue
            s.add(Opportunity(key=record.key, **values, first_seen_at=now, last_seen_at=now))
            report.created += 1
        if source.kind in COMPLETE_LISTINGS:
            gone = s.exec(select(Opportunity).where(Opportunity.source_id == source.id,
                                                    Opportunity.removed_at.is_(None))).all()
            for row in gone:
                if row.source_item_id not in seen:
                    row.removed_at = now
                    s.add(row)
                    report.removed += 1
        if dry_run:
            s.rollback()
        else:
            s.commit()
    _record_status(engine, source, now, report, dry_run, count=len(incoming))
    return report


def _record_status(engine: sa.Engine, source: Source, now: datetime, report: SyncReport, dry_run: bool,
                   count: int = 0) -> None:
    if dry_run:
        return
    with Session(engine) as s:
        row = s.get(Source, source.id)
        row.last_sync_at, row.last_status, row.last_error = now, "error" if report.error else "ok", report.error
        row.last_count = count if not report.error else row.last_count
        s.add(row)
        s.commit()


def sync_all(engine: sa.Engine, now: datetime, *, aides_territoires_token: str | None = None,
             timeout: float = 20.0, dry_run: bool = False) -> list[SyncReport]:
    with httpx.Client(timeout=timeout, follow_redirects=True) as client:
        return [sync_source(engine, source, client, now, aides_territoires_token=aides_territoires_token,
                            dry_run=dry_run)
                for source in list_sources(engine) if source.active]


def correct(engine: sa.Engine, opportunity_id: int, field_name: str, value) -> Opportunity:
    """A curator's correction: set the field and protect it from later syncs."""
    if field_name not in OpportunityRecord.model_fields or field_name == "key":
        raise ValueError(f"champ inconnu « {field_name} »")
    with Session(engine, expire_on_commit=False) as s:
        row = s.get(Opportunity, opportunity_id)
        if row is None:
            raise LookupError(opportunity_id)
        try:
            data = OpportunityRecord.model_validate({**row.model_dump(include=set(OpportunityRecord.model_fields)),
                                                     field_name: value})
        except ValidationError as exc:
            raise ValueError(explain(exc)) from exc
        setattr(row, field_name, getattr(data, field_name))
        row.manual_fields = sorted({*(row.manual_fields or []), field_name})
        row.last_seen_at = utcnow()                 # the bot's index notices the change
        s.add(row)
        s.commit()
        return row
