"""The after-action report (事后评估报告, seed §3c-3) as a Word document, built from the facts
core gathered (core.afteraction.model.Facts) and the caller's translation function; no storage,
no Telegram. CPU work: the caller runs it in a thread, outside any transaction.

Sections: the cover (county, incident, level, response level, drill or real, period, who
commanded, version), a summary, the dispatch plans, the forces' table, a chart of minutes to
收到 and to 已到达 with the T1 line, the timeline from the audit trail, the warnings of the
period, situation updates, expert advice, traffic support (those three where present), and
the lessons (问题与改进)."""

from __future__ import annotations

import html
import io
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Cm, Pt, RGBColor

from core.afteraction.model import Facts, ForceRow
from core.dispatch.model import OrderStatus, PlanStatus
from core.dispatch.timeline import entry_words
from documents.charts import ResponseBar, ResponseLabels, png, response_figure

Say = Callable[..., str]
When = Callable[[datetime], str]
NONE = "—"
_TAG = re.compile(r"<[^>]+>")
# Word's East Asian font for the body text; the Latin font stays Word's default.
EAST_ASIA_FONT = "SimSun"


def plain(value: str) -> str:
    """A translated text without its HTML: the chat's markup means nothing in Word."""
    return html.unescape(_TAG.sub("", value))


def minutes(since: datetime, until: datetime | None) -> float | None:
    return None if until is None else max(0.0, (until - since).total_seconds() / 60)


def first_answer(row: ForceRow) -> datetime | None:
    """收到, or the first step the force reported if it went straight to 已出发 / 已到达."""
    found = [t for t in (row.order.received_at, row.order.en_route_at, row.order.on_scene_at)
             if t]
    return min(found) if found else None


