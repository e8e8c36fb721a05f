"""Loading curated opportunity files (YAML, JSON, CSV) into the knowledge base.

Each record is validated on its own: a bad row is reported with its line and reason and skipped, the others load.
Records are upserted by their `key` (or, without one, a key derived from the source URL and title).
"""
from __future__ import annotations

import csv
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable

import sqlalchemy as sa
import yaml
from pydantic import BaseModel, ValidationError, field_validator, model_validator
from sqlmodel import Session, select

from knowledge import taxonomy
from knowledge.models import Opportunity, utcnow
from knowledge.text import title_key
from knowledge.timeutil import parse_local

LIST_FIELDS = ("audiences", "territories", "themes")
MAX_AMOUNT = 2_000_000_000          # euros; the database's integer columns stop at 2 147 483 647
JSON_FIELDS = ("contacts", "links")


def slugify(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:200]


def _territory_code(value: str) -> str:
    """Accepts FR/national, R28, D76, or a region or department name."""
    v = value.strip()
    if v.upper() in {"FR", "FRANCE", "NATIONAL"}:
        return taxonomy.NATIONAL
    if re.fullmatch(r"R\d{2}", v.upper()) and v[1:] in taxonomy.REGIONS:
        return v.upper()
    if re.fullmatch(r"D(\d{2,3}|2[AB])", v.upper()) and v[1:].upper() in taxonomy.DEPARTMENTS:
        return "D" + v[1:].upper()
    slug = slugify(v)
    for r in taxonomy.REGIONS.values():
        if slugify(r.name) == slug:
            return "R" + r.code
    for d in taxonomy.DEPARTMENTS.values():
        if slugify(d.name) == slug:
            return "D" + d.code
    raise ValueError(f"territoire inconnu « {value} » (attendu FR, R28, D76 ou un nom de région/département)")


def _is_url(value: str | None) -> bool:
    return value is None or bool(re.match(r"https?://[^\s]+$", value))


class OpportunityRecord(BaseModel):
    """One opportunity as written in a curated file, before it becomes a database row."""

    key: str | None = None
    kind: str
    title: str
    summary: str = ""
    description: str = ""
    organiser: str | None = None
    source_name: str | None = None
    audiences: list[str] = []
    territories: list[str] = []
    themes: list[str] = []
    amount_min: int | None = None
    amount_max: int | None = None
    amount_basis: str | None = None
    amount_total: int | None = None
    amount_note: str | None = None
    requires_esus: bool = False
    opens_at: datetime | None = None
    deadline: datetime | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    recurrence: str = taxonomy.Recurrence.ONE_OFF
    application_url: str | None = None
    registration_url: str | None = None
    how_to_apply: str | None = None
    contacts: list[dict] = []
    links: list[dict] = []
    source_url: str | None = None
    published_at: datetime | None = None

    @field_validator("opens_at", "starts_at", "published_at", mode="before")
    @classmethod
    def _start_of_day(cls, v: Any) -> datetime | None:
        return parse_local(v)

    @field_validator("deadline", "ends_at", mode="before")
    @classmethod
    def _end_of_day(cls, v: Any) -> datetime | None:
        return parse_local(v, end_of_day=True)

    @field_validator("kind")
    @classmethod
    def _kind(cls, v: str) -> str:
        try:
            return taxonomy.Kind(v.strip().lower()).value
        except ValueError:
            raise ValueError(f"type inconnu « {v} » (attendu : {', '.join(k.value for k in taxonomy.Kind)})")

    @field_validator("title")
    @classmethod
    def _title(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("titre vide")
        return v.strip()

    @field_validator("audiences")
    @classmethod
    def _audiences(cls, v: list[str]) -> list[str]:
        unknown = [a for a in v if a not in taxonomy.AUDIENCES]
        if unknown:
            raise ValueError(f"public inconnu : {', '.join(unknown)}")
        return v

    @field_validator("themes")
    @classmethod
    def _themes(cls, v: list[str]) -> list[str]:
        unknown = [t for t in v if t not in taxonomy.THEMES]
        if unknown:
            raise ValueError(f"thème inconnu : {', '.join(unknown)}")
        return v

    @field_validator("territories")
    @classmethod
    def _territories(cls, v: list[str]) -> list[str]:
        return [_territory_code(t) for t in v]

    @field_validator("recurrence")
    @classmethod
    def _recurrence(cls, v: str) -> str:
        if v not in {r.value for r in taxonomy.Recurrence}:
            raise ValueError(f"récurrence inconnue « {v} » (attendu : {', '.join(r.value for r in taxonomy.Recurrence)})")
        return v

    @field_validator("amount_basis")
    @classmethod
    def _basis(cls, v: str | None) -> str | None:
        if v in (None, ""):
            return None
        if v not in {b.value for b in taxonomy.AmountBasis}:
            raise ValueError(f"base de montant inconnue « {v} » (spending ou grant)")
        return v

    @field_validator("amount_min", "amount_max", "amount_total")
    @classmethod
    def _amount(cls, v: int | None) -> int | None:
        if v is not None and v < 0:
            raise ValueError("montant négatif")
        if v is not None and v > MAX_AMOUNT:
            raise ValueError("montant trop élevé (2 milliards d'euros au plus)")
        return v

    @model_validator(mode="after")
    def _coherent(self) -> "OpportunityRecord":
        if self.amount_min is not None and self.amount_max is not None and self.amount_min > self.amount_max:
            raise ValueError(f"montant minimum ({self.amount_min}) supérieur au maximum ({self.amount_max})")
        if self.opens_at and self.deadline and self.opens_at > self.deadline:
            raise ValueError("date d'ouverture après la date limite")
        if self.starts_at and self.ends_at and self.starts_at > self.ends_at:
            raise ValueError("fin de l'événement avant son début")
        for url in [self.application_url, self.registration_url, self.source_url,
                    *(link.get("url") for link in self.links)]:
            if not _is_url(url):
                raise ValueError(f"lien invalide « {url} »")
        if (self.amount_min or self.amount_max) and not self.amount_basis:
            self.amount_basis = taxonomy.AmountBasis.SPENDING.value
        if not self.key:
            self.key = slugify(f"{self.source_url or ''} {self.title}")
        return self


@dataclass
class RowError:
    line: int
    reason: str


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.created} créé(s), {self.updated} mis à jour, {self.unchanged} inchangé(s), "
                f"{len(self.errors)} erreur(s)")


