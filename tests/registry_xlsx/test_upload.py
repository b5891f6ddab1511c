"""A workbook sent to the bot in a private chat: previewed like the YAML file, applied on 应用."""

from __future__ import annotations

from openpyxl import Workbook
from sqlalchemy import select

from storage.tables import UnitRow
from tests.chain import Chain
from tests.conftest import REGISTRY_ADMIN
from tests.registry_xlsx.books import changed, row_of

NEW_NAME = "青川县公安局特警支队"


def _renamed(book: Workbook) -> None:
    ws = book["单位"]
    ws.cell(row_of(ws, 1, "f-police"), 3).value = f"{NEW_NAME}  "


async def test_an_admins_workbook_is_previewed_then_applied(chain: Chain) -> None:
    sb = chain.sb
    sent = await sb.send_document(REGISTRY_ADMIN, REGISTRY_ADMIN, changed(_renamed),
                                  "青川县名册.xlsx")
    preview = await sb.wait_for(REGISTRY_ADMIN, lambda m: m["reply_to"] == sent["message_id"])
    text = str(preview["text"])
    assert "尚未更改" in text and "更新 1" in text and "f-police" in text, text
    assert preview["buttons"] == [["应用", "取消"]]
    cq = await sb.press_button(REGISTRY_ADMIN, REGISTRY_ADMIN, "应用")
    assert "已应用" in str((await sb.wait_callback_answer(cq))["text"])
    await chain.settle()
    async with chain.app.uow() as uow:
        name = await uow.session.scalar(select(UnitRow.name).where(UnitRow.code == "f-police"))
    assert name == NEW_NAME


async def test_a_bad_workbook_in_chat_names_the_cell(chain: Chain) -> None:
    def bad(book: Workbook) -> None:
        book["人员"]["E2"] = "队长"
    sent = await chain.sb.send_document(REGISTRY_ADMIN, REGISTRY_ADMIN, changed(bad), "c.xlsx")
    reply = await chain.sb.wait_for(REGISTRY_ADMIN,
                                    lambda m: m["reply_to"] == sent["message_id"])
    assert "人员!E2（角色）：“队长”无效" in str(reply["text"]), reply["text"]
    assert not reply["buttons"]
