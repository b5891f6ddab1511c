"""/report <incident> next to /report <township> <text>: the digits form (and nothing after
it) asks for the after-action report, anything else is an information report; who may ask;
refusals change nothing. And a township of digits alone is refused by the registry."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from sqlalchemy import func, select

from bot.i18n import Translator
from bot.registry_texts import problems_text
from core.afteraction.usecases import incident_ref
from core.registry_file import RegistryFileError, parse_registry
from storage.tables_afteraction import ReportVersionRow
from storage.tables_reports import ReportRow
from tests.chain import Chain
from tests.conftest import COUNTY


async def _count(chain: Chain, table: Any) -> int:
    async with chain.app.uow() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(table)) or 0)


@pytest.mark.parametrize(("args", "expected"), [
    ("12", 12), (" 12 ", 12), ("12\n", 12), ("0012", 12),
    (None, None), ("", None), ("   ", None), ("12 城关镇有火情", None), ("城关镇 12", None),
    ("１２", None),  # full-width digits are a township's name, not an incident's number
    ("1" * 13, None), ("-3", None), ("12.5", None),
])
def test_the_digits_form_is_an_incident(args: str | None, expected: int | None) -> None:
    assert incident_ref(args) == expected


async def test_who_may_ask_and_what_is_refused(chain: Chain) -> None:
    incident = await chain.incident()
    police = chain.county.members("f-police")[0]
    reply = await chain.say("f-police", police, f"/report {incident}")
    assert "需要在相应单位的群里" in str(reply["text"]), reply["text"]
    reply = await chain.say("brigade", chain.dispatcher, "/report 99999")
    assert "99999" in str(reply["text"])
    assert await _count(chain, ReportVersionRow) == 0
    # Asked twice before it is built: the second is told it is on its way, or gets version 2
    # if the first went out meanwhile; never two of the same version.
    first = await chain.say("brigade", chain.dispatcher, f"/report {incident}")
    assert "第 1 版" in str(first["text"])
    await chain.say("brigade", chain.dispatcher, f"/report {incident}")
    async with chain.app.uow() as uow:
        versions = sorted(await uow.session.scalars(select(ReportVersionRow.version)))
    assert versions in ([1], [1, 2])


async def test_information_reports_are_untouched(chain: Chain) -> None:
    incident = await chain.incident()
    police = chain.county.members("f-police")[0]
    reply = await chain.say("f-police", police, "/report 城关镇 化工厂冒烟")
    assert "#" in str(reply["text"])
    assert await _count(chain, ReportRow) == 1
    # Digits and text: an information report whose township is "12", refused as unknown.
    reply = await chain.say("f-police", police, f"/report {incident} 化工厂冒烟")
    assert "乡镇" in str(reply["text"])
    assert await _count(chain, ReportRow) == 1
    assert await _count(chain, ReportVersionRow) == 0


def test_the_registry_refuses_a_township_of_digits() -> None:
    data = yaml.safe_load(COUNTY.read_text(encoding="utf-8"))
    force = next(u for u in data["units"] if u.get("kind") == "force")
    force["township"] = "12"
    with pytest.raises(RegistryFileError) as e:
        parse_registry(data)
    t = Translator("zh_Hans", __import__("zoneinfo").ZoneInfo("Asia/Shanghai"))
    assert "不能全是数字" in problems_text(t.for_locale("zh_Hans"), "r.yaml", e.value)


async def test_the_hq_asks_only_for_its_own_incidents(chain: Chain) -> None:
    await chain.county.bind("detachment")
    ours = await chain.incident("较大 城关镇 化工厂爆炸")
    other = await chain.incident("一般 白沙镇 民房起火")
    await chain.say("bureau", chain.approver, f"/hq {ours} detachment")
    commander = chain.county.person("detachment", "commander")
    reply = await chain.say("detachment", commander, f"/report {other}")
    assert "不是事件" in str(reply["text"]) and "现场指挥部" in str(reply["text"])
    reply = await chain.say("detachment", commander, f"/report {ours}")
    assert "第 1 版" in str(reply["text"])
    # The HQ named gets the report too.
    message = await chain.sb.wait_for(
        chain.chat("detachment"), lambda m: bool(m.get("document")), 15.0, since=0)
    assert f"-{ours}.docx" in str(message["document"])
