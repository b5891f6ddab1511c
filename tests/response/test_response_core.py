"""The response's rules without any adapter: levels as people write them, what a change is
called, the levels' effects and the settings that change them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.configs import response_config
from bot.settings import SettingsError, load_settings
from core.errors import DomainError
from core.registry import Role, UnitKind
from core.response.config import ResponseConfig
from core.response.model import Effects, Level, Proposal, Response, Side
from core.response.notices import change_text, effect_lines
from core.response.parse import parse_level, parse_respond
from core.response.policies import PROPOSE, SIDES

T0 = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)


@pytest.mark.parametrize(("word", "level"), [
    ("Ⅳ", Level.IV), ("4", Level.IV), ("IV", Level.IV), ("iv", Level.IV), ("Ⅳ级", Level.IV),
    ("Ⅲ", Level.III), ("III", Level.III), ("3", Level.III),
    ("Ⅱ", Level.II), ("ii", Level.II), ("Ⅰ", Level.I), ("I", Level.I), ("1", Level.I),
    ("终止", Level.NONE), ("end", Level.NONE), ("END", Level.NONE)])
def test_levels_as_people_write_them(word: str, level: Level) -> None:
    assert parse_level(word) is level


@pytest.mark.parametrize("word", ["Ⅴ", "5", "0", "V", "一般", "", "Ⅳ" * 5000])
def test_what_is_not_a_level(word: str) -> None:
    with pytest.raises(DomainError) as refused:
        parse_level(word)
    assert refused.value.code == "response_bad_level"


@pytest.mark.parametrize("args", ["", "  ", "12", "12 Ⅳ extra", "12 Ⅳ " + "水" * 5000])
def test_the_line_has_two_words(args: str) -> None:
    with pytest.raises(DomainError) as refused:
        parse_respond(args)
    assert refused.value.code == "usage"


def test_the_line() -> None:
    assert parse_respond(" #12  Ⅱ ") == ("#12", Level.II)


def test_ranks_and_scope() -> None:
    assert [lv.rank for lv in (Level.NONE, Level.IV, Level.III, Level.II, Level.I)] == [
        0, 1, 2, 3, 4]
    assert {lv for lv in Level if lv.county_wide} == {Level.I, Level.II}
    assert Side.BUREAU.other is Side.BRIGADE and Side.BRIGADE.kind is UnitKind.BRIGADE


def _proposal(level: Level, was: Level) -> Proposal:
    return Proposal(1, level, was, Side.BRIGADE, 1, "周海涛", T0, T0 + timedelta(minutes=5))


@pytest.mark.parametrize(("level", "was", "kind"), [
    (Level.IV, Level.NONE, "start"), (Level.II, Level.IV, "raise"),
    (Level.III, Level.I, "lower"), (Level.NONE, Level.II, "end")])
def test_what_a_change_is_called(level: Level, was: Level, kind: str) -> None:
    assert change_text(_proposal(level, was))["_t"] == f"response.change.{kind}"


def test_the_two_sides_and_who_may_propose() -> None:
    assert set(PROPOSE.holders) == {(UnitKind.BUREAU, Role.APPROVER),
                                    (UnitKind.BUREAU, Role.HEAD),
                                    (UnitKind.BRIGADE, Role.COMMANDER)}
    assert set(SIDES[Side.BRIGADE].holders) == {(UnitKind.BRIGADE, Role.COMMANDER)}


def test_default_effects() -> None:
    cfg = ResponseConfig()
    assert cfg.confirm == timedelta(seconds=300)
    assert cfg.of(Level.IV) == Effects(rollcall=True)
    assert cfg.of(Level.III) == Effects(rollcall=True, order_remind_minutes=10)
    assert cfg.of(Level.II) == cfg.of(Level.I) == Effects(True, True, 5)
    assert cfg.of(Level.NONE) == Effects()


def test_settings_change_the_effects_per_level(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RESCUEBOT_RESPONSE__CONFIRM_SECONDS", "120")
    monkeypatch.setenv("RESCUEBOT_RESPONSE__LEVEL_4__ROLLCALL", "false")
    monkeypatch.setenv("RESCUEBOT_RESPONSE__LEVEL_3__DAILY_ROLLCALL", "true")
    monkeypatch.setenv("RESCUEBOT_RESPONSE__LEVEL_3__ORDER_REMIND_MINUTES", "15")
    cfg = response_config(load_settings())
    assert cfg.confirm == timedelta(seconds=120)
    assert cfg.of(Level.IV) == Effects(rollcall=False)
    assert cfg.of(Level.III) == Effects(True, True, 15)
    assert cfg.of(Level.I) == Effects(True, True, 5)


@pytest.mark.parametrize(("name", "value"), [
    ("RESCUEBOT_RESPONSE__CONFIRM_SECONDS", "0"),
    ("RESCUEBOT_RESPONSE__LEVEL_2__ORDER_REMIND_MINUTES", "-1"),
    ("RESCUEBOT_RESPONSE__LEVEL_1__ROLLCALL", "maybe")])
def test_bad_settings_stop_the_start_naming_them(monkeypatch: pytest.MonkeyPatch, name: str,
                                                 value: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as stopped:
        load_settings()
    assert name in str(stopped.value)


def test_effect_lines_follow_the_level() -> None:
    started = Response(1, Level.II, T0, 1, daily_rollcall=True, order_remind_minutes=5,
                       rollcall_id=7)
    keys = [line["_t"] for line in effect_lines(started, 12)]
    assert keys == ["response.effect.rollcall", "response.effect.daily",
                    "response.effect.remind"]
    assert [line["_t"] for line in effect_lines(Response(1, Level.NONE, T0, 2), 0)] == [
        "response.effect.ended"]
