"""Putting notices into the outbox the way a use case does: in one committed transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.app import App
from core.notices import Notice
from storage.tables import NoticeRow


async def commit_notices(app: App, notices: list[Notice]) -> None:
    async with app.uow() as uow:
        for notice in notices:
            await uow.outbox.add(notice)
        await uow.commit()


async def unit_id(app: App, code: str) -> int:
    async with app.uow() as uow:
        unit = await uow.units.by_code(code)
    assert unit is not None and unit.id is not None
    return unit.id


async def notice_rows(app: App) -> list[NoticeRow]:
    async with app.uow() as uow:
        rows = list((await uow.session.scalars(select(NoticeRow).order_by(NoticeRow.id))).all())
        uow.session.expunge_all()  # keep the loaded values readable after the session ends
        return rows


def hello(unit: int, who: str = "测试", **kw: Any) -> Notice:
    """An ordinary notice with a real template: the 'group bound' line admins get."""
    return Notice("admin.chat_bound", {"unit": who, "code": "x", "by": "y"}, unit_id=unit, **kw)
