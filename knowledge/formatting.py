"""French formatting of dates, times, amounts and durations (babel), always in Paris time."""
from __future__ import annotations

from datetime import datetime, timedelta

from babel.dates import format_date as _format_date
from babel.dates import format_datetime as _format_datetime
from babel.dates import format_timedelta
from babel.numbers import format_currency

from knowledge.timeutil import PARIS

LOCALE = "fr_FR"


def _day(dt: datetime) -> str:
    """French writes the first of the month "1er"."""
    day = dt.astimezone(PARIS).day
    return "1er" if day == 1 else str(day)


def date_long(dt: datetime) -> str:
    """"jeudi 24 juin 2021", "mardi 1er juin 2021"."""
    local = dt.astimezone(PARIS).date()
    return _format_date(local, f"EEEE '{_day(dt)}' MMMM y", locale=LOCALE)


def date_short(dt: datetime) -> str:
    """"24 juin 2021"."""
    return _format_date(dt.astimezone(PARIS).date(), f"'{_day(dt)}' MMMM y", locale=LOCALE)


def datetime_long(dt: datetime) -> str:
    """"jeudi 24 juin 2021 à 14:30"."""
    return _format_datetime(dt, f"EEEE '{_day(dt)}' MMMM y 'à' HH:mm", tzinfo=PARIS, locale=LOCALE)


def time_of_day(dt: datetime) -> str:
    return _format_datetime(dt, "HH:mm", tzinfo=PARIS, locale=LOCALE)


def amount(euros: int | float) -> str:
    """"20 000 €" (narrow no-break space between thousands, no-break space before the sign)."""
    return format_currency(euros, "EUR", format="#,##0\u00a0¤", locale=LOCALE, currency_digits=False)


def in_duration(delta: timedelta) -> str:
    """"dans 8 jours" / "il y a 3 jours"."""
    if abs(delta) < timedelta(days=1):
        return format_timedelta(delta, locale=LOCALE, threshold=2, granularity="minute", add_direction=True)
    return format_timedelta(delta, locale=LOCALE, threshold=3.5, granularity="day", add_direction=True)
