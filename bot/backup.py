"""`python -m bot backup FILE`: a consistent copy of the database while the bot runs.

SQLite: SQLite's online backup API, all pages in one step. That step is one read transaction,
so the copy is the database as of one moment; in WAL mode (storage/db.py) a reader never
blocks the bot's writers, so the bot keeps working meanwhile. The copy is written beside FILE,
switched out of WAL (one self-contained file), checked with ``integrity_check``, and only then
renamed to FILE: a failed backup never leaves a half-written FILE.

PostgreSQL: pg_dump does this job (a consistent snapshot, while the bot runs); the command to
use is printed, and the exit status is 2, so a script that expected a file notices.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from bot.setting_values import safe_url

BUSY_MS = 30_000


class BackupRefused(Exception):
    """One line saying why no backup was written; exit status 2."""


@dataclass
class Copied:
    source: Path
    target: Path
    size: int

    def line(self) -> str:
        return (f"backup: {self.source} -> {self.target} ({self.size:,} bytes, "
                "integrity_check ok)")


def pg_dump_advice(url: str, target: Path) -> str:
    parsed = make_url(url)
    plain = URL.create("postgresql", username=parsed.username, host=parsed.host,
                       port=parsed.port, database=parsed.database, query=parsed.query)
    dsn = plain.render_as_string(hide_password=False)
    password = " (password: PGPASSWORD or ~/.pgpass)" if parsed.password else ""
    command = shlex.join(["pg_dump", "--format=custom", "--no-owner", f"--file={target}", dsn])
    return (f"database {safe_url(url)} is PostgreSQL: back it up with pg_dump, which takes a "
            f"consistent snapshot while the bot runs{password}:\n  {command}\n"
            f"restore into an empty database with:\n  "
            f"{shlex.join(['pg_restore', '--no-owner', f'--dbname={dsn}', str(target)])}")


def sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    if not parsed.database or parsed.database == ":memory:":
        raise BackupRefused("the database is in memory: there is nothing to back up")
    return Path(parsed.database)


def backup_sqlite(source: Path, target: Path) -> Copied:
    if not source.exists():
        raise BackupRefused(f"database file {source} does not exist")
    target = target.resolve()
    if target == source.resolve():
        raise BackupRefused("FILE is the database itself; name another file")
    if target.is_dir():
        raise BackupRefused(f"{target} is a folder; name a file")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        src = sqlite3.connect(source, timeout=BUSY_MS / 1000)
        try:
            dst = sqlite3.connect(partial)
            try:
                src.backup(dst)  # all pages in one step: one snapshot
                dst.execute("PRAGMA journal_mode=DELETE")
                verdict = dst.execute("PRAGMA integrity_check").fetchone()[0]
            finally:
                dst.close()
        finally:
            src.close()
        if verdict != "ok":
            raise BackupRefused(f"the copy failed integrity_check: {verdict}")
        with partial.open("rb") as f:
            os.fsync(f.fileno())
        partial.replace(target)
    except sqlite3.Error as e:
        raise BackupRefused(f"backup of {source} failed: {e}") from None
    finally:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
    return Copied(source, target, target.stat().st_size)
