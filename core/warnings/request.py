"""What an issuer asks for, from the one-line `/warn` or from the dialog."""

from __future__ import annotations

from dataclasses import dataclass

from core.errors import DomainError
from core.limits import within
from core.parse import parse_id, whole
from core.warnings.model import LEVEL_WORDS, Level
from core.warnings.targets import TargetSpec, parse_targets

WARN_USAGE = "/warn <red|orange|yellow|blue> <hazard> <all|category:a,b|sector:x|" \
             "township:y|force:f-a,f-b> <hours> <text>"


@dataclass(frozen=True)
class WarningRequest:
    level: Level
    hazard: str
    targets: TargetSpec
    valid_hours: float
    text: str
    area: str = ""

    def __post_init__(self) -> None:
        # the one-line form and the dialog both build a request: both are held to the limits
        within("hazard", self.hazard)
        within("warning_text", self.text)
        within("area", self.area)


def parse_level(raw: str) -> Level:
    level = LEVEL_WORDS.get(raw.strip().lower())
    if level is None:
        raise DomainError("bad_level", value=raw)
    return level


UPGRADE_USAGE = "/warn_upgrade <id> <red|orange|yellow>"
CANCEL_USAGE = "/warn_cancel <id>"


def parse_upgrade(args: str) -> tuple[int, Level]:
    """`<id> <level>`: the warning and the level it is raised to."""
    parts = args.split()
    if len(parts) != 2:
        raise DomainError("usage", usage=UPGRADE_USAGE)
    return parse_id(parts[0], UPGRADE_USAGE, "warning_unknown"), parse_level(parts[1])


def parse_cancel(args: str) -> int:
    return parse_id(args, CANCEL_USAGE, "warning_unknown")


def parse_hours(raw: str) -> int:
    """Whole hours, "12", "12h" or "12小时"; at least 1. The issuer's upper bound
    (WARNINGS__MAX_VALID_HOURS) is the use case's to check; this one only keeps the date sane."""
    text = raw.strip()
    for suffix in ("小时", "时", "h", "H"):
        if text.endswith(suffix):
            text = text.removesuffix(suffix)
            break
    hours = whole(text, 1, 366 * 24)
    if hours is None:
        raise DomainError("bad_hours", value=raw)
    return hours


def parse_warn_line(args: str) -> WarningRequest:
    """`red 暴雨 category:government 12 今夜有暴雨…` -> a request; the text keeps its spaces."""
    parts = args.split(maxsplit=4)
    if len(parts) < 5:
        raise DomainError("usage", usage=WARN_USAGE)
    level, hazard, targets, hours, text = parts
    return WarningRequest(parse_level(level), hazard, parse_targets(targets),
                          parse_hours(hours), text.strip())
