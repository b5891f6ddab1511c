"""All settings in one pydantic-settings model, read once in main() and passed down.

Environment variables carry the prefix ``RESCUEBOT_``; nested sections use ``__``
(``RESCUEBOT_DELIVERY__GLOBAL_PER_SECOND=30``). A ``.env`` file in the working folder is read too.
Every value is checked here, at load, so a bad one stops the start with one line naming it
instead of failing later in a sweep or a retry loop.
"""

from __future__ import annotations

from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.setting_values import (
    LOG_LEVELS,
    check_api_url,
    check_cron,
    check_database_url,
    check_proxy,
    check_season,
    split_ids,
)

LOCALES = ("zh_Hans", "en")
Positive = Annotated[float, Field(gt=0)]
Count = Annotated[int, Field(ge=0)]


class DeliverySettings(BaseModel):
    global_per_second: Positive = 30.0
    chat_per_second: Positive = 1.0
    group_per_minute: Annotated[int, Field(gt=0)] = 20
    max_attempts: Annotated[int, Field(gt=0)] = 12
    backoff_base_seconds: Positive = 1.0
    backoff_max_seconds: Positive = 60.0
    undelivered_flag_seconds: Count = 300
    poll_seconds: Positive = 0.5
    concurrency: Annotated[int, Field(gt=0)] = 64
    # Several processes on one PostgreSQL (issue 14): a process claims up to claim_chats chats'
    # queues at a time for lease_seconds; a process that dies leaves them to the others then.
    lease_seconds: Positive = 10.0
    claim_chats: Annotated[int, Field(gt=0)] = 100


class DispatchSettings(BaseModel):
    approval_remind_seconds: Count = 300
    escalate_t1_seconds: Count = 180
    escalate_t2_seconds: Count = 600
    flood_season: str = "06-01..09-30"

    _season = field_validator("flood_season")(check_season)


class WarningSettings(BaseModel):
    remind_red_seconds: Count = 300
    remind_orange_seconds: Count = 600
    remind_yellow_seconds: Count = 1800
    remind_blue_seconds: Count = 0
    reminders_before_report: Count = 3
    remind_after_report_seconds: Count = 3600
    max_valid_hours: Annotated[int, Field(gt=0)] = 168


class RollCallSettings(BaseModel):
    monthly_cron: str = "0 9 1 * *"
    period_cron: str = "0 9 * * *"
    answer_minutes: Annotated[int, Field(gt=0)] = 10
    grace_minutes: Count = 120
    spotcheck_minutes: Annotated[int, Field(gt=0)] = 5

    _cron = field_validator("monthly_cron", "period_cron")(check_cron)


class TrafficSettings(BaseModel):
    # Comma-separated: the registry sectors of the departments asked to open the lanes, and
    # the words that make an equipment item a vehicle (a name containing one of them).
    sectors: str = "police,public_security,transport"
    vehicle_words: str = ("车,艇,舟,船,挖掘机,推土机,装载机,vehicle,truck,boat,ambulance,"
                          "excavator,bulldozer,loader,crane")
class ReportSettings(BaseModel):
    """After-action reports (REPORT__...): how long lessons are taken after a close, and the
    county's name on the cover."""

    lessons_hours: Positive = 48.0
    county: str = ""
class AssessSettings(BaseModel):
    # The day of the month the previous month's assessment goes to the bureau (1-28, so that
    # every month has it; a later day catches up if the bot was down); 0 sends none.
    monthly_day: Annotated[int, Field(ge=0, le=28)] = 1


class DataSettings(BaseModel):
    # A force's data older than this many days is stale: /stale lists it.
    stale_days: Annotated[int, Field(gt=0)] = 90
    # The monthly stale-data and the insurance/health-check reminders (off: /stale only).
    reminders: bool = True


class LevelEffects(BaseModel):
    """What a response level sets going when it starts (RESPONSE__LEVEL_<n>__...)."""

    rollcall: bool = True
    daily_rollcall: bool = False
    order_remind_minutes: Count = 0  # 0: no reminder interval


class ResponseSettings(BaseModel):
    confirm_seconds: Annotated[int, Field(gt=0)] = 300
    level_4: LevelEffects = LevelEffects()
    level_3: LevelEffects = LevelEffects(order_remind_minutes=10)
    level_2: LevelEffects = LevelEffects(daily_rollcall=True, order_remind_minutes=5)
    level_1: LevelEffects = LevelEffects(daily_rollcall=True, order_remind_minutes=5)


