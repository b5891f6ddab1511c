"""The text of /whoami."""

from __future__ import annotations

from bot.i18n import Texts
from core.notices import text
from core.usecases.whoami import Membership, WhoAmI


def _membership(t: Texts, m: Membership) -> str:
    roles = [text(f"role.{r.value}") for r in sorted(m.roles)]
    return t("whoami.unit", name=m.unit.name, code=m.unit.code, roles=roles)


def whoami_text(t: Texts, me: WhoAmI) -> str:
    if me.anonymous or me.tg_id is None:
        return t("whoami.anonymous")
    lines = [t("whoami.id", id=me.tg_id), t("whoami.name", name=me.name)]
    if me.settings_admin:
        lines.append(t("whoami.settings_admin"))
    if me.memberships:
        lines.append(t("whoami.units"))
        lines.extend(_membership(t, m) for m in me.memberships)
    elif me.in_registry:
        lines.append(t("whoami.no_roles"))
    else:
        lines.append(t("whoami.not_registered", id=me.tg_id))
    return "\n".join(lines)