class _Writer:
    def __init__(self, facts: Facts, t: Say, when: When) -> None:
        self.f, self.when = facts, when
        self.say: Say = lambda key, **params: plain(t(key, **params))
        self.doc: Any = Document()
        style = self.doc.styles["Normal"]
        style.font.size = Pt(10.5)
        style.element.get_or_add_rPr().get_or_add_rFonts().set(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia",
            EAST_ASIA_FONT)

    def at(self, moment: datetime | None) -> str:
        return self.when(moment) if moment is not None else NONE

    def heading(self, key: str) -> None:
        self.doc.add_heading(self.say(f"afteraction.doc.h.{key}"), level=1)

    def table(self, header_key: str, rows: list[list[str]]) -> None:
        header = self.say(header_key).split("|")
        table = self.doc.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        for cell, value in zip(table.rows[0].cells, header, strict=True):
            cell.text = value
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for values in rows:
            for cell, value in zip(table.add_row().cells, values, strict=True):
                cell.text = value

    def lines(self, items: list[str]) -> None:
        if not items:
            self.doc.add_paragraph(self.say("afteraction.doc.none"))
        for item in items:
            self.doc.add_paragraph(item, style="List Bullet")

    def cover(self) -> None:
        f, i = self.f, self.f.incident
        title = self.doc.add_paragraph()
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = title.add_run(self.say("afteraction.doc.title", county=f.county))
        run.bold, run.font.size = True, Pt(22)
        if i.is_drill:  # a drill's report says so first, large and red, where no one misses it
            mark = self.doc.add_paragraph()
            mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = mark.add_run(self.say("afteraction.doc.drill_cover"))
            run.bold, run.font.size = True, Pt(28)
            run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
        rows = [
            ("county", f.county or NONE),
            ("incident", self.say("afteraction.doc.incident", id=i.id, title=i.title,
                                  township=i.township)),
            ("level", self.say(f"dispatch.level.{i.level}")),
            ("response", self.say(f"response.level.{f.response_level}")
             if f.response_level else NONE),
            ("nature", self.say("afteraction.doc.drill" if i.is_drill
                                else "afteraction.doc.real")),
            ("period", self.say("afteraction.doc.period", opened=self.at(i.opened_at),
                                closed=self.at(i.closed_at) if i.closed_at
                                else self.say("afteraction.doc.still_open"))),
            ("commander", f.commander),
            ("version", self.say("afteraction.doc.version", version=f.version)),
            ("made", self.at(f.made_at)),
        ]
        table = self.doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for key, value in rows:
            cells = table.add_row().cells
            cells[0].text = self.say(f"afteraction.doc.cover.{key}")
            cells[1].text = value
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def summary(self) -> None:
        f = self.f
        t1 = f.t1_minutes
        in_t1 = sum(1 for r in f.forces if (m := minutes(r.order.issued_at, first_answer(r)))
                    is not None and m <= t1)
        self.heading("summary")
        self.doc.add_paragraph(self.say(
            "afteraction.doc.summary", opened=self.at(f.incident.opened_at),
            township=f.incident.township, title=f.incident.title,
            level=self.say(f"dispatch.level.{f.incident.level}"), plans=len(f.plans),
            approved=sum(1 for p in f.plans if p.status is PlanStatus.APPROVED),
            forces=len(f.forces), in_t1=in_t1, t1=f"{t1:g}",
            arrived=sum(1 for r in f.forces if r.order.on_scene_at),
            unable=sum(1 for r in f.forces if r.order.status is OrderStatus.UNABLE),
            silent=sum(1 for r in f.forces if r.order.last_answer() is None
                       and r.order.status is not OrderStatus.UNABLE),
            commander=f.commander, lessons=len(f.lessons)))

    def plans(self) -> None:
        self.heading("plans")
        if not self.f.plans:
            self.lines([])
            return
        self.table("afteraction.doc.plans.cols", [
            [f"#{p.id}", p.task, p.dispatcher_name, self.say(f"dispatch.plan.status.{p.status}"),
             p.decided_by_name or NONE, self.at(p.decided_at), self.at(p.created_at)]
            for p in self.f.plans])

    def forces(self) -> None:
        self.heading("forces")
        if not self.f.forces:
            self.lines([])
            return
        rows = []
        for r in self.f.forces:
            o = r.order
            unable = (self.say("afteraction.doc.unable", at=self.at(o.unable_at),
                               reason=o.reason or NONE) if o.unable_at else NONE)
            rows.append([r.force, f"#{r.plan_id}", self.at(o.issued_at), self.at(o.received_at),
                         self.at(o.en_route_at), self.at(o.on_scene_at), unable,
                         self.at(o.stood_down_at),
                         str(r.people) if r.people is not None else NONE])
        self.table("afteraction.doc.forces.cols", rows)
        self.doc.add_paragraph(self.say("afteraction.doc.forces.note"))

    def chart(self) -> None:
        forces = [r for r in self.f.forces if r.order.status is not OrderStatus.UNABLE]
        if not forces:
            return
        self.heading("chart")
        self.doc.add_picture(io.BytesIO(chart_png(self.f, self.say)), width=Cm(16))

    def timeline(self) -> None:
        self.heading("timeline")
        tl = self.f.timeline
        rows = []
        for e in tl.entries:
            words = entry_words(self.say, tl, e)
            what = words.what + (f"（{words.about}）" if words.about else "") + (
                f"：{words.extra}" if words.extra else "")
            rows.append([self.at(e.at), words.who or self.say("dispatch.log.system"),
                         tl.from_unit(e) or NONE, what])
        if rows:
            self.table("afteraction.doc.timeline.cols", rows)
        else:
            self.lines([])

    def others(self) -> None:
        f = self.f
        self.heading("warnings")
        self.lines([self.say("afteraction.doc.warning", at=self.at(w.issued_at),
                             level=self.say(f"warnings.level.{w.level}"), hazard=w.hazard,
                             area=w.area, text=w.text) for w in f.warnings])
        if f.sitreps:
            self.heading("sitreps")
            self.lines([self.say("afteraction.doc.sitrep", n=s.number, at=self.at(s.posted_at),
                                 unit=f.timeline.unit(s.unit_id), by=s.posted_by_name,
                                 text=s.text) for s in f.sitreps])
        if f.consultations:
            self.heading("consult")
            self.lines([self.say("afteraction.doc.consult", expert=name, question=c.question,
                                 state=self.say(f"consult.state.{c.status}", n=c.advice),
                                 advice=c.advice, reason=c.reason or NONE)
                        for c, name in f.consultations])
        if f.traffic:
            self.heading("traffic")
            self.lines([self.say("afteraction.doc.traffic", plan=r.plan_id, unit=name,
                                 state=self.say(f"afteraction.doc.traffic.{r.state}"),
                                 by=r.by_name or NONE, at=self.at(r.at), need=r.need or NONE)
                        for r, name in f.traffic])

    def lessons(self) -> None:
        self.heading("lessons")
        self.lines([self.say("afteraction.doc.lesson", unit=unit, name=lesson.name,
                             at=self.at(lesson.at), text=lesson.text)
                    for lesson, unit in self.f.lessons])

    def build(self) -> bytes:
        self.cover()
        self.summary()
        self.plans()
        self.forces()
        self.chart()
        self.timeline()
        self.others()
        self.lessons()
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


def chart_bars(facts: Facts) -> list[ResponseBar]:
    """Minutes from the order to 收到 and to 已到达, per order (a force that could not go has
    no bar)."""
    return [ResponseBar(r.force, minutes(r.order.issued_at, first_answer(r)),
                        minutes(r.order.issued_at, r.order.on_scene_at))
            for r in facts.forces if r.order.status is not OrderStatus.UNABLE]


def chart_labels(facts: Facts, say: Say) -> ResponseLabels:
    return ResponseLabels(plain(say("afteraction.chart.title", id=facts.incident.id)),
                          plain(say("afteraction.chart.received")),
                          plain(say("afteraction.chart.arrived")),
                          plain(say("afteraction.chart.minutes")),
                          plain(say("afteraction.chart.t1", t1=f"{facts.t1_minutes:g}")))


def chart_png(facts: Facts, say: Say) -> bytes:
    return png(response_figure(chart_bars(facts), facts.t1_minutes, chart_labels(facts, say)))


def after_action_docx(facts: Facts, t: Say, when: When) -> bytes:
    """The report as a .docx file's bytes."""
    return _Writer(facts, t, when).build()