class WebhookSettings(BaseModel):
    """WEBHOOK__...: `run --webhook` (issue 14). The URL Telegram posts to (https, behind the
    reverse proxy), the secret Telegram repeats in every request, and where the bot listens."""

    url: str | None = None
    secret: SecretStr | None = None
    host: str = "0.0.0.0"
    port: Annotated[int, Field(gt=0, lt=65536)] = 8080
    path: str = "/telegram"


class MetricsSettings(BaseModel):
    """METRICS__...: /healthz and /metrics while polling (off unless a port is set); with
    --webhook they are served on the webhook's own server."""

    port: Annotated[int, Field(gt=0, lt=65536)] | None = None
    host: str = "127.0.0.1"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="RESCUEBOT_",
        env_file=".env",
        env_nested_delimiter="__",
        extra="ignore",
    )

    token: SecretStr | None = None
    api_url: str = "https://api.telegram.org"
    proxy: str | None = None
    # Relative SQLite paths are made absolute once, here, against the working folder (where
    # `.env` is read too), and every command prints the result, so no command silently opens
    # another file.
    database_url: str = Field("sqlite+aiosqlite:///data/rescuebot.db", validate_default=True)
    admins: Annotated[list[int], NoDecode] = Field(default_factory=list)
    locale: str = "zh_Hans"
    timezone: str = "Asia/Shanghai"
    invite_ttl_hours: Positive = 72.0
    sweep_seconds: Positive = 5.0
    log_level: str = "INFO"
    # One line per event either way; json for a log collector.
    log_format: Literal["text", "json"] = "text"
    # Set: dialogs live in Redis (they survive a restart and move between processes) and the
    # pacing windows are shared by every process of the token. Unset: both in memory, as one
    # process needs.
    redis_url: str | None = None
    delivery: DeliverySettings = DeliverySettings()
    dispatch: DispatchSettings = DispatchSettings()
    warnings: WarningSettings = WarningSettings()
    rollcall: RollCallSettings = RollCallSettings()
    traffic: TrafficSettings = TrafficSettings()
    response: ResponseSettings = ResponseSettings()
    report: ReportSettings = ReportSettings()
    assess: AssessSettings = AssessSettings()
    data: DataSettings = DataSettings()
    webhook: WebhookSettings = WebhookSettings()
    metrics: MetricsSettings = MetricsSettings()

    _admins = field_validator("admins", mode="before")(split_ids)
    _api_url = field_validator("api_url")(check_api_url)
    _proxy = field_validator("proxy")(check_proxy)
    _database_url = field_validator("database_url", mode="before")(check_database_url)

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        if value.upper() not in LOG_LEVELS:
            raise ValueError(f"must be one of {', '.join(LOG_LEVELS)}")
        return value.upper()

    @field_validator("locale")
    @classmethod
    def _known_locale(cls, value: str) -> str:
        if value not in LOCALES:
            raise ValueError(f"must be one of {', '.join(LOCALES)}")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as e:
            raise ValueError("unknown time zone") from e
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class SettingsError(SystemExit):
    """Stops the start with one line that names the setting."""


def load_settings(**overrides: object) -> Settings:
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as e:
        raise SettingsError(_one_line(e)) from None


def _one_line(e: ValidationError) -> str:
    first = e.errors(include_url=False)[0]
    # A list's position (ADMINS__0) is no setting anyone can set: name the list and the value.
    path = [str(p).upper() for p in first["loc"] if not isinstance(p, int)]
    name = "RESCUEBOT_" + "__".join(path)
    msg = first["msg"].removeprefix("Value error, ")
    secret = path[-1:] in (["TOKEN"], ["PROXY"], ["DATABASE_URL"])
    value = first.get("input")
    if not secret and isinstance(value, str | int | float) and repr(value) not in msg:
        msg += f" (got {value!r})"
    more = e.error_count() - 1
    return f"setting {name}: {msg}" + (f" (and {more} more)" if more else "")


def require_token(settings: Settings) -> str:
    if settings.token is None or not settings.token.get_secret_value().strip():
        raise SettingsError("setting RESCUEBOT_TOKEN: missing (the bot's token from @BotFather)")
    return settings.token.get_secret_value()
