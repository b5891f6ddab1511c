"""/healthz and /metrics on the webhook's server (and on METRICS__PORT while polling)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.app import App
from bot.health import STANDBY
from bot.settings import Settings
from core.clock import ControllableClock
from core.notices import Priority
from core.registry import UnitKind
from demo.world import SandboxCounty
from sandbox import Sandbox
from tests.conftest import SETTINGS_ADMIN
from tests.delivery_helpers import commit_notices, hello, unit_id
from tests.webhook.dbfaults import database_gone
from tests.webhook.helpers import free_port, get, running, until, with_webhook

NAMES = (
    "rescuebot_outbox_pending", "rescuebot_outbox_oldest_pending_seconds",
    "rescuebot_sends_total", "rescuebot_send_seconds", "rescuebot_updates_handled_total",
    "rescuebot_update_seconds", "rescuebot_escalations_total", "rescuebot_reminders_total",
    "rescuebot_dialogs_in_progress", "rescuebot_forces", "rescuebot_forces_bound",
    "rescuebot_last_update_handled_seconds", "rescuebot_database_up",
)


@pytest.fixture
async def hooked(settings: Settings, sandbox: Sandbox, clock: ControllableClock,
                 county: SandboxCounty) -> AsyncIterator[App]:
    async with running(with_webhook(settings), sandbox, clock) as app:
        yield app


def base(app: App) -> str:
    return f"http://127.0.0.1:{app.web_port}"


async def healthz(app: App) -> tuple[int, dict[str, object]]:
    status, body = await get(base(app) + "/healthz")
    return status, json.loads(body)


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    found = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            found[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return found


async def test_healthz_names_the_database_when_it_is_gone(hooked: App) -> None:
    status, body = await healthz(hooked)
    assert status == 200, body
    parts = body["parts"]
    assert isinstance(parts, dict)
    assert {n: p["state"] for n, p in parts.items()} == {
        "database": "ok", "delivery": "ok", "scheduler": "ok"}
    assert "last_update_age_seconds" in body
    hooked.health.probe_seconds = 0.5
    async with database_gone(hooked.settings.database_url):
        status, body = await healthz(hooked)
        assert status == 503, body
        assert body["failing"] == ["database"]
        parts = body["parts"]
        assert isinstance(parts, dict) and parts["database"]["state"] == "down"
        assert parts["database"]["detail"]
        _, scraped = await get(base(hooked) + "/metrics")
        assert samples(scraped)[("rescuebot_database_up", ())] == 0
    await until(lambda: _ok(hooked), 20)


async def _ok(app: App) -> bool:
    return (await healthz(app))[0] == 200


async def test_a_part_on_standby_is_healthy_and_a_failing_one_is_named(hooked: App) -> None:
    hooked.health.set("scheduler", STANDBY)  # what leader election says on a follower
    status, body = await healthz(hooked)
    assert status == 200 and body["parts"]["scheduler"] == {"state": "standby"}  # type: ignore[index]
    hooked.health.set("scheduler", "down", "no leader for 30 s")
    status, body = await healthz(hooked)
    assert status == 503 and body["failing"] == ["scheduler"]


async def test_metrics_after_a_small_fan_out(hooked: App, county: SandboxCounty,
                                             sandbox: Sandbox) -> None:
    codes = ["f-gas", "f-water", "f-police"]
    await county.bind_all(codes)
    await sandbox.send_message(SETTINGS_ADMIN, SETTINGS_ADMIN, "/status")
    await sandbox.wait_for(SETTINGS_ADMIN, lambda m: True)
    ids = [await unit_id(hooked, c) for c in codes]
    await commit_notices(hooked, [hello(u, priority=Priority.HIGH) for u in ids * 2])
    await until(lambda: _sent(hooked, 6), 20)
    status, text = await get(base(hooked) + "/metrics")
    assert status == 200
    for name in NAMES:
        assert f"# TYPE {name}" in text or f"# TYPE {name.removesuffix('_total')}" in text, name
    found = samples(text)
    sent_ok = found[("rescuebot_sends_total", (("outcome", "ok"),))]
    assert sent_ok >= 6 + len(codes)  # the fan-out, and the "bound" notices before it
    for outcome in ("429", "5xx", "migrated", "other"):
        assert found[("rescuebot_sends_total", (("outcome", outcome),))] == 0
    # The "bound" notices to admins who never opened a private chat with the bot: 403.
    assert found[("rescuebot_sends_total", (("outcome", "403"),))] == await _blocked(hooked)
    assert found[("rescuebot_send_seconds_count", ())] >= sent_ok
    assert 0 < found[("rescuebot_send_seconds_sum", ())] < sent_ok * 5
    handled = found[("rescuebot_updates_handled_total", ())]
    assert handled >= len(codes) + 1  # the /bind commands and /status
    assert found[("rescuebot_update_seconds_count", ())] == handled
    assert 0 <= found[("rescuebot_last_update_handled_seconds", ())] < 60
    async with hooked.uow() as uow:
        forces = await uow.units.list(UnitKind.FORCE)
    assert found[("rescuebot_forces", ())] == len(forces)
    assert found[("rescuebot_forces_bound", ())] == len(codes)
    assert found[("rescuebot_database_up", ())] == 1
    for priority in ("critical", "high", "normal", "low"):
        assert found[("rescuebot_outbox_pending", (("priority", priority),))] >= 0
    assert found[("rescuebot_outbox_oldest_pending_seconds", ())] >= 0
    assert found[("rescuebot_dialogs_in_progress", ())] == 0
    assert found[("rescuebot_escalations_total", ())] == 0
    assert found[("rescuebot_reminders_total", ())] == 0


async def _blocked(app: App) -> int:
    from sqlalchemy import func, select

    from storage.tables import NoticeRow

    async with app.uow() as uow:
        return int(await uow.session.scalar(
            select(func.count()).select_from(NoticeRow).where(NoticeRow.status == "failed"))
            or 0)


async def _sent(app: App, at_least: int) -> bool:
    from sqlalchemy import func, select

    from storage.tables import NoticeRow

    async with app.uow() as uow:
        pending = await uow.session.scalar(
            select(func.count()).select_from(NoticeRow).where(NoticeRow.status == "pending"))
    return pending == 0 and app.metrics.sends.labels("ok")._value.get() >= at_least


async def test_polling_serves_health_and_metrics_only_on_metrics_port(
        settings: Settings, sandbox: Sandbox, clock: ControllableClock,
        county: SandboxCounty) -> None:
    async with running(settings, sandbox, clock, webhook=False) as app:
        assert app.web_port is None  # off unless METRICS__PORT is set
    port = free_port()
    shown = settings.model_copy(update={"metrics": settings.metrics.model_copy(
        update={"port": port})})
    async with running(shown, sandbox, clock, webhook=False) as app:
        await until(lambda: app.web_port is not None)
        assert app.web_port == port
        status, body = await get(f"http://127.0.0.1:{port}/healthz")
        assert status == 200 and json.loads(body)["status"] == "ok"
        status, text = await get(f"http://127.0.0.1:{port}/metrics")
        assert status == 200 and "rescuebot_database_up 1.0" in text
        status, _ = await get(f"http://127.0.0.1:{port}/telegram")
        assert status in (404, 405)  # no webhook while polling
