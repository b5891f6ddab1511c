"""Features are listed once: /help shows a command to exactly the people its use case lets in."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from bot.app import FEATURES
from core.actor import Actor
from core.errors import NotAllowed
from core.policy import Policy, Where
from core.registry import Grant, Person, Role, Unit, UnitKind

LOCALES = Path(__file__).resolve().parents[2] / "locales"
POLICIES = [(name, policy) for f in FEATURES for name, policy in f.core.commands
            if policy.where is Where.HOLDERS]


def _actors() -> list[Actor]:
    """Someone holding each role (or none, or two) in a chat of each kind, and the anonymous
    admin of a group."""
    actors = []
    for i, kind in enumerate(UnitKind):
        unit = Unit(f"u{i}", kind, f"单位{i}", id=i + 1, chat_id=-(i + 1))
        holdings: list[tuple[Role, ...]] = [(), *((r,) for r in Role),
                                            (Role.COMMANDER, Role.HEAD)]
        for roles in holdings:
            grants = tuple(Grant(1, unit.id or 0, r) for r in roles)
            actors.append(Actor(7, unit.chat_id or 0, Person(7, "某人", id=1), unit, grants))
            # the same roles held in another unit do not count here
            elsewhere = tuple(Grant(1, 999, r) for r in roles)
            actors.append(Actor(7, unit.chat_id or 0, Person(7, "某人", id=1), unit, elsewhere))
        actors.append(Actor(None, unit.chat_id or 0, None, unit, anonymous=True))
    actors.append(Actor(7, -999, Person(7, "某人", id=1), None,
                        tuple(Grant(1, 1, r) for r in Role)))
    return actors


@pytest.mark.parametrize(("name", "policy"), POLICIES, ids=[n for n, _ in POLICIES])
def test_help_lists_a_command_to_exactly_those_its_use_case_lets_in(name: str,
                                                                    policy: Policy) -> None:
    for actor in _actors():
        try:
            policy.require(actor)
            let_in = True
        except NotAllowed as refusal:
            let_in = False
            assert refusal.code in ("wrong_chat", "missing_role", "anonymous_admin"), refusal
        assert policy.allows(actor, private=False) is let_in, (name, actor)
        assert policy.allows(actor, private=True) is False


def test_every_command_is_listed_once_with_its_help_in_its_features_catalog() -> None:
    names = [name for f in FEATURES for name, _ in f.core.commands]
    assert len(names) == len(set(names)), names
    for f, locale in itertools.product(FEATURES, ("zh_Hans", "en")):
        catalog = LOCALES / locale / "LC_MESSAGES" / f"{f.core.catalog}.po"
        text = catalog.read_text(encoding="utf-8")
        for name, _ in f.core.commands:
            assert f'msgid "help.cmd.{name}"' in text, (name, catalog)
