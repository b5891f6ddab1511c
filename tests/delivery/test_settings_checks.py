"""Settings that fail, fail in one line naming the setting, before anything starts.

Each case was seen as a traceback, or as a bot that started and then failed every sweep.
The CLI's main() is called as `python -m bot run` would call it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.settings import load_settings

BAD = [
    ("DISPATCH__FLOOD_SEASON", "june", "june"),
    ("DISPATCH__FLOOD_SEASON", "06-01..02-30", "06-01..02-30"),
    ("ROLLCALL__MONTHLY_CRON", "0 9 1 *", "five fields"),
    ("ROLLCALL__PERIOD_CRON", "0 25 * * *", "0 25 * * *"),
    ("ROLLCALL__MONTHLY_CRON", "0 9 31 2 *", "never fires"),
    ("DATABASE_URL", "mysql://u:pw@db/rescue", "'mysql' is not supported"),
    ("DATABASE_URL", "postgresql+psycopg2://db/rescue", "'psycopg2' is not supported"),
    ("DATABASE_URL", "not a url", "not a database URL"),
    ("API_URL", "127.0.0.1:8081", "127.0.0.1:8081"),
    ("API_URL", "ftp://api.telegram.org", "https://"),
    ("ADMINS", "12a,34", "'12a' is not a Telegram user id"),
    ("PROXY", "proxy.county.gov:3128", "socks5://"),
    ("PROXY", "http://proxy.county.gov", "socks5://"),
    ("LOG_LEVEL", "loud", "DEBUG, INFO"),
    ("SWEEP_SECONDS", "0", "greater than 0"),
    ("DELIVERY__GLOBAL_PER_SECOND", "-1", "greater than 0"),
    ("LOCALE", "fr", "zh_Hans, en"),
]


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    monkeypatch.chdir(tmp_path)  # no stray .env
    for name in ("TOKEN", "API_URL", "DATABASE_URL", "ADMINS", "PROXY", "LOG_LEVEL"):
        monkeypatch.delenv(f"RESCUEBOT_{name}", raising=False)
    monkeypatch.setenv("RESCUEBOT_TOKEN", "7000001:TESTTOKEN")
    return monkeypatch


@pytest.mark.parametrize(("name", "value", "said"), BAD)
def test_a_bad_setting_stops_the_start_in_one_line(env: pytest.MonkeyPatch, name: str,
                                                   value: str, said: str) -> None:
    env.setenv(f"RESCUEBOT_{name}", value)
    with pytest.raises(SystemExit) as stopped:
        main(["run"])
    line = str(stopped.value.code)
    assert line.startswith(f"setting RESCUEBOT_{name}: "), line
    assert said in line
    assert "\n" not in line
    assert "ADMINS__0" not in line


def test_passwords_are_not_repeated_back(env: pytest.MonkeyPatch) -> None:
    env.setenv("RESCUEBOT_PROXY", "http://u:hunter22@proxy")
    with pytest.raises(SystemExit) as stopped:
        main(["run"])
    assert "hunter22" not in str(stopped.value.code)
    env.setenv("RESCUEBOT_PROXY", "")
    env.setenv("RESCUEBOT_DATABASE_URL", "mysql://u:hunter22@db/rescue")
    with pytest.raises(SystemExit) as stopped:
        main(["run"])
    assert "hunter22" not in str(stopped.value.code)


def test_good_values_are_normalised(env: pytest.MonkeyPatch) -> None:
    env.setenv("RESCUEBOT_ADMINS", "11111111; 22222222")
    env.setenv("RESCUEBOT_DISPATCH__FLOOD_SEASON", "6-1..9-30")
    env.setenv("RESCUEBOT_API_URL", "http://127.0.0.1:8081/")
    env.setenv("RESCUEBOT_PROXY", "socks5://user:pw@10.0.0.1:1080")
    s = load_settings()
    assert s.admins == [11111111, 22222222]
    assert s.dispatch.flood_season == "06-01..09-30"
    assert s.api_url == "http://127.0.0.1:8081"
    assert s.proxy == "socks5://user:pw@10.0.0.1:1080"
    assert load_settings(dispatch={"flood_season": ""}).dispatch.flood_season == ""
    assert load_settings(database_url="postgresql://u:pw@db/rescue").database_url == (
        "postgresql+asyncpg://u:pw@db/rescue")


def test_the_database_path_is_made_absolute_once_and_printed(
        env: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    s = load_settings()
    assert s.database_url == f"sqlite+aiosqlite:///{tmp_path / 'data' / 'rescuebot.db'}"
    env.setenv("RESCUEBOT_DATABASE_URL", "sqlite:///county.db")
    assert load_settings().database_url == f"sqlite+aiosqlite:///{tmp_path / 'county.db'}"
    main(["migrate"])
    assert f"database: sqlite+aiosqlite:///{tmp_path / 'county.db'}" in capsys.readouterr().err
    assert (tmp_path / "county.db").exists()
