"""Compensation: the people question asked on 已到达, its answer, and a month's figures.

The hours come from the order's own history (已出发/已到达, stand-down, the incident's close);
only the number of people is this feature's record, written once and never rewritten."""

from __future__ import annotations

from datetime import datetime, tzinfo

from core.actor import Actor
from core.clock import Clock
from core.compensation.model import MAX_PEOPLE, Deployment, ForceTotal, MonthFigures
from core.compensation.notices import workbook_notice
from core.compensation.policies import SEE_COMPENSATION
from core.compensation.ports import CompensationUnitOfWork
from core.dispatch.hooks import AnswerHook, Asked, OrderAnswered, Question
from core.dispatch.incidents import subject
from core.dispatch.model import OrderStatus, Prompt, PromptKind
from core.dispatch.ports import DispatchUnitOfWork
from core.errors import DomainError
from core.parse import digits, whole
from core.registry import ForceCategory, Unit
from core.usecases.common import audit

PEOPLE = frozenset({PromptKind.COMP_PEOPLE})
# An answer that says "not giving a number": the question is closed, nothing is recorded.
SKIP_WORDS = frozenset({"跳过", "不填", "略", "skip", "-", "—", "/"})
_QUOTE = 16  # a refusal quotes at most this much of what was typed


def _short(raw: str) -> str:
    raw = raw.strip()
    return raw if len(raw) <= _QUOTE else raw[:_QUOTE] + "…"


def after_answer() -> AnswerHook:
    """The dispatch chain's answer hook: a social force's 已到达 asks the person who tapped how
    many people the force sent (the handler sends the question after the commit)."""

    async def answered(uow: DispatchUnitOfWork, event: OrderAnswered) -> list[Question]:
        order = event.order
        if order.status is not OrderStatus.ON_SCENE or event.tg_id is None:
            return []
        force = await uow.units.get(order.unit_id)
        if force is None or force.category is not ForceCategory.SOCIAL or force.chat_id is None:
            return []
        assert order.id is not None
        prompt_id = await uow.prompts.add(Prompt(force.chat_id, None, PromptKind.COMP_PEOPLE,
                                                 order.id, event.tg_id, event.at))
        return [Question(force.chat_id, (Asked(event.tg_id, event.name, prompt_id),),
                         "compensation.ask", dict(incident=event.incident.id,
                                                  title=event.incident.title, max=MAX_PEOPLE))]

    return answered


async def answer_people(uow: CompensationUnitOfWork, actor: Actor, order_id: int, raw: str,
                        clock: Clock) -> int | None:
    """The number of people the force sent on this order, or None when the answer skips it.
    Anything but 1..MAX_PEOPLE in ASCII digits is refused (the question stays open)."""
    answer = raw.strip()
    if answer.lower() in SKIP_WORDS:
        return None
    people = whole(answer, 1, MAX_PEOPLE)
    if people is None:
        raise DomainError("compensation_people", value=_short(answer), max=MAX_PEOPLE)
    order = await uow.orders.get(order_id)
    if order is None:
        return None
    plan = await uow.plans.get(order.plan_id)
    now = clock.now()
    if await uow.compensation.record_people(order_id, people, actor.tg_id or 0,
                                            actor.display_name, now):
        await audit(uow, actor, "compensation.people",
                    subject(plan.incident_id if plan else 0, f"order:{order_id}"), now,
                    order=order_id, unit=order.unit_id, people=people)
    return people


def parse_month(raw: str) -> str:
    """`2026-11` as written; anything else is a refusal quoting it shortened."""
    text = raw.strip()
    year, sep, month = text.partition("-")
    if (sep and len(year) == 4 and len(month) in (1, 2) and digits(year) and digits(month)
            and 2000 <= int(year) <= 2099 and 1 <= int(month) <= 12):
        return f"{int(year):04d}-{int(month):02d}"
    raise DomainError("compensation_month", value=_short(text))


def month_bounds(month: str, zone: tzinfo) -> tuple[datetime, datetime]:
    year, mon = (int(p) for p in month.split("-"))
    start = datetime(year, mon, 1, tzinfo=zone)
    end = datetime(year + (mon == 12), mon % 12 + 1, 1, tzinfo=zone)
    return start, end


def totals(deployments: list[Deployment], now: datetime) -> list[ForceTotal]:
    """Per force, the largest number of hours first (ties by name)."""
    found: dict[int, ForceTotal] = {}
    for d in deployments:
        total = found.setdefault(d.unit_id, ForceTotal(d.unit_id, d.force, d.force_code))
        total.deployments += 1
        total.hours += d.hours(now)
        total.person_hours += d.person_hours(now)
        total.unreported += d.people is None
        total.ongoing += d.ended_at is None
    return sorted(found.values(), key=lambda t: (-t.hours, t.force))


async def month_figures(uow: CompensationUnitOfWork, actor: Actor, raw: str, clock: Clock,
                        zone: tzinfo) -> tuple[MonthFigures, Unit]:
    """The month's figures, and the bureau they are for (the chat they are asked in)."""
    bureau = SEE_COMPENSATION.require(actor)
    month = parse_month(raw)
    start, end = month_bounds(month, zone)
    now = clock.now()
    deployments = await uow.compensation.deployments(start, end)
    deployments.sort(key=lambda d: (d.force, d.started_at))
    return MonthFigures(month, now, totals(deployments, now), deployments), bureau


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def send_workbook(uow: CompensationUnitOfWork, actor: Actor, bureau: Unit,
                        figures: MonthFigures, name: str, content: bytes) -> None:
    """The workbook to the bureau's chat through the outbox, with the audit entry, in the
    command's transaction."""
    file_id = await uow.files.add(name, XLSX, content, figures.made_at)
    await uow.outbox.add(workbook_notice(bureau, figures, file_id))
    await audit(uow, actor, "compensation.report", f"compensation:{figures.month}",
                figures.made_at, month=figures.month, forces=len(figures.forces),
                deployments=len(figures.deployments), file_id=file_id)
