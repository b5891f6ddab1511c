"""One bot per SQLite file: an OS file lock held for the life of the process.

SQLite has one writer at a time and no way for processes to share the work safely (no
``SKIP LOCKED``, no advisory locks), so a second bot on the same file would poll, deliver and
sweep alongside the first: commands run twice, notices arrive twice. It refuses to start
instead. The lock is ``flock`` on ``<database file>.lock`` beside the database; the OS drops it
when the process ends however it ends, so a killed bot never leaves a stale lock.

PostgreSQL takes no lock here: any number of processes share one database, and the work only
one of them may do is given to a leader (storage/leader.py).

Consoles (``migrate``, ``registry import``, ``invite``) take no lock: they are not a second bot.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

from sqlalchemy.engine import make_url


class AlreadyRunning(Exception):
    """Another bot holds the lock on this SQLite file."""


@contextlib.asynccontextmanager
async def hold(url: str) -> AsyncIterator[None]:
    """Takes the lock for a SQLite ``url`` or raises AlreadyRunning; releases it on exit.
    Other databases (PostgreSQL, in-memory SQLite) need none."""
    parsed = make_url(url)
    if (parsed.get_backend_name() == "sqlite" and parsed.database
            and parsed.database != ":memory:"):
        with _file_lock(Path(parsed.database)):
            yield
    else:
        yield


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


@contextlib.contextmanager
def _file_lock(database: Path) -> Iterator[None]:
    path = lock_path(database)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+") as f:
        try:
            fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            f.seek(0)
            holder = f.read().strip()
            raise AlreadyRunning(f"another bot{_pid(holder)} is already running on this "
                                 f"SQLite database (it holds {path})") from None
        f.seek(0)
        f.truncate()
        f.write(f"{os.getpid()}\n")
        f.flush()
        try:
            yield
        finally:
            f.truncate(0)
            fcntl.flock(f.fileno(), fcntl.LOCK_UN)


def _pid(holder: str) -> str:
    return f" (process {holder})" if holder.isdigit() else ""
