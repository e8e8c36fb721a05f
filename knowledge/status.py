"""Where an opportunity stands at a given moment: open, ongoing, upcoming, available or closed.

One rule for every kind: a deadline decides for calls; event dates decide for events and dated resources; with
neither, the item is available (offers, permanent resources). A yearly item whose dates are past is projected onto
its next edition, marked as estimated.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import numpy as np

from knowledge.models import Opportunity
from knowledge.taxonomy import Recurrence
from knowledge.timeutil import PARIS


class Status(StrEnum):
    OPEN = "open"            # a call accepting applications
    ONGOING = "ongoing"      # an event happening now
    UPCOMING = "upcoming"    # not open yet / not started yet
    AVAILABLE = "available"  # no dates: an offer or a resource
    CLOSED = "closed"        # deadline passed / event over


# Ranking tiers: what can be acted on now, then what is coming, then the past.
TIER = {Status.OPEN: 0, Status.ONGOING: 0, Status.AVAILABLE: 0, Status.UPCOMING: 1, Status.CLOSED: 2}
STATUS_CODES = list(Status)   # position = code in the vectorised form


@dataclass(frozen=True)
class Timing:
    status: Status
    opens_at: datetime | None
    deadline: datetime | None
    starts_at: datetime | None
    ends_at: datetime | None
    estimated: bool = False    # dates projected from a past edition of a yearly item


def _event_end(starts_at: datetime | None, ends_at: datetime | None) -> datetime | None:
    if ends_at is not None:
        return ends_at
    if starts_at is not None:   # a one-day date: over at the end of that Paris day
        local = starts_at.astimezone(PARIS)
        return (local.replace(hour=23, minute=59, second=0, microsecond=0)).astimezone(starts_at.tzinfo)
    return None


def _status(opens_at, deadline, starts_at, ends_at, now: datetime) -> Status:
    if deadline is not None:
        if now > deadline:
            return Status.CLOSED
        return Status.UPCOMING if opens_at is not None and now < opens_at else Status.OPEN
    end = _event_end(starts_at, ends_at)
    if end is not None:
        if now > end:
            return Status.CLOSED
        return Status.ONGOING if starts_at is None or now >= starts_at else Status.UPCOMING
    return Status.AVAILABLE


def _shift_years(dt: datetime | None, years: int) -> datetime | None:
    if dt is None:
        return None
    local = dt.astimezone(PARIS)
    try:
        moved = local.replace(year=local.year + years)
    except ValueError:          # 29 February
        moved = local.replace(year=local.year + years, day=28)
    return moved.astimezone(dt.tzinfo)


def timing(opp: Opportunity, now: datetime) -> Timing:
    dates = (opp.opens_at, opp.deadline, opp.starts_at, opp.ends_at)
    status = _status(*dates, now)
    if status is Status.CLOSED and opp.recurrence == Recurrence.YEARLY:
        years = 1
        while _status(*(_shift_years(d, years) for d in dates), now) is Status.CLOSED and years < 100:
            years += 1
        shifted = tuple(_shift_years(d, years) for d in dates)
        return Timing(_status(*shifted, now), *shifted, estimated=True)
    return Timing(status, *dates)


# --- vectorised form, for ranking thousands of items per question -------------------------------------------------

YEAR_SECONDS = 365.2425 * 86400


def status_vector(opens: np.ndarray, deadline: np.ndarray, starts: np.ndarray, ends: np.ndarray,
                  yearly: np.ndarray, now: float) -> np.ndarray:
    """Status codes (index in STATUS_CODES) for arrays of POSIX timestamps (NaN = no date).

    `ends` must already hold the end of the start day for one-day events (see event_end_ts). Yearly items are
    projected by whole years, as `timing` does, within a day's precision.
    """
    closed = _closed(deadline, ends, now)
    if yearly.any():
        shift = yearly_shift(deadline, ends, yearly, now)
        opens, deadline, starts, ends = opens + shift, deadline + shift, starts + shift, ends + shift
        closed = _closed(deadline, ends, now)
    has_deadline = ~np.isnan(deadline)
    has_event = ~has_deadline & ~np.isnan(ends)
    code = np.full(opens.shape, STATUS_CODES.index(Status.AVAILABLE), dtype=np.int8)
    code[has_deadline] = STATUS_CODES.index(Status.OPEN)
    code[has_deadline & (now < opens)] = STATUS_CODES.index(Status.UPCOMING)
    code[has_event] = STATUS_CODES.index(Status.ONGOING)
    code[has_event & (now < starts)] = STATUS_CODES.index(Status.UPCOMING)
    code[closed] = STATUS_CODES.index(Status.CLOSED)
    return code


def yearly_shift(deadline: np.ndarray, ends: np.ndarray, yearly: np.ndarray, now: float) -> np.ndarray:
    """Seconds to add to a yearly item's dates to reach its next edition (0 for the others and the current)."""
    anchor = np.where(np.isnan(deadline), ends, deadline)
    with np.errstate(invalid="ignore"):
        years = np.where(yearly & (anchor < now), np.ceil((now - anchor) / YEAR_SECONDS), 0)
    return np.nan_to_num(years) * YEAR_SECONDS


def _closed(deadline: np.ndarray, ends: np.ndarray, now: float) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return np.where(np.isnan(deadline), ends < now, deadline < now)


def event_end_ts(starts_at: datetime | None, ends_at: datetime | None) -> float:
    end = _event_end(starts_at, ends_at)
    return float("nan") if end is None else end.timestamp()


def ts(dt: datetime | None) -> float:
    return float("nan") if dt is None else dt.timestamp()


def days_between(a: datetime, b: datetime) -> int:
    """Whole calendar days from a to b in Paris time."""
    return (b.astimezone(PARIS).date() - a.astimezone(PARIS).date()).days

