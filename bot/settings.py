"""All settings in one pydantic-settings model, read once in main() and passed down.

Environment variables carry the prefix ``RESCUEBOT_``; nested sections use ``__``
(``RESCUEBOT_DELIVERY__GLOBAL_PER_SECOND=30``). A ``.env`` file in the working folder is read too.
"""

from __future__ import annotations

from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

LOCALES = ("zh_Hans", "en")


class DeliverySettings(BaseModel):
    global_per_second: float = 30.0
    chat_per_second: float = 1.0
    group_per_minute: int = 20
    max_attempts: int = 12
    backoff_base_seconds: float = 1.0
    backoff_max_seconds: float = 60.0
    undelivered_flag_seconds: int = 300
    poll_seconds: float = 0.5
    concurrency: int = 64


class DispatchSettings(BaseModel):
    approval_remind_seconds: int = 300
    escalate_t1_seconds: int = 180
    escalate_t2_seconds: int = 600
    flood_season: str = "06-01..09-30"


class WarningSettings(BaseModel):
    remind_red_seconds: int = 300
    remind_orange_seconds: int = 600
    remind_yellow_seconds: int = 1800
    remind_blue_seconds: int = 0
    reminders_before_report: int = 3
    remind_after_report_seconds: int = 3600
    max_valid_hours: int = 168


class RollCallSettings(BaseModel):
    monthly_cron: str = "0 9 1 * *"
    period_cron: str = "0 9 * * *"
    answer_minutes: int = 10
    grace_minutes: int = 120


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="RESCUEBOT_",
        env_file=".env",
        env_nested_delimiter="__",
        extra="ignore",
    )

    token: SecretStr | None = None
    api_url: str = "https://api.telegram.org"
    database_url: str = "sqlite+aiosqlite:///data/rescuebot.db"
    admins: Annotated[list[int], NoDecode] = Field(default_factory=list)
    locale: str = "zh_Hans"
    timezone: str = "Asia/Shanghai"
    invite_ttl_hours: float = 72.0
    sweep_seconds: float = 5.0
    log_level: str = "INFO"
    delivery: DeliverySettings = DeliverySettings()
    dispatch: DispatchSettings = DispatchSettings()
    warnings: WarningSettings = WarningSettings()
    rollcall: RollCallSettings = RollCallSettings()

    @field_validator("admins", mode="before")
    @classmethod
    def _split_admins(cls, value: object) -> object:
        if isinstance(value, str):
            return [part for part in value.replace(";", ",").replace(" ", ",").split(",") if part]
        if isinstance(value, int):
            return [value]
        return value

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
        first = e.errors()[0]
        name = "RESCUEBOT_" + "__".join(str(p).upper() for p in first["loc"])
        raise SettingsError(f"setting {name}: {first['msg']}") from None


def require_token(settings: Settings) -> str:
    if settings.token is None or not settings.token.get_secret_value().strip():
        raise SettingsError("setting RESCUEBOT_TOKEN: missing (the bot's token from @BotFather)")
    return settings.token.get_secret_value()
