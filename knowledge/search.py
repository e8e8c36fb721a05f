"""Ranked answers to French questions over the knowledge base.

BM25 over accent-folded French stems (title words count three times, summary words twice), misspelt words
repaired by the parser, then the filters read from the question as vectorised masks, then status: what can be
acted on first, upcoming next; closed items only when nothing else matches, and labelled as such.
"""
from __future__ import annotations

import math
from array import array
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Iterable, Protocol, Sequence

import numpy as np

from knowledge import taxonomy, texts
from knowledge.query import SYNONYMS, Period, QueryParser, Understood
from knowledge.status import STATUS_CODES, TIER, Status, event_end_ts, status_vector, ts
from knowledge.text import stem, stems, words
from knowledge.timeutil import PARIS

K1, B = 1.2, 0.75
TITLE_WEIGHT, SUMMARY_WEIGHT = 3, 2
SYNONYM_WEIGHT = 0.5
MIN_RELATIVE_SCORE = 0.2
GOOD_MATCH = 0.5          # relative text score under which a live item does not hide closed ones
TIER_BONUS = {0: 0.5, 1: 0.25, 2: 0.0}
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


def index_text(o: Indexable) -> tuple[str, str, str]:
    """Title, summary, and the rest (description, organiser, theme names) as indexed."""
    theme_names = " ".join(taxonomy.THEMES[t].label for t in o.themes if t in taxonomy.THEMES)
    return o.title, o.summary or "", " ".join(filter(None, [o.description, o.organiser, theme_names,
                                                          taxonomy.KIND_LABELS.get(o.kind, "")]))


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


class SearchIndex:
    def __init__(self, items: Iterable[Indexable]):
        ids, kinds, aud, nat, reg_whole, reg_touch, no_territory = [], [], [], [], [], [], []
        opens, deadline, starts, ends, yearly, key_month, first_seen = [], [], [], [], [], [], []
        amin, amax, spending = [], [], []
        dept_docs: dict[str, list[int]] = {}
        term_ids: dict[str, int] = {}
        post_term, post_doc, post_tf = array("i"), array("i"), array("f")
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
            key = o.deadline or o.starts_at
            key_month.append(key.astimezone(PARIS).month if key else 0)
            first_seen.append(ts(o.first_seen_at))
            amin.append(np.nan if o.amount_min is None else o.amount_min)
            amax.append(np.nan if o.amount_max is None else o.amount_max)
            spending.append(o.amount_basis == taxonomy.AmountBasis.SPENDING)

            tf: Counter[str] = Counter()
            for weight, text in zip((TITLE_WEIGHT, SUMMARY_WEIGHT, 1), index_text(o)):
                for w in words(text):
                    vocabulary.add(w)
                for s in stems(text):
                    tf[s] += weight
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
        # Time window of each item: [opening, deadline] for calls, [start, end] for events, unbounded otherwise.
        has_deadline = ~np.isnan(self.deadline)
        self.window_lo = np.where(has_deadline, np.nan_to_num(self.opens, nan=-np.inf),
                                  np.nan_to_num(self.starts, nan=-np.inf))
        self.window_hi = np.where(has_deadline, self.deadline, np.nan_to_num(self.ends, nan=np.inf))
        self.key_date = np.where(has_deadline, self.deadline, self.starts)
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
        self.term_ids = term_ids
        self.idf = {t: math.log(1 + (self.size - counts[i] + 0.5) / (counts[i] + 0.5)) for t, i in term_ids.items()}
        self.parser = QueryParser(vocabulary)

    # --- scoring ------------------------------------------------------------------------------------------------------

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

    def _period_mask(self, period: Period, any_year: bool) -> np.ndarray:
        if any_year:
            return self.key_month == period.month
        with np.errstate(invalid="ignore"):
            return (self.window_lo < period.end.timestamp()) & (self.window_hi >= period.start.timestamp())

    def _amount_mask(self, amount: int) -> np.ndarray:
        with np.errstate(invalid="ignore"):
            below = self.spending & (self.amount_min > amount)
            above = self.spending & (self.amount_max < amount)
        return ~(below | above)

    def filter_mask(self, u: Understood, *, any_year: bool = False) -> np.ndarray:
        mask = np.ones(self.size, dtype=bool)
        if u.kinds:
            mask &= np.isin(self.kinds, [KIND_CODES[k] for k in u.kinds])
        if u.audience:
            mask &= (self.audiences == 0) | ((self.audiences & audience_query_mask(u.audience)) != 0)
        if u.territory:
            mask &= self._territory_mask(u.territory)
        if u.period:
            mask &= self._period_mask(u.period, any_year)
        if u.amount is not None:
            mask &= self._amount_mask(u.amount)
        return mask

    def rank(self, u: Understood, now: datetime) -> Ranking:
        statuses = status_vector(self.opens, self.deadline, self.starts, self.ends, self.yearly, now.timestamp())
        tiers = np.array([TIER[s] for s in STATUS_CODES], dtype=np.int8)[statuses]
        text, ignored = self._text_scores(u.terms)
        searched = bool(u.terms)   # words none of which the base knows: no match, not "anything goes"
        notes: list[str] = []
        mask = self.filter_mask(u)
        if u.period and u.period.month and not (mask & (tiers < 2)).any():
            # "en juin" when June is past everywhere: look at June of earlier years (clearly closed).
            mask = self.filter_mask(u, any_year=True)
            if mask.any():
                notes.append(texts.NOTE_ANY_YEAR.format(month=u.period.label.split(" ")[1]))
        if searched:
            mask &= text > 0
        candidates = np.flatnonzero(mask)
        if candidates.size == 0:
            return Ranking(candidates, np.zeros(0), np.zeros(0, dtype=np.int8), ignored_terms=ignored, notes=notes)
        if searched:
            rel = text[candidates] / text[candidates].max()
            keep = rel >= MIN_RELATIVE_SCORE
            candidates, rel = candidates[keep], rel[keep]
        else:
            rel = np.ones(candidates.size)
        cand_tiers = tiers[candidates]
        live = cand_tiers < 2
        # Closed items only when nothing live matches well: then they come too, labelled closed.
        closed_only = not bool((live & (rel >= GOOD_MATCH)).any())
        if not closed_only:
            candidates, rel, cand_tiers = candidates[live], rel[live], cand_tiers[live]
        score = rel + np.vectorize(TIER_BONUS.get, otypes=[float])(cand_tiers)
        score += self._urgency(candidates, now.timestamp(), closed_only)
        if u.audience:
            score += 0.1 * ((self.audiences[candidates] & audience_query_mask(u.audience)) != 0)
        if u.period:
            key = self.key_date[candidates]
            with np.errstate(invalid="ignore"):
                score += 0.1 * ((key >= u.period.start.timestamp()) & (key < u.period.end.timestamp()))
        order = np.lexsort((self.ids[candidates], -score))
        return Ranking(candidates[order], score[order], statuses[candidates[order]], closed_only, notes, ignored)

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
    return [w for w in terms
            if stem(w) in doc or any(stem(s) in doc for s in SYNONYMS.get(w, ()) + SYNONYMS.get(_singular(w), ()))]
