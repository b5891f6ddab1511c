"""The HTTP session to the Bot API, optionally through a proxy (http, socks4, socks5).

aiohttp-socks raises its own exceptions, which aiogram passes through unwrapped; here they
become TelegramNetworkError, so polling, delivery and the start checks treat a proxy that
cannot be reached like any other network failure and retry it.
"""

from __future__ import annotations

from typing import Any

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramNetworkError
from aiogram.methods import TelegramMethod
from aiohttp_socks import ProxyConnectionError, ProxyError, ProxyTimeoutError


class ProxyRefused(TelegramNetworkError):
    """The proxy answered but would not carry the request (bad credentials, not a proxy)."""


class TelegramSession(AiohttpSession):
    def __init__(self, api_url: str, proxy: str | None) -> None:
        super().__init__(proxy=proxy, api=TelegramAPIServer.from_base(api_url.rstrip("/")))

    async def make_request(self, bot: Bot, method: TelegramMethod[Any],
                           timeout: int | None = None) -> Any:  # noqa: ASYNC109 (aiogram API)
        try:
            return await super().make_request(bot, method, timeout)
        except ProxyError as e:
            raise ProxyRefused(method=method, message=f"the proxy refused: {e}") from e
        except (ProxyConnectionError, ProxyTimeoutError) as e:
            raise TelegramNetworkError(method=method, message=f"{type(e).__name__}: {e}") from e
