"""Understanding a French question: what kind of opportunity, for whom, where, when, how much, about what.

The question is folded (case, accents, elisions), misspelt words are repaired against the known vocabulary with
rapidfuzz, then filters are read off left to right; what remains are the words to search for.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Iterable

from rapidfuzz import fuzz, process

from knowledge import taxonomy
from knowledge.taxonomy import CALL_KINDS, Kind
from knowledge.text import STOPWORDS, fold, french_words, stem, words
from knowledge.texts import MONTH_NAMES, MONTH_PARTS, day_label
from knowledge.texts import PERIOD_LABELS as L
from knowledge.timeutil import PARIS, at_paris

# --- lexicon: phrases people type, as stem sequences ----------------------------------------------------------------

_KIND_PHRASES: dict[str, frozenset[str]] = {
    "appel a projets": CALL_KINDS, "aap": CALL_KINDS, "appel": CALL_KINDS, "candidater": CALL_KINDS,
    "financement": CALL_KINDS, "aide": CALL_KINDS, "proposer": CALL_KINDS, "postuler": CALL_KINDS,
    "deposer": CALL_KINDS, "soumettre": CALL_KINDS, "financer": CALL_KINDS, "subvention": CALL_KINDS, "aide financiere": CALL_KINDS,
    "appel a manifestation d interet": frozenset({Kind.AMI}), "manifestation d interet": frozenset({Kind.AMI}),
    "ami": frozenset({Kind.AMI}),
    "appel a candidatures": CALL_KINDS, "prix": frozenset({Kind.CANDIDATURES}),
    "trophees": frozenset({Kind.CANDIDATURES}), "concours": frozenset({Kind.CANDIDATURES}),
    "evenement": frozenset({Kind.EVENEMENT}), "event": frozenset({Kind.EVENEMENT}),
    "evenementiel": frozenset({Kind.EVENEMENT}), "rdv": frozenset({Kind.EVENEMENT}),
    "rendez vous": frozenset({Kind.EVENEMENT}), "agenda": frozenset({Kind.EVENEMENT}),
    "save the date": frozenset({Kind.EVENEMENT}), "sortie": frozenset({Kind.EVENEMENT}),
    "offre": frozenset({Kind.OFFRE}), "service": frozenset({Kind.OFFRE}), "bon plan": frozenset({Kind.OFFRE}),
    "ressource": frozenset({Kind.RESSOURCE}), "actualite": frozenset({Kind.RESSOURCE}),
    "actu": frozenset({Kind.RESSOURCE}), "dossier": frozenset({Kind.RESSOURCE}), "guide": frozenset({Kind.RESSOURCE}),
    "news": frozenset({Kind.RESSOURCE}),
}
# Event words that also describe the item itself: they filter on the kind and stay search words.
_KIND_WORDS_KEPT = {"conference": Kind.EVENEMENT, "webinaire": Kind.EVENEMENT, "webinar": Kind.EVENEMENT,
                    "forum": Kind.EVENEMENT, "salon": Kind.EVENEMENT, "visio": Kind.EVENEMENT,
                    "rencontre": Kind.EVENEMENT, "journee": Kind.EVENEMENT, "portes ouvertes": Kind.EVENEMENT}

_AUDIENCE_PHRASES: dict[str, str] = {
    "association": "association", "asso": "association", "assos": "association", "loi 1901": "association",
    "fondation": "fondation", "fonds de dotation": "fonds_dotation", "mutuelle": "mutuelle",
    "cooperative": "cooperative", "coop": "cooperative", "scop": "scop", "scic": "scic", "cae": "cae",
    "cooperative d activite et d emploi": "cae",
    "siae": "siae", "structure d insertion": "siae", "insertion par l activite economique": "siae", "iae": "siae",
    "ei": "ei", "entreprise d insertion": "ei", "etti": "etti", "entreprise de travail temporaire d insertion": "etti",
    "aci": "aci", "atelier chantier d insertion": "aci", "chantier d insertion": "aci",
    "association intermediaire": "ai", "eiti": "eiti",
    "esus": "entreprise_esus", "entreprise solidaire": "entreprise_esus", "agrement esus": "entreprise_esus",
    "entreprise agreee esus": "entreprise_esus", "agreee esus": "entreprise_esus", "entreprise esus": "entreprise_esus",
    "structure agreee esus": "entreprise_esus",
    "entreprise de l ess": "entreprise_ess", "entreprise ess": "entreprise_ess",
    "startup": "entreprise", "start up": "entreprise", "tpe": "entreprise", "pme": "entreprise",
    "micro entreprise": "entreprise", "auto entrepreneur": "entreprise", "entreprise": "entreprise",
    "collectivite": "collectivite", "collectivite locale": "collectivite", "mairie": "commune", "commune": "commune",
    "municipalite": "commune", "epci": "epci", "intercommunalite": "epci", "interco": "epci",
    "communaute de communes": "epci", "communaute d agglomeration": "epci", "agglo": "epci",
    "conseil departemental": "departement", "conseil regional": "region",
    "etablissement public": "etablissement_public", "opco": "opco", "syndicat": "syndicat_federation",
    "federation": "syndicat_federation", "syndicat professionnel": "syndicat_federation",
    "federation professionnelle": "syndicat_federation",
    "pole de competitivite": "pole_competitivite", "organisme consulaire": "organisme_consulaire",
    "cci": "organisme_consulaire", "cma": "organisme_consulaire", "chambre de commerce": "organisme_consulaire",
    "chambre des metiers": "organisme_consulaire", "chambre d agriculture": "organisme_consulaire",
    "collectif d entreprises": "collectif_entreprises",
}

# Search words that should also find their usual companions.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "jeune": ("jeunesse",), "jeunesse": ("jeune",), "numerique": ("digital",), "digital": ("numerique",),
    "reemploi": ("reutilisation", "ressourcerie"), "recyclage": ("reemploi",), "ress": ("ressourcerie",),
    "ptce": ("pole", "cooperation"), "ess": ("economie", "solidaire"), "emploi": ("embauche", "metier"),
    "culture": ("culturel", "artistique"), "culturel": ("culture",), "formation": ("competence",),
    "election": ("electoral",), "mobilier": ("ameublement",), "meuble": ("mobilier", "ameublement"),
}

_MONTHS = {"janvier": 1, "janv": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3, "avril": 4, "avr": 4, "mai": 5,
           "juin": 6, "juillet": 7, "juil": 7, "aout": 8, "septembre": 9, "sept": 9, "octobre": 10, "oct": 10,
           "novembre": 11, "nov": 11, "decembre": 12, "dec": 12}
_SEASONS = {"printemps": ((3, 20), (6, 20)), "ete": ((6, 21), (9, 22)), "automne": ((9, 23), (12, 20)),
            "hiver": ((12, 21), (3, 19)), "rentree": ((9, 1), (9, 30))}
_BEFORE = {"avant", "ici", "jusqu", "jusque", "au plus tard"}
# "qui ferme en juillet", "date limite en septembre": the period applies to the deadline, not to the whole window.
_DEADLINE_WORDS = {"ferme", "ferment", "fermer", "fermeture", "cloture", "clotures", "cloturent", "clos", "termine",
                   "terminent", "limite", "deadline", "echeance", "echeances", "date", "dates", "finit", "finissent"}
_AFTER = {"apres", "partir", "des", "depuis"}
_PART_OF_MONTH = {"debut", "mi", "fin"}


def _stem_key(phrase: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in words(phrase) if w not in STOPWORDS)


KIND_LEXICON = {_stem_key(p): kinds for p, kinds in _KIND_PHRASES.items()}
# Audience words that often name someone else ("aider les PME", "visites d'entreprise"): filters only when the
# asker speaks of their own organisation; otherwise plain search words.
_AMBIGUOUS_AUDIENCE = {_stem_key(w) for w in ("entreprise", "pme", "tpe", "startup", "federation", "syndicat",
                                              "commune", "fondation", "coop")}
# Adjectives sharing a stem with an organisation type: "gouvernance associative" names no audience.
_ADJECTIVES = {"associatif", "associative", "associatifs", "associatives"}
_SELF_WORDS = {"pour", "suis", "sommes", "notre", "mon", "ma", "nous", "je", "est", "tant"}
KIND_KEPT_LEXICON = {_stem_key(p): k for p, k in _KIND_WORDS_KEPT.items()}
AUDIENCE_LEXICON = {_stem_key(p): a for p, a in _AUDIENCE_PHRASES.items()}
THEME_LEXICON = {stem(fold(k)): t.code for t in taxonomy.THEMES.values() for k in t.keywords}


def _place_key(name: str) -> tuple[str, ...]:
    return tuple(words(name.replace("-", " ")))


PLACES: dict[tuple[str, ...], str] = {}
for _r in taxonomy.REGIONS.values():
    PLACES[_place_key(_r.name)] = "R" + _r.code
    for _alias in _r.aliases:
        PLACES[_place_key(_alias)] = "R" + _r.code
for _d in taxonomy.DEPARTMENTS.values():
    PLACES[_place_key(_d.name)] = "D" + _d.code
for _town, _dep in taxonomy.TOWNS.items():
    PLACES[_place_key(_town)] = "D" + _dep
for _nat in ("national", "nationaux", "nationale", "france entiere", "toute la france", "partout en france"):
    PLACES[_place_key(_nat)] = taxonomy.NATIONAL
_MAX_PLACE = max(len(k) for k in PLACES)

# Every word the parser itself knows: never "repaired" into something else, and a target for repairs.
LEXICON_WORDS = frozenset(
    {w for k in PLACES for w in k}
    | {w for p in [*_KIND_PHRASES, *_KIND_WORDS_KEPT] for w in words(p)}
    | {w for p in _AUDIENCE_PHRASES for w in words(p)}
    | {fold(k) for t in taxonomy.THEMES.values() for k in t.keywords}
    | set(_MONTHS) | set(_SEASONS) | _BEFORE | _AFTER | _DEADLINE_WORDS | _PART_OF_MONTH
    | {"semaine", "mois", "annee", "prochain", "prochaine", "prochains", "aujourd", "hui", "demain", "jours",
       "region", "departement", "budget", "montant", "euros", "projets", "projet", "ete", "cet"}
)


# --- what the parser returns ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Period:
    start: datetime
    end: datetime
    label: str                 # French, e.g. "en juin 2021", "avant le 1er septembre 2021"
    month: int | None = None   # set for "en juin": lets a search fall back to that month in earlier years
    key_date: bool = False     # the deadline (or event day) itself must fall in the period, not just the window


@dataclass
class Understood:
    kinds: frozenset[str] = frozenset()
    audience: str | None = None
    territory: str | None = None
    period: Period | None = None
    amount: int | None = None
    themes: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)        # folded search words
    corrections: dict[str, str] = field(default_factory=dict)

    @property
    def has_filters(self) -> bool:
        return bool(self.kinds or self.audience or self.territory or self.period or self.amount)

    def to_json(self) -> dict:
        return {
            "kinds": sorted(str(k) for k in self.kinds),
            "audience": self.audience,
            "territory": self.territory,
            "period": None if self.period is None else {
                "start": self.period.start.isoformat(), "end": self.period.end.isoformat(),
                "label": self.period.label},
            "amount": self.amount,
            "themes": self.themes,
            "terms": self.terms,
            "corrections": self.corrections,
        }


# --- parsing --------------------------------------------------------------------------------------------------------

_AMOUNT = re.compile(
    r"(?<![\w,.])(\d{1,3}(?:[ \u00a0\u202f.]\d{3})+|\d+(?:[.,]\d+)?)\s*"
    r"(k\s*€|k\s*euros?|keur|ke|k|m\s*€|millions?(?:\s+d\s*'?\s*euros?)?|€|euros?|eur)?(?![\w])")


def _read_amounts(text: str) -> tuple[str, int | None]:
    """Take amounts out of the folded text: "30 000 €", "30k", "30000 euros", "1,5 million"."""
    found = None

    def take(m: re.Match) -> str:
        nonlocal found
        number, unit = m.group(1), (m.group(2) or "").replace(" ", "")
        grouped = bool(re.search(r"\d[ \u00a0\u202f.]\d{3}", number))
        value = float(re.sub(r"[ \u00a0\u202f.]", "", number).replace(",", ".")) if grouped else \
            float(number.replace(",", "."))
        if unit.startswith("k"):
            value *= 1_000
        elif unit.startswith("m"):
            value *= 1_000_000
        elif not unit and not grouped:
            return m.group(0)           # a bare number: a day, a year or a department, not an amount
        if value <= 0 or value > 10_000_000_000:
            return m.group(0)
        found = int(round(value))
        return " "

    return _AMOUNT.sub(take, text), found


def _next_month_start(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 1)


def _month_period(year: int, month: int, explicit_year: bool) -> Period:
    label = L["month"].format(month=MONTH_NAMES[month], year=year)
    return Period(at_paris(date(year, month, 1)), at_paris(_next_month_start(year, month)), label,
                  None if explicit_year else month)


class _Tokens:
    """The question's words with a consumed flag each, so that each word serves one purpose."""

    def __init__(self, items: list[str]):
        self.items = items
        self.used = [False] * len(items)

    def free(self, i: int) -> bool:
        return 0 <= i < len(self.items) and not self.used[i]

    def word(self, i: int) -> str:
        return self.items[i] if 0 <= i < len(self.items) else ""

    def take(self, *indexes: int) -> None:
        for i in indexes:
            if 0 <= i < len(self.items):
                self.used[i] = True


