"""/drill opens a drill incident (and, if asked, its roll-call); /spotcheck draws units at
random and calls their roll; /muster reads an incident's muster figures."""

from __future__ import annotations

from dataclasses import dataclass

from core.actor import Actor
from core.clock import Clock
from core.dispatch.incidents import IncidentLine, get_incident, start_incident
from core.dispatch.model import LEVEL_WORDS, Incident, Level, Order
from core.dispatch.muster import MusterRow, muster
from core.drills.draw import draw, new_seed
from core.drills.policies import OPEN_DRILL, SPOTCHECK
from core.drills.ports import DrillUnitOfWork
from core.errors import DomainError, NotAllowed
from core.limits import within
from core.notices import text
from core.parse import in_range
from core.registry import Role, Unit, UnitKind
from core.rollcall.config import RollCallConfig
from core.rollcall.model import RollCall, RollCallKind
from core.rollcall.usecases import open_for, open_ordered
from core.usecases.common import audit
from core.warnings.targets import TargetSpec, parse_targets, select_forces

DRILL_USAGE = text("usage.drill")
SPOTCHECK_USAGE = text("usage.spotcheck")
MAX_DRAW = 99_999  # more than any county has; a larger number is a typing slip
DEPT_WORDS = frozenset({"dept", "department", "部门"})
_ALL_WORDS = frozenset({"all", "全部", "全县"})


@dataclass(frozen=True)
class DrillLine:
    level: Level
    township: str
    scenario: str
    targets: TargetSpec | None = None


def _is_targets(word: str) -> bool:
    return ":" in word or "：" in word or word.lower() in _ALL_WORDS


def parse_drill(args: str) -> DrillLine:
    """``[level] <township> <scenario…> [targets]``: the level defaults to 一般; a last word
    that reads as roll-call targets (all, force:a,b, township:x, category:…) starts a drill
    roll-call of those forces at once."""
    words = args.split()
    level = Level.GENERAL
    if words and words[0].lower() in LEVEL_WORDS:
        level = LEVEL_WORDS[words.pop(0).lower()]
    targets = parse_targets(words.pop()) if len(words) > 2 and _is_targets(words[-1]) else None
    if len(words) < 2:
        raise DomainError("usage", usage=DRILL_USAGE)
    return DrillLine(level, within("township", words[0]), within("title", " ".join(words[1:])),
                     targets)


@dataclass(frozen=True)
class DrillOpened:
    incident: Incident
    rollcall: RollCall | None
    called: int


async def open_drill(uow: DrillUnitOfWork, actor: Actor, args: str, clock: Clock,
                     cfg: RollCallConfig) -> DrillOpened:
    """A drill incident, announced as any incident but marked 演练 everywhere it goes; with
    targets, a drill roll-call of those forces (counted apart from real duty)."""
    OPEN_DRILL.require(actor)
    line = parse_drill(args)
    if line.targets is not None:  # refuse before anything is opened
        forces, _ = select_forces(line.targets, await uow.units.list(UnitKind.FORCE))
        if not forces:
            raise DomainError("no_targets", targets=str(line.targets))
    incident = await start_incident(uow, actor, IncidentLine(
        line.level, line.township, line.scenario, is_drill=True), clock)
    assert incident.id is not None
    now = clock.now()
    opened = None
    if line.targets is not None:
        opened = await open_ordered(uow, line.targets, actor.tg_id, now, cfg, incident.id)
    rc, called = opened if opened is not None else (None, 0)
    # On the incident's subject, so /log shows the drill and its roll-call.
    await audit(uow, actor, "drill.opened", f"incident:{incident.id}/", now,
                incident=incident.id, scenario=line.scenario, township=line.township)
    if rc is not None:
        await audit(uow, actor, "drill.rollcall", f"incident:{incident.id}/rollcall:{rc.id}",
                    now, incident=incident.id, rollcall=rc.id, targets=rc.scope, forces=called)
    return DrillOpened(incident, rc, called)


@dataclass(frozen=True)
class SpotCheck:
    rollcall: RollCall
    drawn: list[Unit]
    asked: int  # the N asked for
    pool: int  # how many bound units the scope holds
    departments: bool

    @property
    def whole_scope(self) -> bool:
        return self.asked >= self.pool


