"""Log lines: one per event, as text or as JSON (``RESCUEBOT_LOG_FORMAT=json``), never the token.

Each record carries what it was about when known: the update being handled (bot/polling.py),
the notice being sent (bot/delivery.py) and its incident. These come from context variables
set with ``log_context``, so a log call deep in a handler or in aiogram names its update
without passing it along.

One line per event in both formats: a traceback is kept on the record's line (JSON: the
``exception`` field; text: its lines joined by `` | ``), so a collector never splits an event
and ``grep update_id=42`` finds everything about one update. The token is scrubbed from the
message and the traceback (core/redact.py), and from what Python prints for an exception that
escapes everything (``sys.excepthook``).
"""

from __future__ import annotations

import contextlib
import json
import logging
import sys
import threading
from collections.abc import Iterator
from contextvars import ContextVar
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

from core import redact
from core.notices import Notice

FIELDS = ("update_id", "notice_id", "incident")
_context: dict[str, ContextVar[Any]] = {name: ContextVar(f"log_{name}", default=None)
                                        for name in FIELDS}
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


@contextlib.contextmanager
def log_context(**values: Any) -> Iterator[None]:
    """Names what the lines logged inside are about (update_id, notice_id, incident)."""
    tokens = [(_context[k], _context[k].set(v)) for k, v in values.items() if v is not None]
    try:
        yield
    finally:
        for var, token in reversed(tokens):
            var.reset(token)


def incident_of(notice: Notice) -> int | None:
    """The incident a notice is about, when it says: ``incident_id`` among its parameters,
    or a subject ``incident:<id>``."""
    value = notice.params.get("incident_id")
    if isinstance(value, int):
        return value
    kind, _, number = notice.subject.partition(":")
    return int(number) if kind == "incident" and number.isdigit() else None


def current() -> dict[str, Any]:
    return {k: v.get() for k, v in _context.items() if v.get() is not None}


def _traceback(formatter: logging.Formatter, record: logging.LogRecord) -> str:
    # RedactingFilter has already put a scrubbed traceback in exc_text; scrub again in case
    # this formatter sees a record no filter did.
    text = record.exc_text or (formatter.formatException(record.exc_info)
                               if record.exc_info else "")
    if record.stack_info:
        text = f"{text}\n{record.stack_info}" if text else record.stack_info
    return redact.scrub(text.rstrip("\n"))


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        line = redact.scrub(super().formatMessage(_prepared(self, record)))
        about = " ".join(f"{k}={v}" for k, v in current().items())
        if about:
            line = f"{line} [{about}]"
        trace = _traceback(self, record)
        if trace:
            line = f"{line} | {' | '.join(trace.splitlines())}"
        return line.replace("\n", " | ")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact.scrub(record.getMessage()),
            **current(),
        }
        trace = _traceback(self, record)
        if trace:
            entry["exception"] = trace
        return json.dumps(entry, ensure_ascii=False, default=str)


def _prepared(formatter: logging.Formatter, record: logging.LogRecord) -> logging.LogRecord:
    record.message = record.getMessage()
    record.asctime = formatter.formatTime(record)
    return record


def formatter(kind: str) -> logging.Formatter:
    return JsonFormatter() if kind == "json" else TextFormatter()


def setup(level: str, kind: str = "text") -> None:
    """The root logger writes one line per event to stderr, scrubbed; called once by main().

    Like logging.basicConfig, it leaves a root logger that already has handlers (a program
    embedding the bot, pytest's capture) to its owner, and only scrubs what they write."""
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(formatter(kind))
        root.addHandler(handler)
        root.setLevel(level)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    if level != "DEBUG":  # a line per sweep every few seconds buries the rest
        logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.captureWarnings(True)
    redact.install()
    sys.excepthook = _scrubbed_excepthook
    threading.excepthook = _scrubbed_thread_hook


def _scrubbed_thread_hook(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is not None:
        _scrubbed_excepthook(args.exc_type, args.exc_value, args.exc_traceback)


def _scrubbed_excepthook(kind: type[BaseException], error: BaseException,
                         tb: TracebackType | None) -> None:
    """What escapes everything is printed by Python itself, outside logging: scrubbed too."""
    import traceback

    text = "".join(traceback.format_exception(kind, error, tb))
    sys.stderr.write(redact.scrub(text))