class QueryParser:
    """Parses questions against the vocabulary of a knowledge base (for spelling repairs)."""

    def __init__(self, vocabulary: Iterable[str] = ()):
        french_words()      # load the dictionary now, not on the first misspelt question
        self.known = frozenset(vocabulary) | LEXICON_WORDS | STOPWORDS
        self._known_stems = frozenset(stem(w) for w in self.known)
        self._choices = sorted(w for w in self.known if len(w) >= 3 and not w.isdigit())
        self._by_length: dict[int, list[str]] = {}
        for w in self._choices:
            self._by_length.setdefault(len(w), []).append(w)

    def repair(self, word: str) -> str | None:
        """The known word closest to a misspelt one ("apel" → "appel", "draccar" → "draccare"), if close enough."""
        if len(word) < 4 or word.isdigit() or word in self.known or stem(word) in self._known_stems \
                or word in french_words():
            return None
        choices = [w for n in range(len(word) - 2, len(word) + 3) for w in self._by_length.get(n, ())]
        cutoff = 85 if len(word) <= 5 else 75     # "tarte" must not become "carte"
        best = process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=cutoff)
        return best[0] if best else None

    def parse(self, question: str, now: datetime) -> Understood:
        u = Understood()
        text, u.amount = _read_amounts(fold(question.replace("’", "'")))
        raw = words(text)
        fixed = []
        for w in raw:
            r = self.repair(w)
            if r:
                u.corrections[w] = r
            fixed.append(r or w)
        t = _Tokens(fixed)
        u.period = self._read_period(t, now)
        u.territory = self._read_territory(t)
        self._read_lexicon(t, u, question)
        return u

    # periods ---------------------------------------------------------------------------------------------------------

    def _read_period(self, t: _Tokens, now: datetime) -> Period | None:
        today = now.astimezone(PARIS).date()
        for i, w in enumerate(t.items):
            if not t.free(i):
                continue
            period = self._period_at(t, i, w, today)
            if period:
                deadline_words = [j for j, x in enumerate(t.items) if t.free(j) and x in _DEADLINE_WORDS]
                t.take(*deadline_words)
                return replace(period, key_date=True) if deadline_words else period
        return None

    def _prefix(self, t: _Tokens, i: int) -> tuple[str | None, list[int]]:
        """"avant", "d'ici", "jusqu'au" / "après", "à partir de", "dès" just before position i."""
        back = [j for j in range(max(0, i - 3), i) if t.free(j)]
        for j in reversed(back):
            w = t.word(j)
            if w in {"jusqu", "jusque"}:
                return "until", list(range(j, i))
            if w in _BEFORE:
                return "before", list(range(j, i))
            if w in _AFTER:
                return "after", list(range(j, i))
        return None, []

    def _period_at(self, t: _Tokens, i: int, w: str, today: date) -> Period | None:
        nxt, prev = t.word(i + 1), t.word(i - 1)
        year_after = int(nxt) if nxt.isdigit() and len(nxt) == 4 and 2000 <= int(nxt) <= 2100 else None
        if w in _MONTHS:
            month = _MONTHS[w]
            day = int(prev) if prev.isdigit() and 1 <= int(prev) <= 31 and t.free(i - 1) else None
            year = year_after or (today.year if month >= today.month else today.year + 1)
            if year_after is None and day is not None:      # "le 12 mai": the nearest 12 May, past or coming
                year = min((today.year - 1, today.year, today.year + 1),
                           key=lambda y: abs((date(y, month, min(day, 28)) - today).days))
            used = [i] + ([i + 1] if year_after else []) + ([i - 1] if day else [])
            part = t.word(i - 1) if day is None and t.free(i - 1) and t.word(i - 1) in _PART_OF_MONTH else None
            if part:
                used.append(i - 1)
            mode, prefix = self._prefix(t, (i - 1 if day or part else i))
            t.take(*used, *prefix)
            if day is not None:
                try:
                    d = date(year, month, day)
                except ValueError:
                    return None
                name = day_label(d)
                if mode == "until":     # "jusqu'au 9 juillet": the 9th included
                    return Period(at_paris(today), at_paris(d + timedelta(days=1)), L["until_day"].format(day=name),
                                  key_date=True)
                if mode == "before":
                    return Period(at_paris(today), at_paris(d), L["before_day"].format(day=name), key_date=True)
                if mode == "after":
                    return Period(at_paris(d), at_paris(d + timedelta(days=3650)), L["after_day"].format(day=name),
                                  key_date=True)
                return Period(at_paris(d), at_paris(d + timedelta(days=1)), L["day"].format(day=name), key_date=True)
            first, following = date(year, month, 1), _next_month_start(year, month)
            lo, hi = {"debut": (first, first + timedelta(days=10)), "mi": (first + timedelta(days=10),
                      first + timedelta(days=20)), "fin": (first + timedelta(days=20), following)}.get(
                part, (first, following))
            named = f"{MONTH_PARTS[part]} {MONTH_NAMES[month]}" if part else MONTH_NAMES[month]
            if mode in {"before", "until"}:
                until = hi if part or mode == "until" else first
                return Period(at_paris(today), at_paris(until), L[mode].format(named=named, year=year), key_date=True)
            if mode == "after":
                return Period(at_paris(lo), at_paris(lo + timedelta(days=3650)),
                              L["after"].format(named=named, year=year), key_date=True)
            if part:
                return Period(at_paris(lo), at_paris(hi), L["part"].format(named=named, year=year))
            return _month_period(year, month, year_after is not None)
        if w in _SEASONS:
            (m1, d1), (m2, d2) = _SEASONS[w]
            year = today.year
            end = date(year + (1 if m2 < m1 else 0), m2, d2)
            if end < today:
                year += 1
                end = date(year + (1 if m2 < m1 else 0), m2, d2)
            t.take(i, *([i - 1] if prev in {"cet", "cette", "ce", "l", "la"} else []))
            return Period(at_paris(date(year, m1, d1)), at_paris(end + timedelta(days=1)), L[w])
        if w == "semaine" and (prev in {"cette", "la"} or nxt.startswith("prochain")):
            monday = today - timedelta(days=today.weekday())
            if nxt.startswith("prochain"):
                monday += timedelta(days=7)
                t.take(i + 1)
                label = L["next_week"]
            else:
                label = L["this_week"]
            t.take(i, i - 1)
            return Period(at_paris(monday), at_paris(monday + timedelta(days=7)), label)
        if w == "mois" and (prev == "ce" or nxt.startswith("prochain")):
            year, month = today.year, today.month
            if nxt.startswith("prochain"):
                nm = _next_month_start(year, month)
                year, month = nm.year, nm.month
                t.take(i + 1)
            t.take(i, i - 1, *([i + 1] if nxt == "ci" else []))
            return _month_period(year, month, True)
        if w == "aujourd" and nxt == "hui":
            t.take(i, i + 1)
            return Period(at_paris(today), at_paris(today + timedelta(days=1)), L["today"])
        if w == "demain":
            t.take(i)
            return Period(at_paris(today + timedelta(days=1)), at_paris(today + timedelta(days=2)), L["tomorrow"])
        if w == "jours" and prev.isdigit() and (t.word(i - 2) in {"ici", "les", "prochains"} or nxt == "prochains"):
            n = min(int(prev), 3650)
            t.take(i - 2, i - 1, i, *([i + 1] if nxt == "prochains" else []))
            return Period(at_paris(today), at_paris(today + timedelta(days=n + 1)), L["next_days"].format(n=n))
        if w.isdigit() and len(w) == 4 and 2000 <= int(w) <= 2100 and t.free(i):
            t.take(i)
            y = int(w)
            return Period(at_paris(date(y, 1, 1)), at_paris(date(y + 1, 1, 1)), L["year"].format(year=y))
        return None

    # territory -------------------------------------------------------------------------------------------------------

    def _read_territory(self, t: _Tokens) -> str | None:
        n = len(t.items)
        for i in range(n):
            for size in range(min(_MAX_PLACE, n - i), 0, -1):
                span = list(range(i, i + size))
                if not all(t.free(j) for j in span):
                    continue
                code = PLACES.get(tuple(t.items[i:i + size]))
                if code is None:
                    continue
                if size == 1 and t.items[i] in taxonomy.AMBIGUOUS_DEPARTMENT_NAMES and not self._after_place_word(t, i):
                    continue
                t.take(*span, *self._place_prefix(t, i))
                return code
        for i, w in enumerate(t.items):          # numbers: "dans le 76", "76", "région 28"
            if not t.free(i):
                continue
            code = w.upper()
            if t.word(i - 1) == "region" and code in taxonomy.REGIONS:
                t.take(i - 1, i)
                return "R" + code
            if code in taxonomy.DEPARTMENTS and (len(w) >= 2):
                t.take(i, *self._place_prefix(t, i))
                return "D" + code
        return None

    @staticmethod
    def _after_place_word(t: _Tokens, i: int) -> bool:
        prev, prev2 = t.word(i - 1), t.word(i - 2)
        return prev in {"en", "du", "departement"} or (prev in {"le", "la", "l"} and prev2 in {"dans", "de", "sur"})

    @staticmethod
    def _place_prefix(t: _Tokens, i: int) -> list[int]:
        return [j for j in (i - 1, i - 2) if t.word(j) in {"region", "departement", "dept", "dep", "dans", "le", "la",
                                                        "en", "du", "sur"}]

    # kinds, audiences, themes, search words ------------------------------------------------------------------------

    @staticmethod
    def _speaks_of_itself(t: _Tokens, i: int) -> bool:
        """ "pour une entreprise", "je suis une fondation", "notre coop": the asker's own organisation."""
        return t.word(i - 1) in _SELF_WORDS or (t.word(i - 1) in {"une", "un", "l", "la", "le", "les", "des"}
                                                and t.word(i - 2) in _SELF_WORDS | {"est", "suis", "sommes"})

    def _read_lexicon(self, t: _Tokens, u: Understood, question: str) -> None:
        positions = [i for i, w in enumerate(t.items) if t.free(i) and w not in STOPWORDS]
        keys = [stem(t.items[i]) for i in positions]
        kinds: set[str] = set()
        k = 0
        while k < len(positions):
            for size in range(min(6, len(positions) - k), 0, -1):
                key = tuple(keys[k:k + size])
                if key in KIND_LEXICON:
                    kinds |= KIND_LEXICON[key]
                elif key in AUDIENCE_LEXICON and u.audience is None and t.items[positions[k]] not in _ADJECTIVES and (
                        key not in _AMBIGUOUS_AUDIENCE or self._speaks_of_itself(t, positions[k])):
                    u.audience = AUDIENCE_LEXICON[key]
                elif key in KIND_KEPT_LEXICON:
                    kinds.add(KIND_KEPT_LEXICON[key])
                    u.terms.extend(t.items[positions[j]] for j in range(k, k + size))
                else:
                    continue
                t.take(*positions[k:k + size])
                k += size
                break
            else:
                if len(t.items[positions[k]]) > 2:       # "es" of "salarié·es" is no search word
                    u.terms.append(t.items[positions[k]])
                k += 1
        if u.audience is None and re.search(r"\bAI\b", question):   # "AI" only in capitals: "j'ai" is not one
            u.audience = "ai"
            u.terms = [w for w in u.terms if w != "ai"]
        u.kinds = frozenset(kinds)
        for w in u.terms:
            theme = THEME_LEXICON.get(stem(w))
            if theme and theme not in u.themes:
                u.themes.append(theme)


