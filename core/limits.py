"""The longest texts people may give the bot; a longer one is refused with the limit named.

Lengths are counted in characters (a Chinese character is one). They keep every notice that
repeats such a text readable, and well inside what one Telegram message holds (4096).
"""

from __future__ import annotations

from core.errors import DomainError
from core.notices import text

TITLE = 100  # an incident's title
PLACE = 30  # a township, an incident's type
TASK = 500  # a dispatch task: the common one, or one force's own
RENDEZVOUS = 200  # where the forces gather
REASON = 500  # why a plan is rejected, a department dissents, a force is unable, ...
NEED = 500  # what a reinforcement request asks for
PERIOD = 60  # a special period's name
HAZARD = 30  # a warning's hazard, when typed rather than chosen
AREA = 200  # the area a warning concerns
WARNING_TEXT = 1500  # a warning's text
TARGETS = 400  # whom a warning or roll-call is for, as typed (`force:a,b,…`); stored in 500
REPORT = 1000  # what an information report says happened
LESSON = 1000  # one answer to 问题与改进 after an incident (core/afteraction)

LIMITS = {
    "title": TITLE, "township": PLACE, "kind": PLACE, "task": TASK, "rendezvous": RENDEZVOUS,
    "reason": REASON, "need": NEED, "period": PERIOD, "hazard": HAZARD, "area": AREA,
    "warning_text": WARNING_TEXT, "targets": TARGETS, "report": REPORT,
    "traffic_need": NEED, "lesson": LESSON,
}


def within(field: str, value: str) -> str:
    """``value`` if it is no longer than ``field``'s limit; refused otherwise."""
    limit = LIMITS[field]
    if len(value) > limit:
        raise DomainError("too_long", field=text(f"field.{field}"), limit=limit,
                          length=len(value))
    return value
