"""The Word report and its chart from hand-made facts, without storage or Telegram: the chart
is a PNG of sensible size whose text is drawn with the CJK font; the document holds it."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy
from docx import Document
from matplotlib import font_manager
from matplotlib.text import Text
from PIL import Image

from bot.i18n import Translator
from core.afteraction.model import Facts, ForceRow, Lesson
from core.afteraction.usecases import concerns, file_name, response_level
from core.audit import AuditEntry
from core.dispatch.model import Incident, Level, Order, OrderStatus, Plan, PlanStatus
from core.dispatch.timeline import Timeline
from core.warnings.model import Level as WLevel
from core.warnings.model import Warning
from documents import fonts
from documents.after_action import after_action_docx, chart_bars, chart_labels, chart_png
from documents.charts import response_figure

T0 = datetime(2026, 7, 1, 2, 0, tzinfo=UTC)
TR = Translator("zh_Hans", ZoneInfo("Asia/Shanghai"))


def _order(unit_id: int, received: int | None, arrived: int | None) -> Order:
    o = Order(1, unit_id, "灭火", T0, T0 + timedelta(minutes=3), T0 + timedelta(minutes=10),
              id=unit_id)
    if received is not None:
        o.move(OrderStatus.RECEIVED, 1, "张三", T0 + timedelta(minutes=received))
    if arrived is not None:
        o.move(OrderStatus.ON_SCENE, 1, "张三", T0 + timedelta(minutes=arrived))
    return o


def facts(drill: bool = False) -> Facts:
    incident = Incident("化工厂火灾", "", "城关镇", Level.LARGER, T0, 1, "吴磊", drill,
                        closed_at=T0 + timedelta(hours=2), id=7)
    plan = Plan(7, 1, "吴磊", "灭火", T0, status=PlanStatus.APPROVED, decided_by_name="高建华",
                decided_at=T0 + timedelta(minutes=1), id=1)
    forces = [ForceRow(_order(11, 2, 15), "城关镇专职消防队", 1),
              ForceRow(_order(12, 5, None), "县人民医院急救队", 1),
              ForceRow(_order(13, None, None), "白沙镇应急分队", 1)]
    entries = [AuditEntry("order.received", "incident:7/order:11", T0 + timedelta(minutes=2),
                          actor_tg_id=5, chat_id=-11, details={"unit": 11})]
    timeline = Timeline(incident, entries, people={5: "张三"},
                        units={11: "城关镇专职消防队"}, chats={-11: "城关镇专职消防队"},
                        orders={11: 11})
    lessons = [(Lesson(7, 11, 5, "张三", "水源不足", T0 + timedelta(hours=3)), "城关镇专职消防队")]
    return Facts(incident, 1, T0 + timedelta(hours=3), "青川县", "消防救援大队", 4, [plan],
                 forces, timeline, lessons=lessons, t1_minutes=3)


def test_the_chart_draws_its_text_with_the_cjk_font() -> None:
    f = facts()
    fig = response_figure(chart_bars(f), f.t1_minutes, chart_labels(f, TR.for_locale("zh_Hans")))
    fig.canvas.draw()
    texts = [t for t in fig.findobj(Text) if t.get_text()]
    assert any(t.get_text() == "城关镇专职消防队" for t in texts)
    assert any("分钟" in t.get_text() for t in texts)
    # The font file matplotlib resolves for each piece of text is the CJK one we ship.
    wanted = fonts.font_path().resolve()
    for t in texts:
        used = font_manager.findfont(t.get_fontproperties(), fallback_to_default=False)
        assert Path(str(used)).resolve() == wanted, t.get_text()


def test_the_chart_is_a_sensible_png_with_the_t1_line() -> None:
    f = facts()
    image = Image.open(io.BytesIO(chart_png(f, TR.for_locale("zh_Hans"))))
    assert image.format == "PNG" and 600 <= image.width <= 1200 and 200 <= image.height <= 1600
    fig = response_figure(chart_bars(f), 3, chart_labels(f, TR.for_locale("zh_Hans")))
    ax = fig.axes[0]
    # the T1 line
    assert any(numpy.asarray(line.get_xdata()).tolist() == [3, 3] for line in ax.get_lines())
    bars = chart_bars(f)
    assert [(b.received, b.arrived) for b in bars] == [(2, 15), (5, None), (None, None)]


def test_the_document_from_facts() -> None:
    doc = Document(io.BytesIO(after_action_docx(facts(drill=True), TR.for_locale("zh_Hans"),
                                                TR.moment)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert doc.paragraphs[1].text.startswith("【演练】")
    assert "水源不足" in text and "Ⅳ" in "".join(c.text for c in doc.tables[0].columns[1].cells)
    forces = [[c.text for c in r.cells] for r in doc.tables[2].rows]
    assert forces[0][0] == "力量" and [r[0] for r in forces[1:]] == [
        "城关镇专职消防队", "县人民医院急救队", "白沙镇应急分队"]
    assert forces[1][3] == TR.moment(T0 + timedelta(minutes=2)) and forces[3][3] == "—"
    timeline = [[c.text for c in r.cells] for r in doc.tables[3].rows]
    assert timeline[1][1:3] == ["张三", "城关镇专职消防队"]
    assert "城关镇专职消防队" in timeline[1][3]
    english = Document(io.BytesIO(after_action_docx(facts(), TR.for_locale("en"), TR.moment)))
    assert "Summary" in "\n".join(p.text for p in english.paragraphs)


def test_small_rules() -> None:
    f = facts()
    assert file_name(f.incident, 1) == "事后评估报告-7.docx"
    f.incident.is_drill = True
    assert file_name(f.incident, 3) == "事后评估报告-演练-7-v3.docx"
    entries = [AuditEntry("response.started", "s", T0, details={"level": 4}),
               AuditEntry("response.changed", "s", T0, details={"level": 2}),
               AuditEntry("response.ended", "s", T0, details={"level": 0})]
    assert response_level(entries) == 2 and response_level([]) is None


def test_which_warnings_concern_the_incident() -> None:
    def w(area: str, targets: str) -> Warning:
        return Warning(1, 1, "x", "暴雨", WLevel.RED, area, "t", targets, T0, T0)

    assert concerns(w("", "township:城关镇"), "城关镇")
    assert concerns(w("城关镇、白沙镇", "all"), "城关镇")
    assert concerns(w("", "all"), "城关镇")
    assert concerns(w("全县", "category:government"), "城关镇")
    assert concerns(w("青川县", "all"), "城关镇", "青川县")
    assert not concerns(w("", "township:白沙镇"), "城关镇")
    assert not concerns(w("白沙镇", "all"), "城关镇")
