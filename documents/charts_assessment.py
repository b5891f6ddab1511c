"""The assessment's chart: each force's on-time rate at roll-calls, sorted, the weakest named.
A PNG (for sendPhoto and the Word document); the workbook draws its own native chart."""

from __future__ import annotations

import io

from matplotlib.figure import Figure

from core.assessment.model import Assessment
from documents.fonts import cjk_family
from documents.texts import Say

MAX_BARS = 200  # a county has 100-300 forces; beyond this the weakest are shown


def on_time_figure(a: Assessment, say: Say) -> Figure:
    """Horizontal bars, the weakest at the top, sized to the number of forces."""
    cjk_family()
    ranked = a.ranked()[:MAX_BARS]
    names = [f.unit.name for f in ranked]
    rates = [f.on_time_rate or 0.0 for f in ranked]
    height = min(max(3.0, 1.6 + 0.2 * len(ranked)), 50.0)
    fig = Figure(figsize=(8.0, height), dpi=100)
    ax = fig.subplots()
    kind = say("assessment.drill") if a.drill else ""
    ax.set_title(say("assessment.chart.title", period=a.period.label, kind=kind), fontsize=12)
    if not ranked:
        ax.text(0.5, 0.5, say("assessment.chart.empty"), ha="center", va="center",
                transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    # The weakest (lowest rate, first) in red; the seed sets no on-time target to draw.
    colors = ["#c0392b" if r <= rates[0] else "#2e86c1" for r in rates]
    ax.barh(range(len(ranked)), rates, color=colors, height=0.7)
    ax.set_yticks(range(len(ranked)), names, fontsize=8)
    ax.set_ylim(len(ranked) - 0.5, -0.5)  # the weakest first, at the top; no empty margin
    ax.set_xlim(0, 100)
    ax.set_xlabel(say("assessment.chart.axis"))
    for i, r in enumerate(rates):
        ax.text(min(r + 1, 93), i, f"{r:.0f}%", va="center", fontsize=7)
    weakest = ranked[0]
    fig.suptitle(say("assessment.chart.weakest", unit=weakest.unit.name,
                     rate=f"{weakest.on_time_rate or 0:.0f}%"),
                 x=0.99, y=0.005, ha="right", va="bottom", fontsize=9, color="#c0392b")
    # Margins computed, not tight_layout(): measuring 100-300 labels doubles the drawing time.
    # A CJK character at 8 pt is about 0.11 inch wide.
    left = min(0.5, (0.3 + 0.115 * max(len(n) for n in names)) / 8.0)
    fig.subplots_adjust(left=left, right=0.97, top=1 - 0.45 / height, bottom=0.85 / height)
    return fig


def png(fig: Figure) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="png")  # a Figure made directly: no pyplot state to close
    return out.getvalue()


def on_time_chart(a: Assessment, say: Say) -> bytes:
    return png(on_time_figure(a, say))


def months_figure(a: Assessment, say: Say) -> Figure:
    """A year's county rates month by month: roll-calls on time, warnings confirmed, orders
    received within T1."""
    cjk_family()
    labels = [m.label[5:] for m, _ in a.by_month]
    fig = Figure(figsize=(8.0, 3.6), dpi=100)
    ax = fig.subplots()
    ax.set_title(say("assessment.chart.months", period=a.period.label), fontsize=12)
    series = (("assessment.col.on_time_rate", [g.on_time_rate for _, g in a.by_month]),
              ("assessment.col.confirmed_rate", [g.confirmed_rate for _, g in a.by_month]),
              ("assessment.col.t1_rate", [g.t1_rate for _, g in a.by_month]))
    for key, values in series:
        ax.plot(labels, [float("nan") if v is None else v for v in values], marker="o",
                label=say(key))
    ax.set_ylim(0, 105)
    ax.legend(fontsize=8, loc="lower left")
    ax.grid(axis="y", linewidth=0.3)
    fig.tight_layout()
    return fig


def months_chart(a: Assessment, say: Say) -> bytes:
    return png(months_figure(a, say))
