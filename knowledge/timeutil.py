"""Europe/Paris is the only local time of the product; the database keeps UTC."""
from __future__ import annotations

from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
END_OF_DAY = time(23, 59)


def paris(dt: datetime) -> datetime:
    return dt.astimezone(PARIS)


def at_paris(day: date, at: time = time(0, 0)) -> datetime:
    """An aware UTC datetime for a Paris wall-clock time."""
    return datetime.combine(day, at, tzinfo=PARIS).astimezone(timezone.utc)


def parse_local(value: object, *, end_of_day: bool = False) -> datetime | None:
    """Read a Paris date or date-time ("2021-07-09", "2021-06-24T14:30", date, datetime) as aware UTC.

    A bare date means the start of the day, or 23:59 when `end_of_day` (deadlines, event ends).
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=PARIS)).astimezone(timezone.utc)
    if isinstance(value, date):
        return at_paris(value, END_OF_DAY if end_of_day else time(0, 0))
    text = str(value).strip().replace(" ", "T", 1)
    if len(text) == 10:
        return at_paris(date.fromisoformat(text), END_OF_DAY if end_of_day else time(0, 0))
    return parse_local(datetime.fromisoformat(text))


def today_at_noon(day: date) -> datetime:
    """The `--today` of the CLI: noon in Paris, so "today" is unambiguous whatever the hour."""
    return at_paris(day, time(12, 0))
