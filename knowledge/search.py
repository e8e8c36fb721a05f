"""Ranked answers to French questions over the knowledge base.

BM25 over accent-folded French stems (title words count three times, summary words twice), misspelt words
repaired by the parser, then the filters read from the question as vectorised masks, then status: what can be
acted on first, upcoming next; closed items only when nothing else matches, and labelled as such.
"""
from __future__ import annotations

import math
import warnings
from array import array
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Iterable, Protocol, Sequence

import numpy as np

from knowledge import taxonomy, texts
from knowledge.query import SYNONYMS, Period, QueryParser, Understood
from knowledge.status import STATUS_CODES, TIER, event_end_ts, status_vector, ts, yearly_shift
from knowledge.text import stem, stems, words
from knowledge.timeutil import PARIS

K1, B = 1.2, 0.75
TITLE_WEIGHT, SUMMARY_WEIGHT = 3, 2
SYNONYM_WEIGHT = 0.5
MIN_RELATIVE_SCORE = 0.2
GOOD_MATCH = 0.5          # relative text score under which a live item does not hide closed ones
TIER_BONUS = {0: 0.3, 1: 0.15, 2: 0.0}
TITLE_BONUS = 0.3            # all the question's words in the title: the item is about that
AUDIENCE_BONUS = 0.3         # the item names the asker's organisation type (not merely "audience not stated")
PERIOD_BONUS = 0.2           # the deadline or event day falls in the period asked for
CLOSED_MARGIN = 1.25         # a closed item comes along when its text is this much more relevant than any live one
KIND_CODES = {k.value: i for i, k in enumerate(taxonomy.Kind)}
AUDIENCE_BITS = {code: 1 << i for i, code in enumerate(taxonomy.AUDIENCES)}
REGION_BITS = {code: 1 << i for i, code in enumerate(taxonomy.REGIONS)}


class Indexable(Protocol):
    """What the index reads of an opportunity (an Opportunity row, or any object with these attributes)."""
    id: int
    kind: str
    title: str
    summary: str
    description: str
    organiser: str | None
    themes: list[str]
    audiences: list[str]
    territories: list[str]
    amount_min: int | None
    amount_max: int | None
    amount_basis: str | None
    opens_at: datetime | None
    deadline: datetime | None
    starts_at: datetime | None
    ends_at: datetime | None
    recurrence: str
    first_seen_at: datetime
    published_at: datetime | None
    contacts: list[dict]


def index_text(o: Indexable) -> tuple[str, str, str]:
    """Title, summary, and the rest (description, organiser, theme names) as indexed."""
    theme_names = " ".join(taxonomy.THEMES[t].label for t in o.themes if t in taxonomy.THEMES)
    contacts = " ".join(str(v) for c in (o.contacts or []) for k, v in c.items() if k in {"name", "email"} and v)
    audiences = " ".join(taxonomy.AUDIENCES[a].label for a in o.audiences if a in taxonomy.AUDIENCES)
    return o.title, o.summary or "", " ".join(filter(None, [o.description, o.organiser, theme_names, contacts,
                                                          audiences, taxonomy.KIND_LABELS.get(o.kind, "")]))


def audience_query_mask(code: str) -> int:
    """Bits of the audiences a question "pour une X" accepts: X, its parents, and its kinds (SCOP ⊂ coopérative)."""
    codes = taxonomy.audience_ancestors(code) + taxonomy.audience_children(code)
    return sum(AUDIENCE_BITS[c] for c in set(codes))


@dataclass
class Ranking:
    """Positions in the index, best first, with what the search decided along the way."""
    order: np.ndarray
    scores: np.ndarray
    statuses: np.ndarray
    closed_only: bool = False
    notes: list[str] = field(default_factory=list)
    ignored_terms: list[str] = field(default_factory=list)
    any_year: bool = False          # the period's month was looked for in earlier years


