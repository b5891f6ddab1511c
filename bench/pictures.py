"""`python -m bench.pictures`: the README's pictures of what the bot hands up, made from the
benchmark's generated year: a page of the after-action report of its largest incident
and the /stats chart of the year. The page is the .docx as LibreOffice prints it (Debian:
`apt-get install libreoffice-writer-nogui poppler-utils fonts-noto-cjk`), so the picture shows
the document an official opens, not a drawing of it."""

from __future__ import annotations

import argparse
import asyncio
import shutil
import subprocess
import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo

from bench.reports import generate
from bot.i18n import Translator
from bot.views.afteraction import build_report
from bot.views.assessment import say_plain
from core.afteraction.model import AfterActionConfig
from core.assessment.config import AssessConfig
from core.assessment.model import Assessment, Period
from core.assessment.usecases import county_assessment
from core.clock import SystemClock
from documents.charts_assessment import on_time_chart
from storage.db import make_engine, make_sessionmaker
from storage.uow import UnitOfWorkFactory

ROOT = Path(__file__).resolve().parent.parent
YEAR = 2026


def page_png(docx: Path, out: Path, page: int) -> None:
    """docx → PDF (LibreOffice, headless) → one page as a PNG (pdftoppm)."""
    for tool in ("soffice", "pdftoppm"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is missing: apt-get install libreoffice-writer-nogui "
                             "poppler-utils fonts-noto-cjk")
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir",
                    str(docx.parent), str(docx)], check=True, capture_output=True, timeout=300)
    pdf = docx.with_suffix(".pdf")
    subprocess.run(["pdftoppm", "-png", "-r", "72", "-f", str(page), "-l", str(page),
                    "-singlefile",
                    str(pdf), str(out.with_suffix(""))], check=True, timeout=120)


async def gather(tmp: str) -> tuple[bytes, Assessment]:
    """The report of the generated year's largest incident, and the year's assessment."""
    url = f"sqlite+aiosqlite:///{tmp}/pictures.db"
    made, _ = await generate(url)
    engine = make_engine(url)
    try:
        uows = UnitOfWorkFactory(make_sessionmaker(engine), SystemClock())
        cfg = AssessConfig(ZoneInfo("Asia/Shanghai"))
        async with uows() as uow:
            report = await build_report(uow, made.largest_incident,
                                        config=AfterActionConfig(county="示例县"))
            found = await county_assessment(uow, Period(YEAR), SystemClock(), cfg)
    finally:
        await engine.dispose()
    return report, found


def make(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        report, found = asyncio.run(gather(tmp))
        docx = Path(tmp) / "after-action.docx"
        docx.write_bytes(report)
        # Page 2: the summary, the plans and the per-force table (page 1 is the cover).
        page = out / "after-action-page2.png"
        page_png(docx, page, 2)
    say = say_plain(Translator("zh_Hans", ZoneInfo("Asia/Shanghai")).for_locale("zh_Hans"))
    chart = out / "stats-chart.png"
    chart.write_bytes(on_time_chart(found, say))
    return [page, chart]


def cli() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.pictures")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "pictures")
    args = parser.parse_args()
    for path in make(args.out):
        print(path)


if __name__ == "__main__":
    cli()
