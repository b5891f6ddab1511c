"""Waiting out a busy or restarting database: bounded retries with backoff, one log line a wait."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from storage.db import is_transient

log = logging.getLogger(__name__)
T = TypeVar("T")


async def retrying(what: str, attempt: Callable[[], Awaitable[T]], tries: int = 12,
                   base: float = 0.1, cap: float = 5.0) -> T:
    """Run ``attempt`` (which must open and commit its own unit of work, so that a failed try
    left nothing behind) until it succeeds or fails for a reason waiting will not cure.

    With the defaults a lock or an outage of about 40 s is waited out; after that the error
    goes up to the caller, who keeps the work for later (the inbox, the outbox)."""
    waited = False
    for n in range(tries):
        try:
            result = await attempt()
        except Exception as e:
            if not is_transient(e) or n == tries - 1:
                raise
            if not waited:
                log.warning("%s: database busy or unreachable (%s); waiting", what,
                            _short(e))
                waited = True
            await asyncio.sleep(min(cap, base * 2**n))
        else:
            if waited:
                log.info("%s: database answers again", what)
            return result
    raise AssertionError("unreachable")


def _short(error: BaseException) -> str:
    text = str(getattr(error, "orig", None) or error).splitlines()[0] if str(error) else ""
    return f"{type(error).__name__}: {text[:120]}"
