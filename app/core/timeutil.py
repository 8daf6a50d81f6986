"""The simulated clock's units: epoch seconds inside, Beijing time outside.

An instant is an `int` of seconds since the Unix epoch, which is zone-free
and cheap to compare in the feed's hot loop. Anything shown to a person or
written to a report is converted to an aware datetime first.
"""

from __future__ import annotations

import contextlib
import re
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.core.errors import InputError

BEIJING = ZoneInfo("Asia/Shanghai")

_TIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S")
_DURATION_TERM = re.compile(r"(\d+)([dhms])")
_DURATION_WHOLE = re.compile(r"(?:\d+[dhms])+")
_UNIT_SECONDS = {"d": 86400, "h": 3600, "m": 60, "s": 1}


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    """A time zone by IANA name; `KeyError` for an unknown one."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise KeyError(name) from error


def to_bj(ts: int) -> datetime:
    """The instant as an aware datetime in Beijing time."""
    return datetime.fromtimestamp(ts, BEIJING)


def iso(ts: int) -> str:
    """`2026-07-01T09:00:00+08:00`: reports always carry Beijing's offset."""
    return to_bj(ts).isoformat()


def show(ts: int, seconds: bool = False) -> str:
    """`2026-07-01 09:00` in Beijing time, for screens."""
    return to_bj(ts).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def from_datetime(moment: datetime) -> int:
    """Aware datetime -> epoch seconds; a naive one is read as Beijing time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=BEIJING)
    return int(moment.timestamp())


# The simulated clock's range. Wide enough for any practice case, narrow
# enough that no date arithmetic can overflow and that settling every window
# up to the end stays quick (about 0.5 s a century).
MIN_DATE = date(1970, 1, 1)
MAX_DATE = date(2099, 12, 31)
MIN_TS = from_datetime(datetime.combine(MIN_DATE, time()))
MAX_TS = from_datetime(datetime.combine(MAX_DATE, time(23, 59, 59)))
RANGE_TEXT = f"{MIN_DATE} to {MAX_DATE}"


def in_range(ts: int) -> bool:
    return MIN_TS <= ts <= MAX_TS


def parse_time(value: object, where: str) -> int:
    """A scenario or form time: `YYYY-MM-DD HH:MM[:SS]`, ISO 8601 with an
    offset, or a bare date (00:00). Without an offset it is Beijing time.
    Times outside MIN_DATE..MAX_DATE are refused."""
    try:
        ts = _parse_time(value, where)
    except OverflowError:
        ts = None
    if ts is None or not in_range(ts):
        raise InputError(
            f"{where}: {value!r} is outside the supported times ({RANGE_TEXT})"
        )
    return ts


def _parse_time(value: object, where: str) -> int:
    if isinstance(value, datetime):
        return from_datetime(value)
    if isinstance(value, date):
        return from_datetime(datetime.combine(value, time()))
    if not isinstance(value, str):
        raise InputError(
            f"{where}: expected a time like 2026-07-01 09:00, got {value!r}"
        )
    text = value.strip()
    for layout in _TIME_FORMATS:
        try:
            return from_datetime(datetime.strptime(text, layout))
        except ValueError:
            pass
    try:
        if len(text) == 10:
            return from_datetime(datetime.combine(date.fromisoformat(text), time()))
        return from_datetime(datetime.fromisoformat(text))
    except ValueError:
        raise InputError(
            f"{where}: {value!r} is not a time (use 2026-07-01 09:00, "
            "2026-07-01 09:00:00, 2026-07-01 or ISO 8601 with an offset)"
        ) from None


def parse_date(value: object, where: str) -> date:
    """A calendar date, `YYYY-MM-DD`."""
    if isinstance(value, datetime):
        raise InputError(f"{where}: expected a date like 2026-07-01, got a time")
    day = None
    if isinstance(value, date):
        day = value
    elif isinstance(value, str):
        with contextlib.suppress(ValueError):
            day = date.fromisoformat(value.strip())
    if day is None:
        raise InputError(f"{where}: expected a date like 2026-07-01, got {value!r}")
    if not MIN_DATE <= day <= MAX_DATE:
        raise InputError(
            f"{where}: {day} is outside the supported dates ({RANGE_TEXT})"
        )
    return day


def parse_duration(value: object, where: str) -> int:
    """`90m`, `1d6h`, `30s` -> seconds. Whole numbers, units d h m s only."""
    text = value.strip() if isinstance(value, str) else None
    if not text or not _DURATION_WHOLE.fullmatch(text):
        raise InputError(
            f"{where}: {value!r} is not a duration (use e.g. 90m, 6h, 2d, 1d6h)"
        )
    return sum(
        int(count) * _UNIT_SECONDS[unit] for count, unit in _DURATION_TERM.findall(text)
    )


def parse_clock_time(value: object, where: str) -> time:
    """`16:00` or `23:59:59` -> a wall-clock time."""
    if isinstance(value, int) and not isinstance(value, bool):
        # YAML 1.1 reads an unquoted 16:00 as sexagesimal 960.
        hours, minutes = divmod(value, 60)
        if 0 <= hours < 24:
            return time(hours, minutes)
    if isinstance(value, str):
        try:
            return time.fromisoformat(value.strip())
        except ValueError:
            pass
    raise InputError(f"{where}: expected a time of day like 16:00, got {value!r}")


def day_start(day: date, tz: ZoneInfo) -> int:
    return from_datetime(datetime.combine(day, time(), tz))


def local_date(ts: int, tz: ZoneInfo) -> date:
    return datetime.fromtimestamp(ts, tz).date()


def add_days(day: date, days: int) -> date:
    return day + timedelta(days=days)