class SearchIndex:
    def __init__(self, items: Iterable[Indexable]):
        ids, kinds, aud, nat, reg_whole, reg_touch, no_territory = [], [], [], [], [], [], []
        opens, deadline, starts, ends, yearly, key_month, first_seen, published = [], [], [], [], [], [], [], []
        amin, amax, spending = [], [], []
        dept_docs: dict[str, list[int]] = {}
        term_ids: dict[str, int] = {}
        post_term, post_doc, post_tf = array("i"), array("i"), array("f")
        title_term, title_doc = array("i"), array("i")
        lengths = array("f")
        vocabulary: set[str] = set()
        for n, o in enumerate(items):
            ids.append(o.id)
            kinds.append(KIND_CODES.get(o.kind, -1))
            aud.append(sum(AUDIENCE_BITS.get(a, 0) for a in o.audiences))
            nat.append(taxonomy.NATIONAL in o.territories)
            no_territory.append(not o.territories)
            whole = touch = 0
            for code in o.territories:
                region = taxonomy.territory_region(code)
                if region in REGION_BITS:
                    touch |= REGION_BITS[region]
                    if code.startswith("R"):
                        whole |= REGION_BITS[region]
                if code.startswith("D"):
                    dept_docs.setdefault(code, []).append(n)
            reg_whole.append(whole)
            reg_touch.append(touch)
            opens.append(ts(o.opens_at))
            deadline.append(ts(o.deadline))
            starts.append(ts(o.starts_at))
            ends.append(event_end_ts(o.starts_at, o.ends_at))
            yearly.append(o.recurrence == taxonomy.Recurrence.YEARLY)
            key = o.deadline or o.starts_at or o.published_at
            key_month.append(key.astimezone(PARIS).month if key else 0)
            first_seen.append(ts(o.first_seen_at))
            published.append(ts(o.published_at))
            amin.append(np.nan if o.amount_min is None else o.amount_min)
            amax.append(np.nan if o.amount_max is None else o.amount_max)
            spending.append(o.amount_basis == taxonomy.AmountBasis.SPENDING)

            tf: Counter[str] = Counter()
            texts_of_item = index_text(o)
            for weight, text in zip((TITLE_WEIGHT, SUMMARY_WEIGHT, 1), texts_of_item):
                for w in words(text):
                    vocabulary.add(w)
                for s in stems(text):
                    tf[s] += weight
            for s in set(stems(texts_of_item[0])):
                title_term.append(term_ids.setdefault(s, len(term_ids)))
                title_doc.append(n)
            lengths.append(sum(tf.values()))
            for s, count in tf.items():
                post_term.append(term_ids.setdefault(s, len(term_ids)))
                post_doc.append(n)
                post_tf.append(count)

        self.size = len(ids)
        self.ids = np.array(ids, dtype=np.int64)
        self.position = {int(i): n for n, i in enumerate(ids)}
        self.kinds = np.array(kinds, dtype=np.int8)
        self.audiences = np.array(aud, dtype=np.int64)
        self.national = np.array(nat, dtype=bool)
        self.no_territory = np.array(no_territory, dtype=bool)
        self.region_whole = np.array(reg_whole, dtype=np.int64)
        self.region_touch = np.array(reg_touch, dtype=np.int64)
        self.dept_docs = {code: np.array(docs, dtype=np.int64) for code, docs in dept_docs.items()}
        self.opens, self.deadline = np.array(opens), np.array(deadline)
        self.starts, self.ends = np.array(starts), np.array(ends)
        self.yearly = np.array(yearly, dtype=bool)
        self.key_month = np.array(key_month, dtype=np.int8)
        self.amount_min, self.amount_max = np.array(amin), np.array(amax)
        self.spending = np.array(spending, dtype=bool)
        # Time window of each item: from opening (or start) to deadline (or end, whichever is later); a call for
        # summer events belongs to the summer too. Unbounded for items with no dates.
        has_deadline = ~np.isnan(self.deadline)
        with np.errstate(invalid="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)       # all-NaN rows: no dates at all
            self.window_lo = np.nan_to_num(np.nanmin(np.vstack([self.opens, self.starts]), axis=0), nan=-np.inf)
            self.window_hi = np.nan_to_num(np.nanmax(np.vstack([self.deadline, self.ends]), axis=0), nan=np.inf)
        # The one date that situates an item: its deadline, else its start, else its publication.
        self.key_date = np.where(has_deadline, self.deadline,
                                 np.where(np.isnan(self.starts), np.array(published), self.starts))
        self.is_event = (self.kinds == KIND_CODES[taxonomy.Kind.EVENEMENT]) & ~has_deadline
        self.first_seen = np.array(first_seen)

        # Postings in CSR form: the documents of term t are doc[offsets[t]:offsets[t+1]].
        terms = np.frombuffer(post_term, dtype=np.int32)
        order = np.argsort(terms, kind="stable")
        self.post_doc = np.frombuffer(post_doc, dtype=np.int32)[order].copy()
        tf_arr = np.frombuffer(post_tf, dtype=np.float32)[order]
        length = np.frombuffer(lengths, dtype=np.float32)
        avg = float(length.mean()) if self.size else 1.0
        norm = K1 * (1 - B + B * length[self.post_doc] / avg)
        self.post_weight = (tf_arr * (K1 + 1) / (tf_arr + norm)).astype(np.float32)
        counts = np.bincount(terms, minlength=len(term_ids))
        self.offsets = np.concatenate([[0], np.cumsum(counts)])
        t_terms = np.frombuffer(title_term, dtype=np.int32)
        t_order = np.argsort(t_terms, kind="stable")
        self.title_doc = np.frombuffer(title_doc, dtype=np.int32)[t_order].copy()
        self.title_offsets = np.concatenate([[0], np.cumsum(np.bincount(t_terms, minlength=len(term_ids)))])
        self.term_ids = term_ids
        self.idf = {t: math.log(1 + (self.size - counts[i] + 0.5) / (counts[i] + 0.5)) for t, i in term_ids.items()}
        self.parser = QueryParser(vocabulary)

    # --- scoring ------------------------------------------------------------------------------------------------------

    def _title_coverage(self, terms: Sequence[str]) -> np.ndarray:
        """Share of the (known) search words found in each item's title."""
        hits = np.zeros(self.size, dtype=np.float32)
        known = [stem(w) for w in terms if stem(w) in self.term_ids]
        for s in set(known):
            t = self.term_ids[s]
            hits[self.title_doc[self.title_offsets[t]:self.title_offsets[t + 1]]] += 1
        return hits / max(len(set(known)), 1)

    def _text_scores(self, terms: Sequence[str]) -> tuple[np.ndarray, list[str]]:
        """BM25 of every item for the search words; words no item contains are returned as ignored."""
        scores = np.zeros(self.size, dtype=np.float32)
        ignored = []
        for word in terms:
            weighted = [(stem(word), 1.0)] + [(stem(s), SYNONYM_WEIGHT) for s in SYNONYMS.get(word, ())
                                              + SYNONYMS.get(_singular(word), ())]
            found = False
            for s, weight in weighted:
                t = self.term_ids.get(s)
                if t is None:
                    continue
                found = True
                lo, hi = self.offsets[t], self.offsets[t + 1]
                scores[self.post_doc[lo:hi]] += weight * self.idf[s] * self.post_weight[lo:hi]
            if not found:
                ignored.append(word)
        return scores, ignored

    def _territory_mask(self, place: str) -> np.ndarray:
        if place == taxonomy.NATIONAL:
            return self.national.copy()
        mask = self.national | self.no_territory
        if place.startswith("R"):
            mask |= (self.region_touch & REGION_BITS.get(place[1:], 0)) != 0
        else:
            region = taxonomy.territory_region(place)
            mask |= (self.region_whole & REGION_BITS.get(region, 0)) != 0
            docs = self.dept_docs.get(place)
            if docs is not None:
                mask[docs] = True
        return mask

    def _period_mask(self, period: Period, any_year: bool, shift: np.ndarray) -> np.ndarray:
        if any_year:
            return self.key_month == period.month
        start, end = period.start.timestamp(), period.end.timestamp()
        lo, hi, key = self.window_lo + shift, self.window_hi + shift, self.key_date + shift
        with np.errstate(invalid="ignore"):
            overlaps = (lo < end) & (hi >= start)
            if not period.key_date:
                return overlaps
            # "qui ferme en juillet", "avant septembre", "le 24 juin": the deadline, or the event's days
            return np.where(self.is_event, overlaps, (key >= start) & (key < end))

    def _amount_mask(self, amount: int) -> np.ndarray:
        with np.errstate(invalid="ignore"):
            below = self.spending & (self.amount_min > amount)
            above = self.spending & (self.amount_max < amount)
        return ~(below | above)

    def filter_mask(self, u: Understood, *, any_year: bool = False, now: float | None = None) -> np.ndarray:
        mask = np.ones(self.size, dtype=bool)
        if u.kinds:
            mask &= np.isin(self.kinds, [KIND_CODES[k] for k in u.kinds])
        if u.audience:
            mask &= (self.audiences == 0) | ((self.audiences & audience_query_mask(u.audience)) != 0)
        if u.territory:
            mask &= self._territory_mask(u.territory)
        if u.period:
            shift = yearly_shift(self.deadline, self.ends, self.yearly, now) if now is not None else 0.0
            mask &= self._period_mask(u.period, any_year, shift)
        if u.amount is not None:
            mask &= self._amount_mask(u.amount)
        return mask

    def rank(self, u: Understood, now: datetime) -> Ranking:
        t_now = now.timestamp()
        statuses = status_vector(self.opens, self.deadline, self.starts, self.ends, self.yearly, t_now)
        tiers = np.array([TIER[s] for s in STATUS_CODES], dtype=np.int8)[statuses]
        tiers[self.is_event & (tiers == 1)] = 0        # an upcoming event is actionable now: one can register
        text, ignored = self._text_scores(u.terms)
        # Words the base does not know are ignored; when none is left, nothing matches the question's subject
        # ("plongée sous-marine"): better no answer than the filters' answer to another question.
        searched = bool(u.terms)
        notes: list[str] = []
        any_year = False
        mask = self.filter_mask(u, now=t_now)
        if u.period and u.period.month and not (mask & (tiers < 2)).any():
            # "en juin" when June is past everywhere: look at June of earlier years (clearly closed).
            mask = self.filter_mask(u, any_year=True, now=t_now)
            any_year = bool(mask.any())
            if any_year:
                notes.append(texts.NOTE_ANY_YEAR.format(month=u.period.label.split(" ")[1]))
        if searched:
            mask &= text > 0
        candidates = np.flatnonzero(mask)
        if candidates.size == 0:
            return Ranking(candidates, np.zeros(0), np.zeros(0, dtype=np.int8), ignored_terms=ignored, notes=notes,
                           any_year=any_year)
        rel = text[candidates] / text[candidates].max() if searched else np.ones(candidates.size)
        keep = rel >= MIN_RELATIVE_SCORE
        candidates, rel = candidates[keep], rel[keep]
        live = tiers[candidates] < 2
        best_live = rel[live].max() if live.any() else 0.0
        # Closed items come only when no live item matches as well; then they are labelled closed.
        wanted = live | (rel >= max(GOOD_MATCH, best_live * CLOSED_MARGIN))
        closed_only = not live.any() or not bool((rel[live] >= GOOD_MATCH).any())
        candidates, rel = candidates[wanted], rel[wanted]
        score = rel + np.vectorize(TIER_BONUS.get, otypes=[float])(tiers[candidates])
        score += self._urgency(candidates, t_now, closed_only)
        if searched:
            score += TITLE_BONUS * self._title_coverage(u.terms)[candidates]
        if u.audience:
            score += AUDIENCE_BONUS * ((self.audiences[candidates] & audience_query_mask(u.audience)) != 0)
        if u.period:
            key = self.key_date[candidates] + yearly_shift(self.deadline, self.ends, self.yearly, t_now)[candidates]
            with np.errstate(invalid="ignore"):
                score += PERIOD_BONUS * ((key >= u.period.start.timestamp()) & (key < u.period.end.timestamp()))
        order = np.lexsort((self.ids[candidates], -score))
        return Ranking(candidates[order], score[order], statuses[candidates[order]], closed_only, notes, ignored,
                       any_year)

    def _urgency(self, docs: np.ndarray, now: float, closed: bool) -> np.ndarray:
        """Small tie-breaker: soonest deadline or event first; for closed items, the most recent first."""
        key = self.key_date[docs]
        days = np.abs(key - now) / 86400
        return np.where(np.isnan(days), 0.0, 0.05 / (1 + days / (30 if closed else 7)))


def _singular(word: str) -> str:
    return word[:-1] if word.endswith(("s", "x")) and len(word) > 3 else word


def matched_words(o: Indexable, terms: Sequence[str]) -> list[str]:
    """The question's words (or their synonyms) that an item contains, for the "why"."""
    doc = set(stems(" ".join(index_text(o))))
    return [w for w in dict.fromkeys(terms)
            if stem(w) in doc or any(stem(s) in doc for s in SYNONYMS.get(w, ()) + SYNONYMS.get(_singular(w), ()))]
