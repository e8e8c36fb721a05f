"""Is an organisation eligible to an opportunity? One verdict and one French reason per criterion.

Criteria: organisation type, territory, project amount, dates, required agreement. The overall verdict is the worst
of them: one "not eligible" decides; otherwise one "to check" makes the whole "to check".
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from knowledge import formatting as fmt
from knowledge import taxonomy, texts
from knowledge.models import Opportunity, Organisation
from knowledge.status import Status, Timing, days_between, timing


class Verdict(StrEnum):
    ELIGIBLE = "eligible"
    TO_CHECK = "to_check"
    NOT_ELIGIBLE = "not_eligible"


_SEVERITY = {Verdict.ELIGIBLE: 0, Verdict.TO_CHECK: 1, Verdict.NOT_ELIGIBLE: 2}


@dataclass(frozen=True)
class Criterion:
    name: str          # "type", "territory", "amount", "dates", "agreement"
    verdict: Verdict
    reason: str        # French, shown to the user


@dataclass(frozen=True)
class Assessment:
    opportunity: Opportunity
    verdict: Verdict
    criteria: tuple[Criterion, ...]
    timing: Timing

    @property
    def reasons(self) -> list[str]:
        return [c.reason for c in self.criteria]


def _audience_plural(codes: list[str]) -> str:
    return ", ".join(taxonomy.AUDIENCES[c].label for c in codes if c in taxonomy.AUDIENCES)


def _type(opp: Opportunity, org: Organisation) -> Criterion:
    if not opp.audiences:
        return Criterion("type", Verdict.TO_CHECK, texts.ELIG_TYPE_UNSTATED)
    if not org.org_type:
        return Criterion("type", Verdict.TO_CHECK, texts.ELIG_TYPE_UNKNOWN.format(audiences=_audience_plural(opp.audiences)))
    label = taxonomy.AUDIENCES[org.org_type].label if org.org_type in taxonomy.AUDIENCES else org.org_type
    mine = set(taxonomy.audience_ancestors(org.org_type))
    if org.esus:
        mine |= set(taxonomy.audience_ancestors("entreprise_esus"))
    matched = [a for a in opp.audiences if a in mine]
    if matched:
        return Criterion("type", Verdict.ELIGIBLE, texts.ELIG_TYPE_OK.format(audience=taxonomy.AUDIENCES[matched[0]].label))
    narrower = [a for a in opp.audiences if org.org_type in taxonomy.audience_ancestors(a)
                and not (a == "entreprise_esus" and org.esus is False)]   # known not to hold the agreement
    if narrower:   # profile "SIAE", call open to "entreprise d'insertion": depends on which SIAE
        return Criterion("type", Verdict.TO_CHECK,
                         texts.ELIG_TYPE_NARROWER.format(type=label, audiences=_audience_plural(narrower)))
    return Criterion("type", Verdict.NOT_ELIGIBLE,
                     texts.ELIG_TYPE_NO.format(type=label, audiences=_audience_plural(opp.audiences)))


def _territory(opp: Opportunity, org: Organisation) -> Criterion:
    labels = ", ".join(taxonomy.territory_label(t) for t in opp.territories)
    if not opp.territories:
        return Criterion("territory", Verdict.TO_CHECK, texts.ELIG_TERRITORY_UNSTATED)
    if taxonomy.NATIONAL in opp.territories:
        return Criterion("territory", Verdict.ELIGIBLE, texts.ELIG_TERRITORY_NATIONAL)
    place = taxonomy.profile_place(org.department, org.region)
    if place is None:
        return Criterion("territory", Verdict.TO_CHECK, texts.ELIG_TERRITORY_UNKNOWN.format(territories=labels))
    where = taxonomy.territory_label(place)
    if any(taxonomy.territory_covers(t, place) for t in opp.territories):
        return Criterion("territory", Verdict.ELIGIBLE, texts.ELIG_TERRITORY_OK.format(place=where, territories=labels))
    if place.startswith("R") and any(taxonomy.territory_region(t) == place[1:] for t in opp.territories):
        return Criterion("territory", Verdict.TO_CHECK, texts.ELIG_TERRITORY_PART.format(territories=labels))
    return Criterion("territory", Verdict.NOT_ELIGIBLE, texts.ELIG_TERRITORY_NO.format(place=where, territories=labels))


def _amount(opp: Opportunity, org: Organisation) -> Criterion | None:
    lo, hi = opp.amount_min, opp.amount_max
    if lo is None and hi is None:
        return None
    if opp.amount_basis == taxonomy.AmountBasis.GRANT:
        return Criterion("amount", Verdict.ELIGIBLE, texts.ELIG_AMOUNT_GRANT.format(amount=texts.amount_line(opp)
                                                                                   .removeprefix("aide ")))
    bounds = texts.amount_range(lo, hi)
    if org.budget is None:
        return Criterion("amount", Verdict.TO_CHECK, texts.ELIG_AMOUNT_UNKNOWN.format(range=bounds))
    budget = fmt.amount(org.budget)
    if lo is not None and org.budget < lo:
        return Criterion("amount", Verdict.NOT_ELIGIBLE, texts.ELIG_AMOUNT_LOW.format(
            budget=budget, min=fmt.amount(lo), range=bounds))
    if hi is not None and org.budget > hi:
        return Criterion("amount", Verdict.NOT_ELIGIBLE, texts.ELIG_AMOUNT_HIGH.format(
            budget=budget, max=fmt.amount(hi), range=bounds))
    return Criterion("amount", Verdict.ELIGIBLE, texts.ELIG_AMOUNT_OK.format(budget=budget, range=bounds))


def _dates(opp: Opportunity, t: Timing, now: datetime) -> Criterion:
    reason = texts.ELIG_DATES.format(status=texts.status_phrase(opp, t, now))
    if t.status is Status.CLOSED:
        return Criterion("dates", Verdict.NOT_ELIGIBLE, reason)
    if t.status is Status.UPCOMING or t.estimated:
        return Criterion("dates", Verdict.TO_CHECK, reason)
    return Criterion("dates", Verdict.ELIGIBLE, reason)


def _agreement(opp: Opportunity, org: Organisation) -> Criterion | None:
    if not opp.requires_esus:
        return None
    if org.esus is None:
        return Criterion("agreement", Verdict.TO_CHECK, texts.ELIG_ESUS_UNKNOWN)
    if org.esus:
        return Criterion("agreement", Verdict.ELIGIBLE, texts.ELIG_ESUS_OK)
    return Criterion("agreement", Verdict.NOT_ELIGIBLE, texts.ELIG_ESUS_NO)


def assess(opp: Opportunity, org: Organisation, now: datetime) -> Assessment:
    t = timing(opp, now)
    criteria = [c for c in (_type(opp, org), _territory(opp, org), _amount(opp, org), _dates(opp, t, now),
                            _agreement(opp, org)) if c is not None]
    verdict = max((c.verdict for c in criteria), key=_SEVERITY.__getitem__)
    return Assessment(opp, verdict, tuple(criteria), t)


def assess_all(opps: list[Opportunity], org: Organisation, now: datetime) -> list[Assessment]:
    """Eligible first, then to check, then not eligible; within each, the soonest deadline or date first."""
    results = [assess(o, org, now) for o in opps]

    def key(a: Assessment):
        when = a.timing.deadline or a.timing.starts_at
        return (_SEVERITY[a.verdict], when is None, abs(days_between(now, when)) if when else 0, a.opportunity.id)

    return sorted(results, key=key)