# --- single values typed by users (profile answers, CLI options) ----------------------------------------------------

def parse_amount(text: str) -> int | None:
    """"30k", "30 000 €", "30000", "1,5 M€" → euros; None when no amount can be read."""
    folded = fold(text.replace("’", "'")).strip()
    _, value = _read_amounts(folded)
    if value is None and re.fullmatch(r"\d{1,10}", folded):
        value = int(folded)
    return value


def resolve_place(text: str) -> str | None:
    """A typed place as a territory code: "calvados"/"14" → "D14", "normandie"/"R28" → "R28", "rouen" → "D76"."""
    value = text.strip()
    upper = value.upper()
    if re.fullmatch(r"R\d{2}", upper) and upper[1:] in taxonomy.REGIONS:
        return upper
    if re.fullmatch(r"D(\d{2,3}|2[AB])", upper) and upper[1:] in taxonomy.DEPARTMENTS:
        return upper
    if upper in taxonomy.DEPARTMENTS:
        return "D" + upper
    key = tuple(words(value.replace("-", " ")))
    return PLACES.get(key) or QueryParser()._read_territory(_Tokens(list(key)))


def resolve_region(text: str) -> str | None:
    """Region code ("28") from a typed region name or code; a bare number is read as a region code."""
    value = text.strip()
    if value in taxonomy.REGIONS:
        return value
    code = resolve_place(value)
    return code[1:] if code and code.startswith("R") else None


def resolve_department(text: str) -> str | None:
    """Department code ("76") from a typed department name, number or main town."""
    code = resolve_place(text)
    return code[1:] if code and code.startswith("D") else None


def resolve_audience(text: str) -> str | None:
    """An organisation type typed by a user ("asso", "SCOP", "mairie", "entreprise d'insertion", "autre")."""
    value = fold(text).strip()
    if value in taxonomy.AUDIENCES:
        return value
    for code, audience in taxonomy.AUDIENCES.items():
        if fold(audience.label) == value or fold(audience.label.split(" (")[0]) == value:
            return code
    if value in {"autre", "autres", "other"}:
        return "autre"
    u = QueryParser().parse(text, datetime.now(PARIS))
    if u.audience is None and re.fullmatch(r"\s*ai\s*", value):
        return "ai"
    return u.audience


def resolve_themes(text: str) -> list[str]:
    """Theme codes named in a typed answer ("culture, emploi des jeunes" → culture, emploi, jeunesse)."""
    found = []
    for w in words(text):
        code = THEME_LEXICON.get(stem(w))
        if code and code not in found:
            found.append(code)
    for code, theme in taxonomy.THEMES.items():
        if fold(theme.label) in fold(text) and code not in found:
            found.append(code)
    return found
