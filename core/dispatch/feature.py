"""The dispatch chain as a feature: incidents, plans, the bureau's approval, orders, escalation."""

from __future__ import annotations

from core.dispatch import policies as p
from core.dispatch.orders import order_undeliverable
from core.feature import Feature
from core.policy import IN_BOUND_GROUP

DISPATCH = Feature(
    name="dispatch",
    catalog="dispatch",
    commands=(
        ("incident", p.OPEN_INCIDENT),
        ("dispatch", p.DISPATCH),
        ("hq", p.NAME_HQ),
        ("period", p.DECLARE_PERIOD),
        ("reinforce", p.REQUEST_REINFORCEMENT),
        ("standdown", p.STAND_DOWN),
        ("withdraw", p.WITHDRAW),
        ("close", p.CLOSE),
        ("log", IN_BOUND_GROUP),
    ),
    failure_hooks={"order": order_undeliverable},
)
