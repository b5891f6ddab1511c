"""HTTP control API: lets another process play the humans, as the Python API does.

Every action is ``POST {base}/control/{action}`` with a JSON object of keyword arguments;
the answer is ``{"ok": true, "result": ...}`` or ``{"ok": false, "error": ..., "type": ...}``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

if TYPE_CHECKING:
    from .server import Sandbox

log = logging.getLogger(__name__)

Action = Callable[["Sandbox", dict[str, Any]], Awaitable[Any]]
_ACTIONS: dict[str, Action] = {}


def action(*names: str) -> Callable[[Action], Action]:
    def register(fn: Action) -> Action:
        for name in names:
            _ACTIONS[name] = fn
        return fn

    return register


@action("bot", "create_bot")
async def _create_bot(sb: Sandbox, kw: dict[str, Any]) -> Any:
    return sb.create_bot(**kw)


@action("users", "add_user")
async def _add_user(sb: Sandbox, kw: dict[str, Any]) -> Any:
    return sb.add_user(**kw)


@action("groups", "create_group")
async def _create_group(sb: Sandbox, kw: dict[str, Any]) -> Any:
    return sb.create_group(**kw)


@action("add_bot", "add_bot_to_group")
async def _add_bot(sb: Sandbox, kw: dict[str, Any]) -> Any:
    sb.add_bot_to_group(**kw)
    return True


@action("remove_bot", "remove_bot_from_group")
async def _remove_bot(sb: Sandbox, kw: dict[str, Any]) -> Any:
    sb.remove_bot_from_group(**kw)
    return True


@action("upgrade", "upgrade_group")
async def _upgrade(sb: Sandbox, kw: dict[str, Any]) -> Any:
    return sb.upgrade_group(**kw)


@action("add_member")
async def _add_member(sb: Sandbox, kw: dict[str, Any]) -> Any:
    sb.add_member(**kw)
    return True


@action("remove_member")
async def _remove_member(sb: Sandbox, kw: dict[str, Any]) -> Any:
    sb.remove_member(**kw)
    return True


@action("set_admin")
async def _set_admin(sb: Sandbox, kw: dict[str, Any]) -> Any:
    sb.set_admin(**kw)
    return True


@action("block_bot")
async def _block_bot(sb: Sandbox, kw: dict[str, Any]) -> Any:
    sb.block_bot(**kw)
    return True


@action("send", "send_message")
async def _send(sb: Sandbox, kw: dict[str, Any]) -> Any:
    return await sb.send_message(**kw)


@action("send_photo")
async def _send_photo(sb: Sandbox, kw: dict[str, Any]) -> Any:
    return await sb.send_photo(**kw)


@action("send_document")
async def _send_document(sb: Sandbox, kw: dict[str, Any]) -> Any:
    content = kw.pop("content")
    return await sb.send_document(content=str(content).encode(), **kw)


@action("pinned")
async def _pinned(sb: Sandbox, kw: dict[str, Any]) -> Any:
    return sb.pinned(**kw)


@action("press", "press_button")
async def _press(sb: Sandbox, kw: dict[str, Any]) -> Any:
    return await sb.press_button(**kw)


@action("press_callback")
async def _press_callback(sb: Sandbox, kw: dict[str, Any]) -> Any:
    return await sb.press_callback(**kw)


@action("make_inaccessible")
async def _make_inaccessible(sb: Sandbox, kw: dict[str, Any]) -> Any:
    sb.make_inaccessible(**kw)
    return True


@action("wait_callback_answer")
async def _wait_answer(sb: Sandbox, kw: dict[str, Any]) -> Any:
    return await sb.wait_callback_answer(**kw)


@action("wait_for")
async def _wait_for(sb: Sandbox, kw: dict[str, Any]) -> Any:
    if not isinstance(kw.get("contains"), str):
        raise ValueError("over HTTP, wait_for needs 'contains' as a string")
    return await sb.wait_for(**kw)


@action("wait_delivered")
async def _wait_delivered(sb: Sandbox, kw: dict[str, Any]) -> Any:
    await sb.wait_delivered(**kw)
    return True


@action("mark")
async def _mark(sb: Sandbox, kw: dict[str, Any]) -> Any:
    return sb.mark()


@action("transcript")
async def _transcript(sb: Sandbox, kw: dict[str, Any]) -> Any:
    return sb.transcript(**kw)


@action("bot_texts")
async def _bot_texts(sb: Sandbox, kw: dict[str, Any]) -> Any:
    return sb.bot_texts(**kw)


@action("chat")
async def _chat(sb: Sandbox, kw: dict[str, Any]) -> Any:
    return sb.chat(**kw)


@action("commands")
async def _commands(sb: Sandbox, kw: dict[str, Any]) -> Any:
    return {f"{scope}|{lang}": cmds for (scope, lang), cmds in sb.commands.items()}


@action("callback_answers")
async def _callback_answers(sb: Sandbox, kw: dict[str, Any]) -> Any:
    return sb.callback_answers


@action("stats")
async def _stats(sb: Sandbox, kw: dict[str, Any]) -> Any:
    if kw.get("reset"):
        data = sb.stats.as_dict()
        sb.stats.reset()
        return data
    return sb.stats.as_dict()


@action("faults")
async def _faults(sb: Sandbox, kw: dict[str, Any]) -> Any:
    op = kw.pop("op", None)
    allowed = {
        "fail_next",
        "slow_next",
        "rate_limit_next",
        "kick_on_next_send",
        "upgrade_on_next_send",
        "clear",
    }
    if op is not None:
        if op not in allowed:
            raise ValueError(f"unknown fault op {op!r}; one of {sorted(allowed)}")
        getattr(sb.faults, op)(**kw)
    return sb.faults.describe()


@action("limits")
async def _limits(sb: Sandbox, kw: dict[str, Any]) -> Any:
    limiter = sb.limiter
    for key in ("enabled", "global_per_second", "chat_per_second", "group_per_minute"):
        if key in kw:
            setattr(limiter, key, kw[key])
    if "tolerance" in kw:
        limiter.tolerance = float(kw["tolerance"])
    limiter.reset()
    return {
        "enabled": limiter.enabled,
        "global_per_second": limiter.global_per_second,
        "chat_per_second": limiter.chat_per_second,
        "group_per_minute": limiter.group_per_minute,
        "tolerance": limiter.tolerance,
    }


@action("reset")
async def _reset(sb: Sandbox, kw: dict[str, Any]) -> Any:
    sb.reset(**kw)
    return True


def _fail(status: int, exc: BaseException) -> web.Response:
    body = {"ok": False, "error": str(exc), "type": type(exc).__name__}
    return web.json_response(
        body, status=status, dumps=lambda o: json.dumps(o, ensure_ascii=False)
    )


def setup_control(app: web.Application, sb: Sandbox) -> None:
    async def handle(request: web.Request) -> web.Response:
        name = request.match_info["action"]
        fn = _ACTIONS.get(name)
        if fn is None:
            return _fail(404, LookupError(f"unknown control action {name!r}"))
        try:
            body = await request.json() if request.can_read_body else {}
        except ValueError as exc:
            return _fail(400, ValueError(f"body is not JSON: {exc}"))
        if not isinstance(body, dict):
            return _fail(400, ValueError("body must be a JSON object"))
        try:
            result = await fn(sb, body)
        except LookupError as exc:
            return _fail(404, exc)
        except AssertionError as exc:
            return _fail(408, exc)
        except (ValueError, TypeError) as exc:
            return _fail(400, exc)
        except Exception as exc:
            log.exception("sandbox: control action %s failed", name)
            return _fail(500, exc)
        return web.json_response(
            {"ok": True, "result": result}, dumps=lambda o: json.dumps(o, ensure_ascii=False)
        )

    app.router.add_post("/control/{action}", handle)
