"""The registry file sent to the bot in a private chat: a preview with counts, then 应用 or
取消; everyone else is refused, and a stale, malformed or too-big file gets one clear line."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from storage.tables import AuditRow, FileRow, UnitRow
from tests.chain import Chain
from tests.conftest import COUNTY, REGISTRY_ADMIN, SETTINGS_ADMIN

OLD_NAME = "青川县公安局特警大队"
NEW_NAME = "青川县公安局特警支队"


def _changed() -> bytes:
    text = COUNTY.read_text(encoding="utf-8")
    assert text.count(OLD_NAME) == 1
    return text.replace(OLD_NAME, NEW_NAME).encode()


async def _units(chain: Chain) -> list[tuple[str, str]]:
    async with chain.app.uow() as uow:
        rows = await uow.session.execute(select(UnitRow.code, UnitRow.name).order_by(UnitRow.code))
        return [(str(c), str(n)) for c, n in rows]


async def _audit(chain: Chain) -> list[str]:
    async with chain.app.uow() as uow:
        return [str(a) for a in await uow.session.scalars(
            select(AuditRow.action).where(AuditRow.action.like("registry.%")))]


async def _send(chain: Chain, who: int, content: bytes, name: str = "county.yaml"
                ) -> dict[str, object]:
    sent = await chain.sb.send_document(who, who, content, name)
    return await chain.sb.wait_for(who, lambda m: m["reply_to"] == sent["message_id"])


async def test_admin_previews_then_applies_once(chain: Chain) -> None:
    sb = chain.sb
    before = await _units(chain)
    preview = await _send(chain, REGISTRY_ADMIN, _changed())
    text = str(preview["text"])
    assert "尚未更改" in text and "更新 1" in text and "新增 0" in text, text
    assert "f-police" in text and "name" in text, text
    assert preview["buttons"] == [["应用", "取消"]]
    assert await _units(chain) == before  # the preview changed nothing
    cq = await sb.press_button(REGISTRY_ADMIN, REGISTRY_ADMIN, "应用")
    answer = await sb.wait_callback_answer(cq)
    assert "已应用" in str(answer["text"])
    await chain.settle()
    after = dict(await _units(chain))
    assert after["f-police"] == NEW_NAME
    assert {k: v for k, v in after.items() if k != "f-police"} == {
        k: v for k, v in before if k != "f-police"}
    actions = await _audit(chain)
    assert "registry.upload_applied" in actions and "registry.imported" in actions
    assert "登记文件 county.yaml 已应用" in sb.format_transcript(REGISTRY_ADMIN)
    # The second tap on the same (edited, buttonless) message is a stale, forged tap.
    again = await sb.press_callback(REGISTRY_ADMIN, REGISTRY_ADMIN, _id(preview),
                                    _apply_data(preview))
    stale = await sb.wait_callback_answer(again)
    assert "已应用或已取消" in str(stale["text"])
    assert (await _units(chain)) == sorted(after.items())


def _apply_data(preview: dict[str, object]) -> str:
    markup = preview["reply_markup"]
    assert isinstance(markup, dict)
    return str(markup["inline_keyboard"][0][0]["callback_data"])


async def test_cancel_changes_nothing_and_apply_after_cancel_is_refused(chain: Chain) -> None:
    sb = chain.sb
    before = await _units(chain)
    preview = await _send(chain, SETTINGS_ADMIN, _changed())
    assert "更新 1" in str(preview["text"])
    cq = await sb.press_button(SETTINGS_ADMIN, SETTINGS_ADMIN, "取消")
    assert "已取消" in str((await sb.wait_callback_answer(cq))["text"])
    await chain.settle()
    assert await _units(chain) == before
    late = await sb.press_callback(SETTINGS_ADMIN, SETTINGS_ADMIN, _id(preview),
                                   _apply_data(preview))
    assert "已应用或已取消" in str((await sb.wait_callback_answer(late))["text"])
    assert await _units(chain) == before
    async with chain.app.uow() as uow:
        assert list(await uow.session.scalars(select(FileRow.id))) == []


async def test_non_admin_is_refused_and_groups_are_ignored(chain: Chain) -> None:
    member = chain.county.members("f-police")[0]
    before = await _units(chain)
    refused = await _send(chain, member, _changed())
    assert "只有县级管理员" in str(refused["text"]) and not refused["buttons"]
    # An administrator's document in a unit's group is the group's business: no answer.
    await chain.sb.send_document(chain.chat("f-police"), REGISTRY_ADMIN, _changed(),
                                 "county.yaml")
    await chain.settle()
    shown = chain.sb.format_transcript(chain.chat("f-police"))
    assert shown.rstrip().endswith("document=county.yaml"), shown
    assert await _units(chain) == before
    async with chain.app.uow() as uow:
        assert list(await uow.session.scalars(select(FileRow.id))) == []


@pytest.mark.parametrize(("content", "name", "says"), [
    (b"units: [\n  - code: x\n", "county.yaml", "未做任何更改"),
    (b"units:\n  - code: f-police\n    kind: nonsense\n", "county.yml", "错误"),
    (b"code,name\n", "county.csv", "只读取扩展名为 .yaml .yml"),
    (b"x" * (20 * 1024 * 1024 + 1), "county.yaml", "超过 20 MB"),
    (b"# " + b"x" * (3 * 1024 * 1024), "county.yaml", "超过 2 MB"),
])
async def test_a_bad_file_gets_one_clear_answer(chain: Chain, caplog: pytest.LogCaptureFixture,
                                                content: bytes, name: str, says: str) -> None:
    caplog.set_level(logging.WARNING)
    before = await _units(chain)
    reply = await _send(chain, REGISTRY_ADMIN, content, name)
    assert says in str(reply["text"]), reply["text"]
    assert not reply["buttons"]
    assert "Traceback" not in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert await _units(chain) == before


def _id(message: dict[str, object]) -> int:
    value = message["message_id"]
    assert isinstance(value, int)
    return value


async def test_two_taps_at_once_apply_once(chain: Chain) -> None:
    sb = chain.sb
    preview = await _send(chain, REGISTRY_ADMIN, _changed())
    data = _apply_data(preview)
    first = await sb.press_callback(REGISTRY_ADMIN, REGISTRY_ADMIN, _id(preview), data)
    second = await sb.press_callback(REGISTRY_ADMIN, REGISTRY_ADMIN, _id(preview), data)
    answers = sorted([str((await sb.wait_callback_answer(first))["text"]),
                      str((await sb.wait_callback_answer(second))["text"])])
    assert "已应用。" in answers and any("已应用或已取消" in a for a in answers), answers
    await chain.settle()
    assert dict(await _units(chain))["f-police"] == NEW_NAME
    assert (await _audit(chain)).count("registry.upload_applied") == 1


async def test_a_non_admin_tapping_apply_is_refused(chain: Chain) -> None:
    """The tap is checked again, whoever sends its data: a non-administrator is refused."""
    sb = chain.sb
    before = await _units(chain)
    preview = await _send(chain, REGISTRY_ADMIN, _changed())
    member = chain.county.members("f-police")[0]
    cq = await sb.press_callback(REGISTRY_ADMIN, member, _id(preview), _apply_data(preview))
    assert "管理员" in str((await sb.wait_callback_answer(cq))["text"])
    assert await _units(chain) == before


async def test_a_file_matching_the_database_has_nothing_to_apply(chain: Chain) -> None:
    reply = await _send(chain, REGISTRY_ADMIN, COUNTY.read_bytes(), "county.YML")
    assert "与数据库一致" in str(reply["text"]) and "更新 0" in str(reply["text"])
    assert not reply["buttons"]
    async with chain.app.uow() as uow:
        assert list(await uow.session.scalars(select(FileRow.id))) == []
