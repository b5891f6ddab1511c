"""Start-up work that keeps each update cheap once the bot runs.

Measured with `python -m bench.inbound` (see the README's "Measured" table):
- aiogram validates every answer from Telegram with ``Response[<the method's result type>]``;
  pydantic keeps such parametrized classes only in a weak cache, so between two requests the
  class can be collected and rebuilt, which showed on 13% of the profile's samples under load.
  Holding one of each for the methods the bot calls makes them built once.
- Everything made at start-up (aiogram's types, the catalogs, SQLAlchemy's mappers) is moved
  out of the collector's sight with ``gc.freeze()``, and the youngest generation is collected
  less often, so the frequent collections of a busy minute scan only what handling creates.
"""

from __future__ import annotations

import gc
from typing import Any

from aiogram import methods
from aiogram.methods.base import Response

USED = (methods.GetUpdates, methods.SendMessage, methods.EditMessageText,
        methods.EditMessageReplyMarkup, methods.AnswerCallbackQuery, methods.SendDocument,
        methods.SendPhoto, methods.DeleteMessage, methods.GetMe, methods.SetMyCommands,
        methods.GetChat)
_kept: list[Any] = []


def keep_response_types() -> None:
    if not _kept:
        _kept.extend(Response[m.__returning__] for m in USED)  # type: ignore[name-defined]


def settle_collector() -> None:
    gc.collect()
    gc.freeze()
    threshold0, threshold1, threshold2 = gc.get_threshold()
    gc.set_threshold(max(threshold0, 10_000), threshold1, threshold2)


def warm_up() -> None:
    keep_response_types()
    settle_collector()
