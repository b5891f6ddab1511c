"""`python -m bot stats`: the workbook and the Word document, opened and checked against
figures the test computes from the database itself."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import docx
import openpyxl
import pytest
from matplotlib import font_manager
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select

from bot.assessment_cli import export
from bot.cli import main
from bot.i18n import Translator
from bot.registry_cli import CliError
from bot.settings import Settings
from bot.views.assessment import say_plain
from core.assessment.config import AssessConfig
from core.assessment.model import Period
from core.assessment.usecases import county_assessment
from core.clock import ControllableClock
from demo.world import SandboxCounty
from documents.charts_assessment import on_time_figure
from documents.fonts import FONT_FILE, cjk_family
from storage.db import make_engine, make_sessionmaker
from storage.tables import UnitRow
from storage.tables_alerts import RollCallAnswerRow, RollCallRow
from storage.tables_dispatch import IncidentRow, OrderRow, PlanRow
from storage.uow import UnitOfWorkFactory
from tests.assessment.helpers import png_size, write_november

NOV_START = datetime(2026, 10, 31, 16, tzinfo=UTC)  # 1 November 00:00 in the county
NOV_END = datetime(2026, 11, 30, 16, tzinfo=UTC)


async def _uows(settings: Settings, clock: ControllableClock) -> UnitOfWorkFactory:
    return UnitOfWorkFactory(make_sessionmaker(make_engine(settings.database_url)), clock)


async def _from_database(uows: UnitOfWorkFactory, code: str) -> dict[str, int]:
    """The force's November figures, counted here with SQL, not by the assessment code."""
    async with uows() as uow:
        s = uow.session
        unit = await s.scalar(select(UnitRow.id).where(UnitRow.code == code))
        answers = (await s.execute(
            select(RollCallAnswerRow.on_time, RollCallAnswerRow.answered_at)
            .join(RollCallRow, RollCallRow.id == RollCallAnswerRow.rollcall_id)
            .where(RollCallAnswerRow.unit_id == unit,
                   RollCallRow.kind.in_(("scheduled", "adhoc")),
                   RollCallRow.opened_at >= NOV_START, RollCallRow.opened_at < NOV_END))).all()
        orders = (await s.execute(
            select(OrderRow.received_at, OrderRow.t1_due_at, OrderRow.status)
            .join(PlanRow, PlanRow.id == OrderRow.plan_id)
            .join(IncidentRow, IncidentRow.id == PlanRow.incident_id)
            .where(OrderRow.unit_id == unit, IncidentRow.is_drill.is_(False)))).all()
    return {"calls": len(answers), "on_time": sum(bool(a.on_time) for a in answers),
            "late": sum(a.answered_at is not None and not a.on_time for a in answers),
            "missed": sum(a.answered_at is None for a in answers),
            "orders": len(orders),
            "within_t1": sum(o.received_at is not None and o.received_at <= o.t1_due_at
                             for o in orders),
            "unable": sum(o.status == "unable" for o in orders)}


def _charts(ws: object) -> list[object]:
    return list(getattr(ws, "_charts", []))  # openpyxl keeps a sheet's charts there


def _rows(ws: Worksheet) -> dict[str, dict[str, object]]:
    head = [str(c.value) for c in ws[1]]
    return {str(row[0]): dict(zip(head, row, strict=True))
            for row in ws.iter_rows(min_row=2, values_only=True)}


async def test_the_workbook_holds_the_figures_of_the_database(
        settings: Settings, county: SandboxCounty, clock: ControllableClock,
        tmp_path: Path) -> None:
    uows = await _uows(settings, clock)
    await write_november(uows)
    out = tmp_path / "assessment.xlsx"
    said = await export(settings, [out], month="2026-11", clock=clock)
    assert "2026-11" in said and str(out) in said
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == "全县"
    assert {"政府力量", "企业力量", "社会力量"} <= set(wb.sheetnames)
    sheet = wb["政府力量"]
    assert isinstance(sheet, Worksheet)
    forces = _rows(sheet)
    for code in ("f-police", "f-water", "f-health"):
        want = await _from_database(uows, code)
        row = forces[code]
        got = {"calls": row["点名次数"], "on_time": row["准时应答"], "late": row["迟到"],
               "missed": row["未应答"], "orders": row["出动指令"],
               "within_t1": row["T1 内收到"], "unable": row["无法执行"]}
        assert got == want, code
        rate = 100 * want["on_time"] / want["calls"] if want["calls"] else None
        assert row["点名准时率（%）"] == (None if rate is None else round(rate, 1))
    assert forces["f-police"]["抽查通过"] == 1 and forces["f-water"]["抽查次数"] == 1
    assert _charts(sheet), "a native Excel chart of the forces' on-time rates"
    # The county sheet: the connection ratio, counted here from the registry.
    async with uows() as uow:
        chats = (await uow.session.scalars(
            select(UnitRow.chat_id).where(UnitRow.kind == "force"))).all()
    bound, forces_count = sum(c is not None for c in chats), len(chats)
    ws = wb["全县"]
    assert isinstance(ws, Worksheet)
    assert ws["A3"].value == "接入比例（%）"
    assert ws["B3"].value == round(100 * bound / forces_count, 1)
    assert ws["B4"].value == 80.0
    assert ws["B5"].value == ("是" if bound >= 0.8 * forces_count else "否")
    assert _charts(ws)
    await uows.sessions.kw["bind"].dispose()


