"""RESCUEBOT_PROXY: reaching Telegram from a county's network through an http or socks5 proxy."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import pytest

from bot.app import build_app, make_bot
from bot.preflight import StartRefused, check_token
from bot.settings import Settings, load_settings
from sandbox import Sandbox
from tests.conftest import TOKEN, start_app, stop_app


class ConnectProxy:
    """A tiny HTTP CONNECT proxy that records where each tunnel went."""

    def __init__(self) -> None:
        self.tunnels: list[str] = []
        self.server: asyncio.Server | None = None

    async def start(self) -> str:
        self.server = await asyncio.start_server(self._client, "127.0.0.1", 0)
        port = self.server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            method, target, _ = head.split(b"\r\n")[0].decode().split(" ")
            if method != "CONNECT":
                writer.write(b"HTTP/1.1 405 Method Not Allowed\r\n\r\n")
                return
            self.tunnels.append(target)
            host, port = target.rsplit(":", 1)
            up_reader, up_writer = await asyncio.open_connection(host, int(port))
            writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
            await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))
        except (OSError, asyncio.IncompleteReadError, ValueError):
            pass
        finally:
            writer.close()

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.server.wait_closed(), 5)


async def _pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
    try:
        while data := await source.read(65536):
            sink.write(data)
            await sink.drain()
    finally:
        sink.close()


@pytest.fixture
async def proxy() -> AsyncIterator[ConnectProxy]:
    p = ConnectProxy()
    await p.start()
    yield p
    await p.stop()


def test_the_bots_session_is_built_with_the_proxy() -> None:
    bot = make_bot(TOKEN, "https://api.telegram.org", "socks5://user:pw@10.0.0.1:1080")
    assert bot.session.proxy == "socks5://user:pw@10.0.0.1:1080"  # type: ignore[attr-defined]
    assert make_bot(TOKEN, "https://api.telegram.org").session.proxy is None  # type: ignore[attr-defined]


async def test_requests_really_pass_through_the_proxy(settings: Settings, sandbox: Sandbox,
                                                      proxy: ConnectProxy) -> None:
    assert proxy.server is not None
    port = proxy.server.sockets[0].getsockname()[1]
    through = settings.model_copy(update={"proxy": f"http://127.0.0.1:{port}"})
    app = build_app(through, TOKEN)
    me = await check_token(app.bot, through)
    assert me.username == "rescue_bot"
    task = await start_app(app, sandbox)
    await stop_app(app, task)
    sandbox_at = sandbox.base_url.removeprefix("http://")
    assert proxy.tunnels and set(proxy.tunnels) == {sandbox_at}


async def test_a_proxy_that_refuses_stops_the_start_in_one_line(sandbox: Sandbox) -> None:
    # The sandbox is a web server, not a proxy: it answers CONNECT with an error.
    settings = load_settings(token=TOKEN, api_url="https://api.telegram.org",
                             proxy=sandbox.base_url)
    bot = make_bot(TOKEN, settings.api_url, settings.proxy)
    try:
        with pytest.raises(StartRefused) as refused:
            await check_token(bot, settings)
    finally:
        await bot.session.close()
    line = refused.value.message
    assert line.startswith(f"cannot reach Telegram at https://api.telegram.org through the "
                           f"proxy {sandbox.base_url}: the proxy refused")
    assert "\n" not in line
