"""Keeps the bot's token out of every log line and every error written to the database.

The Bot API puts the token in each request's path (``/bot<token>/sendMessage``), so any error
that quotes a URL quotes the token. ``scrub`` removes both the secrets named at start and any
``bot<id>:<secret>`` path segment, so an error from a token never registered is clean too.
"""

from __future__ import annotations

import logging
import re

# The colon may come percent-encoded (%3A) when a URL was quoted on its way into a message.
_BOT_PATH = re.compile(r"bot\d+(?::|%3[Aa])[A-Za-z0-9_-]+")
_secrets: set[str] = set()
HIDDEN = "***"


def remember(secret: str) -> None:
    """Names a secret to be removed from every text ``scrub`` sees from now on."""
    if secret.strip():
        _secrets.add(secret.strip())


def scrub(text: str) -> str:
    for secret in sorted(_secrets, key=len, reverse=True):
        text = text.replace(secret, HIDDEN)
    return _BOT_PATH.sub("bot" + HIDDEN, text)


class RedactingFilter(logging.Filter):
    """Scrubs a record's final message and its traceback before any handler formats it."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: the handler reports it, as without us
            return True
        clean = scrub(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        return True


def install(logger: logging.Logger | None = None) -> None:
    """Puts the filter on every handler of ``logger`` (the root by default), once.

    Handler filters, unlike logger filters, see the records every child logger propagates.
    """
    for handler in (logger or logging.getLogger()).handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())
