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
from aiogram.methods.base import Response
from aiohttp_socks import ProxyConnectionError, ProxyError, ProxyTimeoutError


class ProxyRefused(TelegramNetworkError):
    """The proxy answered but would not carry the request (bad credentials, not a proxy)."""


class TelegramSession(AiohttpSession):
    def __init__(self, api_url: str, proxy: str | None) -> None:
        super().__init__(proxy=proxy, api=TelegramAPIServer.from_base(api_url.rstrip("/")))
        # aiogram asks pydantic for Response[T] on every answer; pydantic keeps those classes
        # only weakly, so the collector dropped them and they were built again (3-13% of the
        # bot's samples under a burst of taps, 70 ms a build for Response[Message]). Held
        # here, each is built once.
        self._responses: dict[Any, Any] = {}

    def check_response(self, bot: Bot, method: TelegramMethod[Any], status_code: int,
                       content: str) -> Response[Any]:
        returning = method.__returning__
        if returning not in self._responses:
            self._responses[returning] = Response[returning]  # type: ignore[valid-type]
        return super().check_response(bot, method, status_code, content)

    async def make_request(self, bot: Bot, method: TelegramMethod[Any],
                           timeout: int | None = None) -> Any:  # noqa: ASYNC109 (aiogram API)
        try:
            return await super().make_request(bot, method, timeout)
        except ProxyError as e:
            raise ProxyRefused(method=method, message=f"the proxy refused: {e}") from e
        except (ProxyConnectionError, ProxyTimeoutError) as e:
            raise TelegramNetworkError(method=method, message=f"{type(e).__name__}: {e}") from e