@dataclass(frozen=True)
class SpotCheckLine:
    n: int
    departments: bool
    targets: TargetSpec


def parse_spotcheck(args: str) -> SpotCheckLine:
    """``<N> [targets]`` for forces, ``dept <N>`` for the departments' duty rooms."""
    words = args.split()
    departments = bool(words) and words[0].lower() in DEPT_WORDS
    if departments:
        words.pop(0)
    if not words or len(words) > (1 if departments else 2):
        raise DomainError("usage", usage=SPOTCHECK_USAGE)
    n = in_range(words[0], 1, MAX_DRAW, SPOTCHECK_USAGE)
    targets = parse_targets(words[1]) if len(words) == 2 else TargetSpec("all")
    return SpotCheckLine(n, departments, targets)


async def _candidates(uow: DrillUnitOfWork, line: SpotCheckLine) -> list[Unit]:
    if line.departments:
        return [u for u in await uow.units.list(UnitKind.DEPARTMENT) if u.is_bound]
    forces, _ = select_forces(line.targets, await uow.units.list(UnitKind.FORCE))
    return forces


async def spot_check(uow: DrillUnitOfWork, actor: Actor, args: str, clock: Clock,
                     cfg: RollCallConfig, seed: int | None = None) -> SpotCheck:
    """N bound units drawn at random from the scope get a roll-call with the spot-check's
    shorter answer time. The seed goes on the roll-call and into the audit trail with the
    units drawn, so the choice can be drawn again and shown to be random."""
    SPOTCHECK.require(actor)
    line = parse_spotcheck(args)
    pool = await _candidates(uow, line)
    scope = "dept" if line.departments else str(line.targets)
    if not pool:
        raise DomainError("no_targets", targets=scope)
    seed = new_seed() if seed is None else seed
    drawn = draw(pool, line.n, seed)
    now = clock.now()
    rc = await open_for(uow, RollCall(RollCallKind.SPOTCHECK, scope, now,
                                      now + cfg.spotcheck_window, None, actor.tg_id,
                                      seed=seed), drawn)
    await audit(uow, actor, "rollcall.spotcheck", f"rollcall:{rc.id}", now, seed=seed,
                scope=scope, asked=line.n, pool=len(pool), drawn=[u.code for u in drawn])
    return SpotCheck(rc, drawn, line.n, len(pool), line.departments)


async def redraw(uow: DrillUnitOfWork, rollcall_id: int) -> list[Unit]:
    """The units a spot-check's recorded seed draws from the registry as it is now (the
    same as drawn, unless units were bound or unbound since)."""
    rc = await uow.rollcalls.get(rollcall_id)
    if rc is None or rc.kind is not RollCallKind.SPOTCHECK or rc.seed is None:
        raise DomainError("not_a_spotcheck", id=rollcall_id)
    n = len(await uow.rollcalls.answers(rollcall_id))
    departments = rc.scope == "dept"
    targets = TargetSpec("all") if departments else parse_targets(rc.scope)
    pool = await _candidates(uow, SpotCheckLine(n, departments, targets))
    return draw(pool, n, rc.seed)


async def incident_muster(uow: DrillUnitOfWork, actor: Actor, raw: str
                          ) -> tuple[Incident, list[MusterRow]]:
    """/muster <incident>: each force's minutes to 收到, 已出发, 已到达."""
    actor.require_person()  # READ_MUSTER: a person, in a bound group (as /log)
    if actor.chat_unit is None:
        raise NotAllowed("wrong_chat", role=Role.DISPATCHER.value)
    if not raw.strip():
        raise DomainError("usage", usage=text("usage.muster"))
    incident = await get_incident(uow, raw.strip(), open_only=False)
    assert incident.id is not None
    orders: list[tuple[Order, str]] = []
    for plan in await uow.plans.for_incident(incident.id):
        assert plan.id is not None
        for order in await uow.orders.for_plan(plan.id):
            force = await uow.units.get(order.unit_id)
            orders.append((order, force.name if force else "?"))
    return incident, muster(orders)
