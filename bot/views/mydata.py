"""A force's data as /mydata shows it, and the stale forces as /stale lists them."""

from __future__ import annotations

from typing import Any

from bot.i18n import Html, Texts
from core.mydata.model import PERSON_FIELDS, Change, Field
from core.mydata.notices import left
from core.mydata.usecases import ForceData, Freshness, Stale
from core.registry import Item, Member, Role, Unit

ROLE_ORDER = (Role.HEAD, Role.DUTY_OFFICER, *(r for r in Role
                                            if r not in (Role.HEAD, Role.DUTY_OFFICER)))


def _rank(m: Member) -> tuple[int, str]:
    """The head first, then duty officers, then members."""
    return min((ROLE_ORDER.index(r) for r in m.roles), default=len(ROLE_ORDER)), m.person.name


def _item(t: Texts, item: Item) -> str:
    return t("mydata.item", name=item.name, count=item.count, unit=item.unit)


def _list(t: Texts, lines: list[str]) -> str:
    return "\n".join(lines) if lines else t("mydata.none")


def force_text(t: Texts, data: ForceData) -> str:
    u = data.unit
    people = [t("mydata.person", name=m.person.name, phone=m.person.phone or "—",
                roles=[t(f"role.{r.value}") for r in ROLE_ORDER if r in m.roles])
              for m in sorted(data.members, key=_rank)]
    on_duty = (t("mydata.on_duty", count=u.on_duty, day=str(u.on_duty_on or "—"))
               if u.on_duty is not None else t("mydata.none"))
    return t("mydata.show", name=u.name, code=u.code,
             department=data.department.name if data.department else "—",
             updated=str(u.data_updated) if u.data_updated else t("mydata.never"),
             people=Html(_list(t, people)),
             capabilities=list(u.capabilities) if u.capabilities else t("mydata.none"),
             equipment=Html(_list(t, [_item(t, i) for i in u.equipment])),
             materials=Html(_list(t, [_item(t, i) for i in u.materials])),
             on_duty=on_duty)


def stale_text(t: Texts, found: Freshness, days: int) -> str:
    stale, parts = found.stale, []
    if not stale:
        parts.append(t("mydata.stale.none", days=days))
    else:
        parts.append(_stale_list(t, stale, days))
    if found.expiring:
        parts.append(t("mydata.expiring.list", count=len(found.expiring), lines=Html("\n".join(
            t(f"mydata.expiring.{e.field.value}", name=e.person, force=e.unit_name,
              until=e.until.isoformat(), left=left(e.days_left)) for e in found.expiring))))
    return "\n\n".join(parts)


def _stale_list(t: Texts, stale: list[Stale], days: int) -> str:
    lines = [t("mydata.stale.line", name=s.unit.name, code=s.unit.code,
               updated=str(s.unit.data_updated), age=s.age_days) if s.age_days is not None
             else t("mydata.stale.undated", name=s.unit.name, code=s.unit.code)
             for s in stale]
    return t("mydata.stale.list", days=days, count=len(stale), lines=Html("\n".join(lines)))


def updated_text(t: Texts, change: Change, force: Unit, old: Any, new: Any) -> str:
    """What an /update did, old → new, and the data's new date."""
    if change.field in PERSON_FIELDS:
        done = t(f"mydata.updated.{change.field.value}", name=change.name,
                 old=old or "—", new=new)
    elif change.field is Field.CAPABILITY:
        done = t("mydata.updated.capability" if change.add else "mydata.updated.uncapability",
                 name=change.name)
    else:
        done = t(f"mydata.updated.{change.field.value}", name=change.name,
                 old="—" if old is None else old, new=new, unit=change.unit)
    return t("mydata.updated", change=done, day=str(force.data_updated))
