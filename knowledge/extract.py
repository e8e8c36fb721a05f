"""Facts read from French prose: what a CRESS-style news post says about a call, an event or an offer.

A small regular grammar, not a general date parser: it reads the phrasings these posts use ("jusqu'au 9 juillet",
"pour le mercredi 23 juin minuit", "Jeudi 24 juin 14h30-17h", "le 2 juin de 18h à 19h", "du 16 juillet au 29 août",
"entre 20 000€ et 500 000€", "doté de 150 000 euros", "100 000€ pour 2 ans", "Vous êtes :" lists) and keeps, for
every fact, the sentence it came from, so the bot can quote its source and a curator can check it.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from knowledge import taxonomy
from knowledge.query import AUDIENCE_LEXICON, PLACES, _stem_key
from knowledge.text import STOPWORDS, fold, stem, words
from knowledge.timeutil import PARIS

MONTHS = {"janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7, "aout": 8,
          "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12}
_M = r"(janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|d[ée]cembre)"
_DAYNAME = r"(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s+)?"
_D = r"(\d{1,2}|1er)"
_Y = r"(?:\s+(\d{4}))?"
_H = r"(\d{1,2})\s*h\s*(\d{2})?"
_AMOUNT = r"(\d{1,3}(?:[ \u00a0\u202f.]\d{3})+|\d+)"
_EURO = r"\s*(?:€|euros?)"
_APOS = "['’]"

DEADLINE_PATTERNS = [
    re.compile(rf"\bpour le\s+{_DAYNAME}{_D}\s+{_M}{_Y}\s+(?:à\s+)?(minuit)", re.I),
    re.compile(rf"\bjusqu{_APOS}au\s+{_DAYNAME}{_D}\s+{_M}{_Y}", re.I),
    re.compile(rf"\bavant le\s+{_DAYNAME}{_D}\s+{_M}{_Y}", re.I),
    re.compile(rf"\bdate limite[^:.]*:?\s*(?:le\s+)?{_DAYNAME}{_D}\s+{_M}{_Y}", re.I),
]
EVENT_RANGE_HOURS = re.compile(rf"\b{_DAYNAME}{_D}\s+{_M}{_Y}\s+(?:à\s+|de\s+)?{_H}\s*(?:[-–]|à)\s*{_H}", re.I)
EVENT_DAY_FROM_TO = re.compile(rf"\ble\s+{_D}\s+{_M}{_Y}\s+de\s+{_H}\s+à\s+{_H}", re.I)
EVENT_DAY_AT = re.compile(rf"\b{_D}\s+{_M}{_Y}\s+à\s+{_H}", re.I)
DATE_RANGE = re.compile(rf"\bdu\s+{_D}(?:\s+{_M})?\s+au\s+{_D}\s+{_M}{_Y}", re.I)
NAMED_DAY = re.compile(rf"\b(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s+{_D}\s+{_M}{_Y}", re.I)
OPENING = re.compile(rf"\b(?:lanc[ée]e?s?|ouverte?s?|ouverture)\s+(?:le\s+)?{_DAYNAME}{_D}\s+{_M}{_Y}", re.I)
WHOLE_MONTH = re.compile(rf"\b(?:pendant|durant|tout au long du|au cours du)\s+(?:le\s+)?mois\s+d{_APOS}?e?\s*{_M}", re.I)
AMOUNT_BETWEEN = re.compile(rf"\bentre\s+{_AMOUNT}(?:{_EURO})?\s+et\s+{_AMOUNT}{_EURO}", re.I)
AMOUNT_ENVELOPE = re.compile(rf"\bdot[ée]e?s?\s+de\s+{_AMOUNT}{_EURO}", re.I)
AMOUNT_OVER_YEARS = re.compile(rf"{_AMOUNT}{_EURO}\s+pour\s+(\d+)\s+ans", re.I)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?<!\d)0\d(?:[ .]?\d{2}){4}(?!\d)")
PERSON = re.compile(r"\b([A-ZÉÈ][a-zéèëïô]+(?:-[A-ZÉÈ][a-zéèëïô]+)?)\s+([A-ZÉÈ]{2,}(?:-[A-ZÉÈ]{2,})*)\b")
CALLS_TO_ACTION = ("candidater", "inscription", "plus d'informations", "plus d’informations", "toutes les informations",
                   "télécharger", "en savoir plus", "lire la suite", "s'inscrire", "s’inscrire", "je m'inscris",
                   "retrouvez", "voir le programme")
AUDIENCE_CUES = re.compile(r"vous [êe]tes|[àa] destination d|destin[ée]e?s? [àa]u?x?|ouvert(?:e|s|es)? [àa]u?x?|"
                           r"s{0}adress\w* [àa]u?x?|r[ée]serv[ée]e?s? [àa]u?x?".format(_APOS), re.I)
NATIONAL_CUES = re.compile(r"\bESS France\b|secr[ée]taire d{0}[ée]tat|territoire national|\bDG Tr[ée]sor\b|"
                           r"\bfrance enti[èe]re\b|de l{0}[ÉE]tat\b".format(_APOS), re.I)


@dataclass
class Fact:
    value: Any
    sentence: str          # where it was read


@dataclass
class Extracted:
    title: str
    body: str
    kind: str
    facts: dict[str, Fact] = field(default_factory=dict)
    links: list[dict] = field(default_factory=list)

    def value(self, name: str, default=None):
        return self.facts[name].value if name in self.facts else default

    def record(self, **extra) -> dict:
        """The fields of an opportunity record (see ingest.OpportunityRecord)."""
        values = {name: fact.value for name, fact in self.facts.items()}
        summary = " ".join(self.body.split())[:280]
        return {"kind": self.kind, "title": self.title, "summary": summary.rsplit(" ", 1)[0] + " …"
                if len(summary) == 280 else summary, "description": self.body, "links": self.links,
                **values, **extra}


# --- splitting an archive page into posts -----------------------------------------------------------------------------

def _blocks(text: str) -> list[str]:
    return [b.strip("\n") for b in re.split(r"\n\s*\n", text) if b.strip()]


def _is_cta(line: str) -> bool:
    low = line.strip().lower()
    return len(low) < 60 and (low.startswith(CALLS_TO_ACTION) or low.endswith(("inscription", "candidater")))


def _ends_post(block: str) -> bool:
    """A block after which a new post may start: a call-to-action, a contact block, or closing prose."""
    last = block.strip().splitlines()[-1].strip()
    return (_is_cta(last) or last.lower().endswith(("inscription", "candidater", "informations"))
            or bool(EMAIL.search(block) or PHONE.search(block))
            or (len(block) > 100 and last.endswith(".") and not last.lstrip().startswith(("•", "🔸", "-"))))


def _is_title(block: str) -> bool:
    line = block.strip()
    return ("\n" not in line and 20 <= len(line) <= 160 and not line.startswith(("•", "🔸", "-"))
            and not line.endswith((".", ":", ",", ";", "?")) and not _is_cta(line)
            and not EMAIL.search(line) and not PHONE.search(line))


def split_archive(text: str) -> list[tuple[str, str]]:
    """(title, body) of each post of a news archive page as text (headings lost, so told apart by shape)."""
    blocks = _blocks(text)
    if blocks and blocks[0].lower().startswith(("archives", "catégorie", "categorie", "actualités")):
        blocks = blocks[1:]
    posts: list[tuple[str, list[str]]] = []
    previous_ends = True
    for block in blocks:
        if previous_ends and _is_title(block) and (not posts or posts[-1][1]):
            posts.append((block.strip(), []))
            previous_ends = False
            continue
        if posts:
            posts[-1][1].append(block)
        previous_ends = _ends_post(block)
    return [(title, "\n\n".join(body)) for title, body in posts]


# --- facts ------------------------------------------------------------------------------------------------------------

def _sentence(text: str, start: int, end: int) -> str:
    """The sentence (or line) around text[start:end]."""
    left = max(text.rfind("\n", 0, start), max(text.rfind(p, 0, start) for p in (". ", "! ", "? ")) + 1)
    right_candidates = [i for i in (text.find("\n", end), *(text.find(p, end) for p in (". ", "! ", "? "))) if i != -1]
    right = min(right_candidates) + 1 if right_candidates else len(text)
    return " ".join(text[left:right].split()).strip(" –-")


def _day(value: str) -> int:
    return 1 if value.lower() == "1er" else int(value)


def _month(value: str) -> int:
    return MONTHS[fold(value)]


class _Impossible(ValueError):
    """A date or hour that does not exist ("31 février", "25h"): no fact rather than a wrong one."""


def _when(day: str, month: str, year: str | None, default_year: int, at: time) -> datetime:
    try:
        return datetime.combine(date(int(year) if year else default_year, _month(month), _day(day)), at,
                                tzinfo=PARIS)
    except ValueError as exc:
        raise _Impossible(str(exc)) from exc


def _hour(h: str, m: str | None) -> time:
    if int(h) == 24 and not int(m or 0):
        return time(23, 59)                      # "de 20h à 24h": until the end of the day
    try:
        return time(int(h), int(m or 0))
    except ValueError as exc:
        raise _Impossible(str(exc)) from exc


def _amount(value: str) -> int:
    return int(re.sub(r"[ \u00a0\u202f.]", "", value))


def default_year(text: str, reference: date | None) -> int:
    """Year of dates written without one: the publication year, else the year the page mentions most."""
    if reference is not None:
        return reference.year
    years = Counter(int(y) for y in re.findall(r"\b(20\d{2})\b", text))
    return years.most_common(1)[0][0] if years else date.today().year


def read_deadline(text: str, year: int) -> Fact | None:
    found: list[tuple[int, Fact]] = []
    for rank, pattern in enumerate(DEADLINE_PATTERNS):
        for m in pattern.finditer(text):
            at = time(23, 59)          # no time given, or "minuit": the end of that day
            when = _when(m.group(1), m.group(2), m.group(3), year, at)
            found.append((0 if m.group(3) or rank == 0 else 1, Fact(when, _sentence(text, m.start(), m.end()))))
    if not found:
        return None
    best = min(found, key=lambda f: f[0])       # an explicit year or "minuit" beats a bare "jusqu'au"
    return best[1]


def read_opening(text: str, year: int) -> Fact | None:
    m = OPENING.search(text)
    return Fact(_when(m.group(1), m.group(2), m.group(3), year, time(0)), _sentence(text, m.start(), m.end())) \
        if m else None


def read_event(text: str, year: int, whole_month_event: bool, single_days: bool) -> tuple[Fact, Fact | None] | None:
    for pattern in (EVENT_RANGE_HOURS, EVENT_DAY_FROM_TO):
        m = pattern.search(text)
        if m:
            d, mo, y, h1, m1, h2, m2 = m.groups()
            day = _when(d, mo, y, year, time(0))
            sentence = _sentence(text, m.start(), m.end())
            return (Fact(datetime.combine(day.date(), _hour(h1, m1), tzinfo=PARIS), sentence),
                    Fact(datetime.combine(day.date(), _hour(h2, m2), tzinfo=PARIS), sentence))
    m = EVENT_DAY_AT.search(text)
    if m:
        d, mo, y, h, mi = m.groups()
        return Fact(_when(d, mo, y, year, _hour(h, mi)), _sentence(text, m.start(), m.end())), None
    m = DATE_RANGE.search(text)
    if m:
        d1, mo1, d2, mo2, y = m.groups()
        sentence = _sentence(text, m.start(), m.end())
        return (Fact(_when(d1, mo1 or mo2, y, year, time(0)), sentence),
                Fact(_when(d2, mo2, y, year, time(23, 59)), sentence))
    m = WHOLE_MONTH.search(text)
    if m and whole_month_event:
        month = _month(m.group(1))
        start = datetime(year, month, 1, tzinfo=PARIS)
        end = (start + timedelta(days=32)).replace(day=1) - timedelta(minutes=1)
        sentence = _sentence(text, m.start(), m.end())
        return Fact(start, sentence), Fact(end, sentence)
    m = NAMED_DAY.search(text) if single_days else None
    if m:
        d, mo, y = m.groups()
        return Fact(_when(d, mo, y, year, time(0)), _sentence(text, m.start(), m.end())), None
    return None


def read_amounts(text: str) -> dict[str, Fact]:
    facts: dict[str, Fact] = {}
    m = AMOUNT_BETWEEN.search(text)
    if m:
        sentence = _sentence(text, m.start(), m.end())
        facts["amount_min"] = Fact(_amount(m.group(1)), sentence)
        facts["amount_max"] = Fact(_amount(m.group(2)), sentence)
        basis = "spending" if re.search(r"d[ée]penses", sentence, re.I) else "grant"
        facts["amount_basis"] = Fact(basis, sentence)
    m = AMOUNT_ENVELOPE.search(text)
    if m:
        facts["amount_total"] = Fact(_amount(m.group(1)), _sentence(text, m.start(), m.end()))
    m = AMOUNT_OVER_YEARS.search(text)
    if m and "amount_max" not in facts:
        sentence = _sentence(text, m.start(), m.end())
        facts["amount_max"] = Fact(_amount(m.group(1)), sentence)
        facts["amount_basis"] = Fact("grant", sentence)
        facts["amount_note"] = Fact(f"sur {m.group(2)} ans", sentence)
    return facts


AUDIENCE_KEYS = {**AUDIENCE_LEXICON, **{_stem_key(p): a for p, a in {
    "groupement de collectivites": "collectivite", "association loi 1901": "association",
    "micro entreprise": "entreprise", "start up": "entreprise", "entreprise solidaire": "entreprise_ess",
    "entreprises solidaires": "entreprise_ess"}.items()}}


def audiences_in(text: str) -> list[str]:
    """Every organisation type named in a text, in order ("une association, une coopérative ou une mutuelle")."""
    keys = [stem(w) for w in words(text) if w not in STOPWORDS]
    found: list[str] = []
    k = 0
    while k < len(keys):
        for size in range(min(6, len(keys) - k), 0, -1):
            code = AUDIENCE_KEYS.get(tuple(keys[k:k + size]))
            if code:
                if code not in found:
                    found.append(code)
                k += size
                break
        else:
            k += 1
    return found


def read_audiences(text: str) -> Fact | None:
    """Audiences from "Vous êtes :" lists and "à destination de / ouvert aux …" sentences only."""
    found: list[str] = []
    sentences: list[str] = []
    for block in _blocks(text):
        lines = block.splitlines()
        head = lines[0]
        cue = AUDIENCE_CUES.search(head)
        if cue:
            if head.rstrip().endswith(":") and len(head) < 80:   # "Vous êtes :" then the list in the next block
                following = text[text.find(block) + len(block):].lstrip("\n")
                scope = block + "\n" + (_blocks(following)[0] if following else "")
            else:                                        # "… à destination d'une association, une coopérative…"
                scope = _sentence(head, cue.start(), cue.end())
            for code in audiences_in(scope):
                if code not in found:
                    found.append(code)
            sentences.append(" ".join(scope.split()))
    return Fact(found, " ".join(sentences)) if found else None


def read_territory(text: str, default: str | None) -> Fact | None:
    m = NATIONAL_CUES.search(text)
    if m:
        return Fact([taxonomy.NATIONAL], _sentence(text, m.start(), m.end()))
    tokens = words(text)
    best: tuple[str, int] | None = None
    for i in range(len(tokens)):
        for size in (3, 2, 1):
            code = PLACES.get(tuple(tokens[i:i + size]))
            if code and code != taxonomy.NATIONAL and (size > 1 or tokens[i] not in
                                                         taxonomy.AMBIGUOUS_DEPARTMENT_NAMES):
                if best is None or (code.startswith("D") and best[0].startswith("R")):
                    best = (code, i)
                break
    if best is None:
        return Fact([default], "(territoire de la source)") if default else None
    word = tokens[best[1]]
    position = fold(text).find(word)
    return Fact([best[0]], _sentence(text, position, position + len(word)) if position >= 0 else "")


def read_contacts(text: str) -> Fact | None:
    contacts, sentences = [], []
    for block in _blocks(text):
        lines = block.splitlines()
        for n, line in enumerate(lines):
            for email in EMAIL.findall(line):
                person = PERSON.search(line) or next((PERSON.search(lines[j]) for j in range(n - 1, -1, -1)
                                                      if PERSON.search(lines[j])), None)
                phone = PHONE.search(line)
                contact = {"name": f"{person.group(1)} {person.group(2).title()}" if person else None,
                           "email": email, "phone": phone.group(0).replace(".", " ") if phone else None}
                contacts.append({k: v for k, v in contact.items() if v})
                sentences.append(" ".join(line.split()))
    return Fact(contacts, " | ".join(sentences)) if contacts else None


def read_kind(title: str) -> str:
    t = fold(title)
    if re.search(r"appel a manifestation d.?interet|\bami\b", t):
        return taxonomy.Kind.AMI
    if re.search(r"appel a (projets?|manifestations?|initiatives?)", t):
        return taxonomy.Kind.AAP
    if re.search(r"appel a candidatures?|\bprix\b|trophees?|concours", t):
        return taxonomy.Kind.CANDIDATURES
    if re.search(r"save the date|conference|webinaire|forum|rencontre|journee|mois de l.?ess|participez|"
                 r"atelier|salon", t):
        return taxonomy.Kind.EVENEMENT
    if re.search(r"^(donnez|profitez|beneficiez|equipez)|\boffre\b|\bservices?\b", t):
        return taxonomy.Kind.OFFRE
    return taxonomy.Kind.RESSOURCE


def _or_none(reader, *args, **kwargs):
    try:
        return reader(*args, **kwargs)
    except _Impossible:
        return None


def extract(title: str, body: str, *, reference: date | None = None, default_territory: str | None = None,
            year: int | None = None) -> Extracted:
    """Every fact a post states, each with its sentence."""
    text = f"{title}\n\n{body}"
    year = year or default_year(text, reference)
    kind = read_kind(title)
    item = Extracted(title=" ".join(title.split()), body=body.strip(), kind=kind)
    facts = item.facts
    deadline = _or_none(read_deadline, text, year) if kind in taxonomy.CALL_KINDS else None
    if deadline:
        facts["deadline"] = deadline
    event = _or_none(read_event, text, year, whole_month_event=kind == taxonomy.Kind.EVENEMENT,
                     single_days=kind not in taxonomy.CALL_KINDS)
    opening = _or_none(read_opening, text, year) if kind in taxonomy.CALL_KINDS else None
    if opening:
        facts["opens_at"] = opening
    if event and (kind != taxonomy.Kind.OFFRE):
        start, end = event
        facts["starts_at"] = start
        if end:
            facts["ends_at"] = end
    facts.update(read_amounts(text))
    for name, fact in (("audiences", read_audiences(body)), ("territories", read_territory(text, default_territory)),
                       ("contacts", read_contacts(body))):
        if fact:
            facts[name] = fact
    item.links = [{"label": line.strip(), "url": None} for line in body.splitlines() if _is_cta(line)]
    return item


def parse_archive(text: str, *, reference: date | None = None, default_territory: str | None = None) -> list[Extracted]:
    """The posts of a news archive page, with their facts."""
    year = default_year(text, reference)
    return [extract(title, body, reference=reference, default_territory=default_territory, year=year)
            for title, body in split_archive(text)]
