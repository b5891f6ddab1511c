"""The traffic-support notice and its answers read right in both languages."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.i18n import Translator
from bot.render import render, visible
from core.dispatch.model import Incident, Level, Plan
from core.registry import Item
from core.traffic.model import ForceVehicles, TrafficRequest, TrafficState
from core.traffic.notices import request_notice

NOW = datetime(2026, 7, 1, 8, 0, tzinfo=UTC)


def _notice(state: TrafficState, forces: int = 1) -> str:
    request = TrafficRequest(3, 5, 7, NOW, state=state, by=1, by_name="杜鹏",
                             at=NOW if state is not TrafficState.PENDING else None,
                             need="K35 塌方" if state is TrafficState.NEEDS else "", id=11,
                             forces=tuple(ForceVehicles(f"队{i}", (Item("消防车", 2),))
                                          for i in range(forces)))
    plan = Plan(5, 9, "郑凯", "任务", NOW, rendezvous="城关大桥北", id=3)
    incident = Incident("化工厂火灾", "", "城关镇", Level.GENERAL, NOW, 9, "郑凯", id=5)
    t = Translator("zh_Hans", ZoneInfo("Asia/Shanghai"))
    zh = visible(render(request_notice(request, plan, incident), t, "zh_Hans").text)
    en = visible(render(request_notice(request, plan, incident), t, "en").text)
    return zh + "\n=====\n" + en


def test_pending_in_both_languages() -> None:
    zh, en = _notice(TrafficState.PENDING).split("\n=====\n")
    assert "【交通保障】事件 #5 化工厂火灾" in zh and "集结地点：城关大桥北" in zh
    assert "• 队0：消防车×2" in zh and "1 支力量" in zh
    assert "1 force is on its way" in en and "• 队0: 消防车 ×2" in en
    _, many = _notice(TrafficState.PENDING, 2).split("\n=====\n")
    assert "2 forces are on their way" in many


def test_answers_show_on_the_notice() -> None:
    zh, en = _notice(TrafficState.NEEDS).split("\n=====\n")
    assert "⚠️ 需协调：K35 塌方（杜鹏，" in zh and "Needs coordination: K35 塌方 (杜鹏" in en
    zh, en = _notice(TrafficState.ARRANGED).split("\n=====\n")
    assert "✅ 已安排（杜鹏，" in zh and "✅ Arranged (杜鹏" in en
