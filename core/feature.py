"""A feature, as core knows it: its commands with who may use them, what must happen when one
of its notices cannot be delivered, and its catalog of texts. The composition root lists the
features; nothing registers itself by being imported."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field

from core.actor import Actor
from core.notices import Notice
from core.policy import Policy
from core.ports import UnitOfWork

# What else must happen when a feature's notice is lost, keyed by the kind of its subject
# ("order:12" -> "order": tell the plan's dispatcher).
FailureHook = Callable[[UnitOfWork, Notice, str], Awaitable[None]]


@dataclass(frozen=True)
class Feature:
    name: str
    catalog: str  # locales/<language>/LC_MESSAGES/<catalog>.po
    commands: tuple[tuple[str, Policy], ...] = ()  # in the order /help lists them
    failure_hooks: Mapping[str, FailureHook] = field(default_factory=dict)


def allowed_commands(features: Iterable[Feature], actor: Actor, private: bool) -> list[str]:
    return [name for f in features for name, policy in f.commands
            if policy.allows(actor, private)]


def failure_hooks(features: Iterable[Feature]) -> dict[str, FailureHook]:
    return {kind: hook for f in features for kind, hook in f.failure_hooks.items()}