class _TextDatesLoader(yaml.SafeLoader):
    """Leaves dates as text, so an impossible one ("2021-02-30") fails its own row, not the whole file."""


_TextDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _read_yaml(text: str) -> Iterable[tuple[int, Any]]:
    root = yaml.compose(text, Loader=_TextDatesLoader)
    if root is None:
        return []
    if not isinstance(root, yaml.SequenceNode):
        raise ValueError("le fichier doit contenir une liste d'opportunités")
    loader = _TextDatesLoader("")
    return [(node.start_mark.line + 1, loader.construct_document(node)) for node in root.value]


def _read_json(text: str) -> Iterable[tuple[int, Any]]:
    data = json.loads(text)
    if isinstance(data, dict) and "items" in data:
        data = data["items"]
    if not isinstance(data, list):
        raise ValueError("le fichier doit contenir une liste d'opportunités")
    return [(i + 1, item) for i, item in enumerate(data)]   # JSON has no line per item: report the position


def _read_csv(text: str) -> Iterable[tuple[int, Any]]:
    """CSV: one opportunity a row; list cells split on ";" and "|"; contacts/links cells hold JSON."""
    reader = csv.DictReader(text.splitlines(), restkey="__extra__")
    rows = []
    for row in reader:
        line = reader.line_num
        record: dict[str, Any] = {}
        for name, value in row.items():
            if name is None or name == "__extra__":
                continue
            value = (value or "").strip()
            if name in LIST_FIELDS:
                record[name] = [p.strip() for p in re.split(r"[;|]", value) if p.strip()]
            elif name in JSON_FIELDS:
                record[name] = json.loads(value) if value else []
            elif name == "requires_esus":
                record[name] = value.lower() in {"1", "true", "oui", "yes", "vrai"}
            elif value != "":
                record[name] = value
        rows.append((line, record))
    return rows


def read_records(path: Path) -> Iterable[tuple[int, Any]]:
    text = path.read_text(encoding="utf-8-sig")
    suffix = path.suffix.lower()
    if suffix in {".yaml", ".yml"}:
        return _read_yaml(text)
    if suffix == ".json":
        return _read_json(text)
    if suffix == ".csv":
        return _read_csv(text)
    raise ValueError(f"format non pris en charge : {suffix or '(sans extension)'} (YAML, JSON ou CSV)")


def explain(error: ValidationError) -> str:
    """A validation error as one French line: "deadline : date invalide ; …"."""
    parts = []
    for e in error.errors():
        where = ".".join(str(p) for p in e["loc"])
        message = e["msg"].removeprefix("Value error, ")
        parts.append(f"{where} : {message}" if where else message)
    return " ; ".join(parts)


def upsert(s: Session, record: OpportunityRecord, now: datetime) -> str:
    """Insert or update one opportunity; returns "created", "updated" or "unchanged"."""
    values = record.model_dump() | {"fingerprint": title_key(record.title)}
    row = s.exec(select(Opportunity).where(Opportunity.key == record.key)).first()
    if row is None:
        s.add(Opportunity(**values, first_seen_at=now, last_seen_at=now))
        return "created"
    changed = False
    for name, value in values.items():
        if name in (row.manual_fields or []):      # corrected by hand (`kb set`): the file does not undo it
            continue
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    row.last_seen_at = now
    s.add(row)
    return "updated" if changed else "unchanged"


def import_file(engine: sa.Engine, path: Path | str, *, now: datetime | None = None) -> ImportReport:
    """Load a curated file. Unreadable files raise ValueError/OSError; bad rows land in the report."""
    path = Path(path)
    now = now or utcnow()
    report = ImportReport()
    try:
        records = list(read_records(path))
    except (yaml.YAMLError, json.JSONDecodeError, csv.Error, UnicodeDecodeError) as exc:
        raise ValueError(f"fichier illisible : {exc}") from exc
    seen_keys: dict[str, int] = {}
    with Session(engine) as s:
        for line, raw in records:
            if not isinstance(raw, dict):
                report.errors.append(RowError(line, "l'élément n'est pas un objet (clé: valeur)"))
                continue
            try:
                record = OpportunityRecord.model_validate(raw)
            except ValidationError as exc:
                report.errors.append(RowError(line, explain(exc)))
                continue
            if record.key in seen_keys:
                report.errors.append(RowError(line, f"clé « {record.key} » déjà utilisée ligne {seen_keys[record.key]}"))
                continue
            seen_keys[record.key] = line
            outcome = upsert(s, record, now)
            setattr(report, outcome, getattr(report, outcome) + 1)
        s.commit()
    return report
