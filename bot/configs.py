"""Each feature's knobs, read from the settings once, in the composition root; handlers and
sweep steps are given them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.settings import LOCALES, Settings
from core.afteraction.model import AfterActionConfig
from core.assessment.config import AssessConfig
from core.config import MechanismConfig
from core.dispatch.config import DispatchConfig
from core.mydata.config import DataConfig
from core.response.config import ResponseConfig
from core.response.model import Effects
from core.response.model import Level as ResponseLevel
from core.rollcall.config import RollCallConfig, parse_season
from core.traffic.model import TrafficConfig
from core.warnings.config import WarningConfig
from core.warnings.model import Level


@dataclass(frozen=True)
class Configs:
    mechanism: MechanismConfig
    dispatch: DispatchConfig
    warnings: WarningConfig
    rollcall: RollCallConfig
    traffic: TrafficConfig
    response: ResponseConfig
    after_action: AfterActionConfig
    assess: AssessConfig
    data: DataConfig


def mechanism_config(settings: Settings) -> MechanismConfig:
    return MechanismConfig(
        admin_tg_ids=frozenset(settings.admins),
        invite_ttl=timedelta(hours=settings.invite_ttl_hours),
        locales=LOCALES,
    )


def dispatch_config(settings: Settings) -> DispatchConfig:
    d = settings.dispatch
    return DispatchConfig(
        approval_remind=timedelta(seconds=d.approval_remind_seconds),
        t1=timedelta(seconds=d.escalate_t1_seconds), t2=timedelta(seconds=d.escalate_t2_seconds),
        flood_season=d.flood_season, zone=settings.zone)


def warning_config(settings: Settings) -> WarningConfig:
    s = settings.warnings
    every = {Level.RED: s.remind_red_seconds, Level.ORANGE: s.remind_orange_seconds,
             Level.YELLOW: s.remind_yellow_seconds, Level.BLUE: s.remind_blue_seconds}
    return WarningConfig({k: timedelta(seconds=v) if v > 0 else None for k, v in every.items()},
                         s.reminders_before_report, s.max_valid_hours,
                         timedelta(seconds=s.remind_after_report_seconds)
                         if s.remind_after_report_seconds > 0 else None)


def rollcall_config(settings: Settings) -> RollCallConfig:
    s = settings.rollcall
    return RollCallConfig(s.monthly_cron, s.period_cron, timedelta(minutes=s.answer_minutes),
                          timedelta(minutes=s.grace_minutes), settings.zone,
                          parse_season(settings.dispatch.flood_season),
                          timedelta(minutes=s.spotcheck_minutes))


def _words(value: str) -> tuple[str, ...]:
    return tuple(w.strip() for w in value.split(",") if w.strip())


def traffic_config(settings: Settings) -> TrafficConfig:
    t = settings.traffic
    return TrafficConfig(frozenset(w.lower() for w in _words(t.sectors)),
                         _words(t.vehicle_words))
def response_config(settings: Settings) -> ResponseConfig:
    s = settings.response
    levels = {ResponseLevel.IV: s.level_4, ResponseLevel.III: s.level_3,
              ResponseLevel.II: s.level_2, ResponseLevel.I: s.level_1}
    return ResponseConfig(timedelta(seconds=s.confirm_seconds), {
        level: Effects(e.rollcall, e.daily_rollcall, e.order_remind_minutes)
        for level, e in levels.items()})


def after_action_config(settings: Settings) -> AfterActionConfig:
    r = settings.report
    return AfterActionConfig(lessons_window=timedelta(hours=r.lessons_hours),
                             county=r.county.strip(), locale=settings.locale)
def assess_config(settings: Settings) -> AssessConfig:
    return AssessConfig(settings.zone, settings.assess.monthly_day, settings.locale)


def build_configs(settings: Settings) -> Configs:
    return Configs(mechanism_config(settings), dispatch_config(settings),
                   warning_config(settings), rollcall_config(settings),
                   traffic_config(settings), response_config(settings),
                   after_action_config(settings), assess_config(settings),
                   DataConfig(settings.zone, settings.data.stale_days,
                              reminders=settings.data.reminders))
