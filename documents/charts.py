"""Charts as PNG images (matplotlib, Agg), with the CJK font so Chinese renders anywhere."""

from __future__ import annotations

import io
from dataclasses import dataclass

from matplotlib.figure import Figure

from documents.fonts import cjk_family


@dataclass(frozen=True)
class ResponseBar:
    """One force: minutes from the order to its first answer (收到) and to 已到达; None when it
    never gave that answer."""

    force: str
    received: float | None
    arrived: float | None


@dataclass(frozen=True)
class ResponseLabels:
    title: str
    received: str
    arrived: str
    minutes: str
    t1: str  # the legend of the T1 line, e.g. "T1 = 3 分钟"


def response_figure(bars: list[ResponseBar], t1: float, labels: ResponseLabels) -> Figure:
    """Two horizontal bars per force, the T1 line drawn across; forces top to bottom in the
    order given. A Figure (not pyplot): nothing global, safe in a worker thread."""
    family = cjk_family()
    height = max(2.5, 0.45 * len(bars) + 1.5)
    fig = Figure(figsize=(8, min(height, 40)), dpi=100)
    ax = fig.add_subplot()
    ys = list(range(len(bars)))
    width = 0.38
    ax.barh([y - width / 2 for y in ys], [b.received or 0 for b in bars], height=width,
            label=labels.received, color="#4c78a8")
    ax.barh([y + width / 2 for y in ys], [b.arrived or 0 for b in bars], height=width,
            label=labels.arrived, color="#f58518")
    ax.axvline(t1, color="#d62728", linestyle="--", linewidth=1.5, label=labels.t1)
    ax.set_yticks(ys, [b.force for b in bars], fontfamily=family)
    ax.invert_yaxis()
    ax.set_xlabel(labels.minutes, fontfamily=family)
    ax.set_title(labels.title, fontfamily=family)
    ax.legend(loc="lower right", prop={"family": family})
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig


def png(fig: Figure) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()
