"""Checks of single setting values; each raises ValueError with the words a person needs.

Kept apart from the model so settings.py reads as the list of settings it is.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urlsplit

from apscheduler.triggers.cron import CronTrigger
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
_DAY = re.compile(r"^\s*(\d{1,2})-(\d{1,2})\s*$")
_DRIVERS = {"sqlite": "aiosqlite", "postgresql": "asyncpg"}
_URL_HELP = "use sqlite+aiosqlite:///path/to/file.db or postgresql+asyncpg://user:password@host/db"


def split_ids(value: object) -> object:
    """`11111111,22222222` (or with spaces or ';') -> [11111111, 22222222]."""
    if isinstance(value, int):
        return [value]
    if not isinstance(value, str):
        return value
    parts = [p for p in value.replace(";", ",").replace(" ", ",").split(",") if p]
    for part in parts:
        if not part.isdigit():
            raise ValueError(f"{part!r} is not a Telegram user id (digits only)")
    return [int(p) for p in parts]


def check_cron(value: str) -> str:
    try:
        trigger = CronTrigger.from_crontab(value, timezone=UTC)
    except ValueError as e:
        raise ValueError(f"not a cron expression {value!r} ({e}); "
                         "five fields: minute hour day month weekday") from None
    if trigger.get_next_fire_time(None, datetime.now(UTC)) is None:
        raise ValueError(f"the cron expression {value!r} never fires")
    return value


def check_season(value: str) -> str:
    """`6-1..9-30` -> `06-01..09-30`; empty means no flood season."""
    if not value.strip():
        return ""
    start, dots, end = value.partition("..")
    days = [_month_day(start), _month_day(end)] if dots else [None]
    if None in days:
        raise ValueError(f"{value!r} is not a month-day range like 06-01..09-30 (empty: none)")
    first, last = days
    assert first is not None and last is not None
    if first > last:
        raise ValueError(f"{value!r} ends before it starts; the season lies within one year")
    return f"{first:%m-%d}..{last:%m-%d}"


def _month_day(text: str) -> date | None:
    match = _DAY.match(text)
    if match is None:
        return None
    try:
        return date(2024, int(match[1]), int(match[2]))  # a leap year: 02-29 is a day
    except ValueError:
        return None


def check_api_url(value: str) -> str:
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"must start with https:// or http:// and name a host (got {value!r})")
    return value.strip().rstrip("/")


def check_proxy(value: str | None) -> str | None:
    from aiohttp_socks.utils import parse_proxy_url  # type: ignore[attr-defined]

    if value is None or not value.strip():
        return None
    try:
        parse_proxy_url(value.strip())
    except ValueError:
        raise ValueError("must be http://host:port, socks4://host:port or socks5://host:port, "
                         f"with user:password@ before the host if needed (got "
                         f"{safe_url(value)!r})") from None
    return value.strip()


def check_database_url(value: object) -> object:
    """Names the async driver when left out, and makes a relative SQLite path absolute."""
    if not isinstance(value, str):
        return value
    try:
        url = make_url(value.strip())
    except ArgumentError:
        raise ValueError(f"not a database URL; {_URL_HELP}") from None
    backend, driver = url.get_backend_name(), url.get_driver_name()
    if backend not in _DRIVERS:
        raise ValueError(f"{backend!r} is not supported; {_URL_HELP}")
    wanted = _DRIVERS[backend]
    if "+" in url.drivername and driver != wanted:
        raise ValueError(f"the driver {driver!r} is not supported; {_URL_HELP}")
    url = url.set(drivername=f"{backend}+{wanted}")
    if backend == "sqlite":
        url = _absolute_sqlite(url)
    elif not url.database:
        raise ValueError(f"names no database; {_URL_HELP}")
    return url.render_as_string(hide_password=False)


def _absolute_sqlite(url: URL) -> URL:
    if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
        return url
    return url.set(database=str(Path(url.database).expanduser().absolute()))


def safe_url(value: str) -> str:
    """A URL fit for a log line: the password, if any, replaced by ***."""
    parts = urlsplit(value)
    if parts.password is None:
        return value
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()
