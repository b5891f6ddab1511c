"""The bot's own HTTP server: the webhook (with --webhook), /healthz and /metrics.

One aiohttp server per process. With --webhook it listens on WEBHOOK__HOST:PORT and serves
the three; while polling it is started only if METRICS__PORT is set, and serves /healthz and
/metrics alone. Run as a task of its own (App.run): cancelling it closes the listener.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.health import Health
from bot.metrics import CONTENT_TYPE, Metrics
from bot.webhook import WebhookIntake

log = logging.getLogger(__name__)


def make_web_app(health: Health, metrics: Metrics, intake: WebhookIntake | None = None,
                 webhook_path: str = "/telegram") -> web.Application:
    async def healthz(request: web.Request) -> web.Response:
        ok, body = await health.report()
        return web.json_response(body, status=200 if ok else 503)

    async def scrape(request: web.Request) -> web.Response:
        body = await metrics.render()
        response = web.Response(body=body)
        response.headers["Content-Type"] = CONTENT_TYPE
        return response

    app = web.Application()
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", scrape)
    if intake is not None:
        app.router.add_post(webhook_path, intake.receive)
    return app


async def serve(app: web.Application, host: str, port: int,
                listening: Callable[[int], Awaitable[None]] | None = None) -> None:
    """Listen until cancelled; ``listening`` is called with the port once requests are
    accepted (setWebhook goes then: Telegram may post at once)."""
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, port)
        await site.start()
        addresses = runner.addresses
        actual = addresses[0][1] if addresses else port
        log.info("listening on %s:%s", host, actual)
        if listening is not None:
            await listening(actual)
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()
