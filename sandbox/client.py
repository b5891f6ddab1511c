"""SandboxClient: drive a sandbox running in another process over its control API."""

# The public API takes `timeout=` on purpose: tests wait on the sandbox, not on the clock.
# ruff: noqa: ASYNC109

from __future__ import annotations

from typing import Any

import aiohttp

_ERRORS: dict[str, type[Exception]] = {
    "LookupError": LookupError,
    "KeyError": LookupError,
    "ValueError": ValueError,
    "TypeError": TypeError,
    "AssertionError": AssertionError,
}


class SandboxError(RuntimeError):
    """The control API failed in a way that has no closer Python equivalent."""


class _RemoteFaults:
    def __init__(self, client: SandboxClient) -> None:
        self._client = client

    async def _op(self, op: str, **kw: Any) -> dict[str, Any]:
        result: dict[str, Any] = await self._client.call("faults", op=op, **kw)
        return result

    async def fail_next(
        self, count: int = 1, status: int = 500, method: str | None = None
    ) -> None:
        await self._op("fail_next", count=count, status=status, method=method)

    async def slow_next(self, count: int, delay_seconds: float, method: str | None = None) -> None:
        await self._op("slow_next", count=count, delay_seconds=delay_seconds, method=method)

    async def rate_limit_next(
        self, count: int = 1, retry_after: int = 1, method: str | None = None
    ) -> None:
        await self._op("rate_limit_next", count=count, retry_after=retry_after, method=method)

    async def kick_on_next_send(self, chat_id: int) -> None:
        await self._op("kick_on_next_send", chat_id=chat_id)

    async def upgrade_on_next_send(self, chat_id: int) -> None:
        await self._op("upgrade_on_next_send", chat_id=chat_id)

    async def clear(self) -> None:
        await self._op("clear")

    async def describe(self) -> dict[str, Any]:
        result: dict[str, Any] = await self._client.call("faults")
        return result


