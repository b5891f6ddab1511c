"""Storage on a real database: migrations up, down and up again; the schema matches the models;
repositories round-trip core's data classes. Runs on SQLite, and on PostgreSQL when
RESCUEBOT_TEST_POSTGRES is set."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from core.clock import ControllableClock
from core.invites import Invite
from core.notices import Action, Button, Mention, Notice, Priority
from core.registry import ForceCategory, Item, Person, Role, Unit, UnitKind
from storage import migrate
from storage.db import make_engine, make_sessionmaker
from storage.uow import UnitOfWorkFactory


def _names(conn: Any) -> set[str]:
    found = inspect(conn)
    names = set(found.get_table_names()) - {"alembic_version"}
    return names | {f"{t}.{c['name']}" for t in names for c in found.get_columns(t)}


async def tables(url: str) -> set[str]:
    """Every table, and every column as ``table.column``: a revision may only add columns."""
    engine = make_engine(url)
    async with engine.connect() as conn:
        names = await conn.run_sync(_names)
    await engine.dispose()
    return names


async def test_every_migration_upgrades_downgrades_and_upgrades(database_url: str) -> None:
    engine = make_engine(database_url)
    script = ScriptDirectory.from_config(migrate.alembic_config())
    revisions = [r.revision for r in reversed(list(script.walk_revisions()))]
    assert revisions[0] == "0001"
    for revision in revisions:
        await migrate.upgrade(engine, revision)
    await migrate.upgrade(engine)
    full = await tables(database_url)
    assert {"units", "people", "grants", "invites", "notices", "inbox", "audit_log"} <= full
    assert len(script.get_heads()) == 1, "migrations form one line"
    seen = [full]
    for _ in revisions:  # down one step at a time: every downgrade runs on its own
        await migrate.downgrade(engine, "-1")
        seen.append(await tables(database_url))
    assert seen[-1] == set()
    assert all(later < earlier for earlier, later in itertools.pairwise(seen))
    await migrate.upgrade(engine)
    assert await tables(database_url) == full
    await engine.dispose()


async def test_models_and_migrations_agree(database_url: str) -> None:
    engine = make_engine(database_url)
    await migrate.upgrade(engine)
    problems: list[str] = []

    def check(cfg: object) -> None:
        try:
            command.check(cfg)  # type: ignore[arg-type]
        except Exception as e:  # alembic raises when autogenerate finds a difference
            problems.append(str(e))

    await migrate._run(engine, check)
    await engine.dispose()
    assert not problems, problems


async def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'w.db'}")
    async with engine.connect() as conn:
        assert (await conn.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
        assert (await conn.execute(text("PRAGMA foreign_keys"))).scalar() == 1
    await engine.dispose()


async def test_repositories_round_trip(database_url: str) -> None:
    engine = make_engine(database_url)
    await migrate.upgrade(engine)
    clock = ControllableClock(ticking=False)
    uow = UnitOfWorkFactory(make_sessionmaker(engine), clock)
    async with uow() as u:
        dept = await u.units.add(Unit("dept-x", UnitKind.DEPARTMENT, "某局"))
        force = await u.units.add(Unit(
            "f-x", UnitKind.FORCE, "某队", category=ForceCategory.SOCIAL, township="城关镇",
            department_id=dept.id, capabilities=("搜救",), equipment=(Item("冲锋舟", 2),),
            materials=(Item("沙袋", 500, "袋"),), data_updated=date(2026, 5, 1)))
        person = await u.people.add(Person(123, "张三", "13800000000"))
        assert person.id and force.id
        await u.people.set_roles(person.id, force.id, frozenset({Role.HEAD, Role.DUTY_OFFICER}))
        now = clock.now()
        await u.invites.add(Invite("ABCDEFGH", force.id, 1, now, now + timedelta(hours=1)))
        await u.outbox.add(Notice("t.x", {"a": 1}, unit_id=force.id, priority=Priority.CRITICAL,
                                  buttons=((Button("b.ok", Action.ORDER_RECEIVED, 7),),),
                                  mentions=(Mention(123, "张三"),), edit_key="k"))
        await u.commit()
    async with uow() as u:
        again = await u.units.by_code("f-x")
        assert again == force
        members = await u.people.members(force.id)
        assert members[0].roles == {Role.HEAD, Role.DUTY_OFFICER}
        assert [p.tg_id for p in await u.people.with_role(Role.HEAD)] == [123]
        invite = await u.invites.get("ABCDEFGH")
        assert invite is not None and invite.expires_at == now + timedelta(hours=1)
        assert invite.expires_at.tzinfo is not None
        due = await u.outbox.due(datetime.now(UTC) + timedelta(days=400), 10)
        assert len(due) == 1 and due[0].notice.buttons[0][0].ref == 7
        assert due[0].notice.mentions == (Mention(123, "张三"),)
        assert due[0].chat_id is None  # the force has no bound chat yet
    await engine.dispose()