async def test_the_word_document_has_its_sections_and_the_chart(
        settings: Settings, county: SandboxCounty, clock: ControllableClock,
        tmp_path: Path) -> None:
    uows = await _uows(settings, clock)
    await write_november(uows)
    out = tmp_path / "assessment.docx"
    await export(settings, [out], year=2026, clock=clock)
    doc = docx.Document(str(out))
    headings = [p.text for p in doc.paragraphs if p.style is not None
                and p.style.name.startswith(("Heading", "Title"))]
    assert headings[0] == "联调联战考核统计（2026）"
    assert headings[1:] == ["一、总体情况", "二、分类统计", "三、图表", "四、各力量情况"]
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "接入比例" in body and "口径说明" in body
    forces = doc.tables[-1]
    names = {row.cells[0].text: [c.text for c in row.cells] for row in forces.rows}
    police = names[county.unit("f-police").name]
    assert police[1] == "66.7%"  # the year: 2 of 3 on time (November's two, October's miss)
    pictures = [r for r in doc.part.related_parts.values()
                if r.content_type == "image/png"]
    assert len(pictures) == 2  # the forces' on-time rates and the months
    assert png_size(pictures[0].blob)[0] == 800
    await uows.sessions.kw["bind"].dispose()


async def test_the_chart_is_drawn_in_the_cjk_font(
        settings: Settings, county: SandboxCounty, clock: ControllableClock) -> None:
    uows = await _uows(settings, clock)
    await write_november(uows)
    cfg = AssessConfig(settings.zone)
    async with uows() as uow:
        found = await county_assessment(uow, Period(2026, 11), clock, cfg)
    say = say_plain(Translator("zh_Hans", settings.zone).for_locale("zh_Hans"))
    fig = on_time_figure(found, say)
    fig.canvas.draw()
    labels = fig.axes[0].get_yticklabels()
    assert county.unit("f-police").name in [label.get_text() for label in labels]
    for text in [*labels, fig.axes[0].title]:
        assert text.get_fontname() == cjk_family()
        assert Path(font_manager.findfont(text.get_fontproperties())).name == FONT_FILE
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    assert png_size(buffer.getvalue())[1] >= 300
    await uows.sessions.kw["bind"].dispose()


def test_the_console_command_refuses_what_it_cannot_write(
        settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RESCUEBOT_DATABASE_URL", settings.database_url)
    for args, says in ((["--year", "2026", "--out", str(tmp_path / "a.pdf")], ".xlsx or .docx"),
                       (["--month", "2026-13", "--out", str(tmp_path / "a.xlsx")], "2026-13"),
                       (["--year", "2026"], "nothing to write"),
                       (["--out", str(tmp_path / "no" / "a.xlsx")], "does not exist")):
        with pytest.raises(SystemExit) as exit_:
            main(["stats", *args])
        assert exit_.value.code == 2, args
        assert says in capsys.readouterr().err, args
    assert [p.name for p in tmp_path.iterdir()] in ([], ["rescuebot.db"])


async def test_both_files_at_once(settings: Settings, county: SandboxCounty,
                                  clock: ControllableClock, tmp_path: Path) -> None:
    paths = [tmp_path / "a.xlsx", tmp_path / "a.docx"]
    await export(settings, paths, clock=clock, locale="en")
    assert all(p.stat().st_size > 1000 for p in paths)
    assert openpyxl.load_workbook(paths[0]).sheetnames[0] == "County"
    with pytest.raises(CliError):
        await export(settings, paths, year=2026, month="2026-11", clock=clock)
