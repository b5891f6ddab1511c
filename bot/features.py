"""A feature, as the bot wires it: core's record, the routers that take its updates, the
steps it adds to the scheduler's sweep and what it adds when orders go out. bot.app lists
them; that list is the whole county."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from aiogram import Router

from bot.configs import Configs
from core.dispatch.hooks import AnswerHook, CloseHook, OrdersHook
from core.feature import Feature
from scheduler.jobs import SweepStep


def _no_steps(configs: Configs) -> Sequence[SweepStep]:
    return ()


def _no_hooks(configs: Configs) -> Sequence[OrdersHook]:
    return ()


def _no_close_hooks(configs: Configs) -> Sequence[CloseHook]:
    return ()


def _no_answer_hooks(configs: Configs) -> Sequence[AnswerHook]:
    return ()


@dataclass(frozen=True)
class BotFeature:
    core: Feature
    routers: Callable[[], Sequence[Router]]
    sweep_steps: Callable[[Configs], Sequence[SweepStep]] = _no_steps
    # What the feature adds when a plan's orders go out (core/dispatch/hooks.py).
    after_orders: Callable[[Configs], Sequence[OrdersHook]] = _no_hooks
    # What the feature does when an incident is closed (the after-action report and lessons).
    after_close: Callable[[Configs], Sequence[CloseHook]] = _no_close_hooks
    # What the feature does when a force answers its order (the compensation record).
    after_answer: Callable[[Configs], Sequence[AnswerHook]] = _no_answer_hooks