class SandboxClient:
    """Async mirror of the :class:`sandbox.Sandbox` Python API; errors map back to
    LookupError / ValueError / AssertionError like the in-process calls raise."""

    def __init__(self, base_url: str, session: aiohttp.ClientSession | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self._session = session
        self._own_session = session is None
        self.faults = _RemoteFaults(self)

    async def __aenter__(self) -> SandboxClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        if self._own_session and self._session is not None:
            await self._session.close()
            self._session = None

    async def call(self, action: str, http_timeout: float = 60.0, **kwargs: Any) -> Any:
        # Waits pass a longer http_timeout so the server-side timeout, with its error text,
        # fires first.
        if self._session is None:
            self._session = aiohttp.ClientSession()
        url = f"{self.base_url}/control/{action}"
        async with self._session.post(
            url, json=kwargs, timeout=aiohttp.ClientTimeout(total=http_timeout)
        ) as resp:
            body = await resp.json(content_type=None)
        if body.get("ok"):
            return body.get("result")
        exc_type = _ERRORS.get(str(body.get("type")), SandboxError)
        raise exc_type(body.get("error", f"control action {action} failed"))

    # --- setup ---

    async def create_bot(
        self,
        token: str = "123:ABC",
        username: str = "rescue_bot",
        first_name: str = "联调联战",
    ) -> dict[str, Any]:
        return dict(
            await self.call("create_bot", token=token, username=username, first_name=first_name)
        )

    async def add_user(
        self,
        user_id: int,
        first_name: str,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str = "zh-hans",
    ) -> dict[str, Any]:
        return dict(
            await self.call(
                "add_user",
                user_id=user_id,
                first_name=first_name,
                last_name=last_name,
                username=username,
                language_code=language_code,
            )
        )

    async def create_group(
        self,
        title: str,
        members: list[int],
        *,
        chat_id: int | None = None,
        supergroup: bool = False,
        admins: list[int] | None = None,
    ) -> int:
        return int(
            await self.call(
                "create_group",
                title=title,
                members=members,
                chat_id=chat_id,
                supergroup=supergroup,
                admins=admins,
            )
        )

    async def add_bot_to_group(self, chat_id: int, by_user: int, token: str | None = None) -> None:
        await self.call("add_bot_to_group", chat_id=chat_id, by_user=by_user, token=token)

    async def remove_bot_from_group(
        self, chat_id: int, by_user: int, kicked: bool = True, token: str | None = None
    ) -> None:
        await self.call(
            "remove_bot_from_group", chat_id=chat_id, by_user=by_user, kicked=kicked, token=token
        )

    async def upgrade_group(self, chat_id: int) -> int:
        return int(await self.call("upgrade_group", chat_id=chat_id))

    async def add_member(self, chat_id: int, user_id: int) -> None:
        await self.call("add_member", chat_id=chat_id, user_id=user_id)

    async def remove_member(self, chat_id: int, user_id: int) -> None:
        await self.call("remove_member", chat_id=chat_id, user_id=user_id)

    async def set_admin(self, chat_id: int, user_id: int, admin: bool = True,
                        can_pin_messages: bool = True) -> None:
        await self.call("set_admin", chat_id=chat_id, user_id=user_id, admin=admin,
                        can_pin_messages=can_pin_messages)

    async def block_bot(
        self, user_id: int, token: str | None = None, blocked: bool = True
    ) -> None:
        await self.call("block_bot", user_id=user_id, token=token, blocked=blocked)

    # --- people ---

    async def send_message(
        self,
        chat_id: int,
        from_user: int,
        text: str,
        *,
        reply_to: int | None = None,
        anonymous_admin: bool = False,
        token: str | None = None,
    ) -> dict[str, Any]:
        return dict(
            await self.call(
                "send_message",
                chat_id=chat_id,
                from_user=from_user,
                text=text,
                reply_to=reply_to,
                anonymous_admin=anonymous_admin,
                token=token,
            )
        )

    async def send_photo(
        self,
        chat_id: int,
        from_user: int,
        caption: str = "",
        *,
        reply_to: int | None = None,
        filename: str = "photo.jpg",
        token: str | None = None,
    ) -> dict[str, Any]:
        return dict(
            await self.call(
                "send_photo",
                chat_id=chat_id,
                from_user=from_user,
                caption=caption,
                reply_to=reply_to,
                filename=filename,
                token=token,
            )
        )

    async def send_document(
        self,
        chat_id: int,
        from_user: int,
        content: str,
        filename: str = "file.yaml",
        caption: str = "",
        *,
        token: str | None = None,
    ) -> dict[str, Any]:
        """A person sends a text file as a document (the control channel carries text)."""
        return dict(
            await self.call(
                "send_document",
                chat_id=chat_id,
                from_user=from_user,
                content=content,
                filename=filename,
                caption=caption,
                token=token,
            )
        )

    async def press_button(
        self,
        chat_id: int,
        from_user: int,
        button_text: str,
        *,
        message_id: int | None = None,
        text_contains: str | None = None,
    ) -> str:
        return str(
            await self.call(
                "press_button",
                chat_id=chat_id,
                from_user=from_user,
                button_text=button_text,
                message_id=message_id,
                text_contains=text_contains,
            )
        )

    async def press_callback(
        self, chat_id: int, from_user: int, message_id: int, data: str
    ) -> str:
        return str(
            await self.call(
                "press_callback",
                chat_id=chat_id,
                from_user=from_user,
                message_id=message_id,
                data=data,
            )
        )

    async def make_inaccessible(self, chat_id: int, message_id: int) -> None:
        await self.call("make_inaccessible", chat_id=chat_id, message_id=message_id)

    async def wait_callback_answer(self, cq: str, timeout: float = 10.0) -> dict[str, Any]:
        return dict(
            await self.call(
                "wait_callback_answer", cq=cq, timeout=timeout, http_timeout=timeout + 30
            )
        )

    async def wait_for(
        self,
        chat_id: int,
        contains: str,
        timeout: float = 10.0,
        *,
        since: int | None = None,
    ) -> dict[str, Any]:
        return dict(
            await self.call(
                "wait_for",
                chat_id=chat_id,
                contains=contains,
                timeout=timeout,
                since=since,
                http_timeout=timeout + 30,
            )
        )

    async def wait_delivered(self, timeout: float = 10.0, token: str | None = None) -> None:
        await self.call("wait_delivered", timeout=timeout, token=token, http_timeout=timeout + 30)

    # --- inspection ---

    async def mark(self) -> int:
        return int(await self.call("mark"))

    async def transcript(self, chat_id: int) -> list[dict[str, Any]]:
        return list(await self.call("transcript", chat_id=chat_id))

    async def bot_texts(self, chat_id: int) -> list[str]:
        return list(await self.call("bot_texts", chat_id=chat_id))

    async def pinned(self, chat_id: int) -> list[int]:
        return [int(i) for i in await self.call("pinned", chat_id=chat_id)]

    async def chat(self, chat_id: int) -> dict[str, Any]:
        return dict(await self.call("chat", chat_id=chat_id))

    async def commands(self) -> dict[str, list[dict[str, Any]]]:
        """Keyed "scope|language_code", e.g. "default|"."""
        return dict(await self.call("commands"))

    async def callback_answers(self) -> dict[str, dict[str, Any]]:
        return dict(await self.call("callback_answers"))

    async def stats(self, reset: bool = False) -> dict[str, Any]:
        return dict(await self.call("stats", reset=reset))

    async def set_limits(self, **limits: Any) -> dict[str, Any]:
        """enabled, global_per_second, chat_per_second, group_per_minute, tolerance."""
        return dict(await self.call("limits", **limits))

    async def reset(self, keep_bots: bool = True) -> None:
        await self.call("reset", keep_bots=keep_bots)
