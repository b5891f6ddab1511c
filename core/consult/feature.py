"""Experts on order (专家会商) as a feature."""

from __future__ import annotations

from core.consult.policies import CONSULT
from core.consult.usecases import consult_undeliverable
from core.feature import Feature

CONSULTS = Feature(
    name="consult",
    catalog="consult",
    commands=(("consult", CONSULT),),
    failure_hooks={"consult": consult_undeliverable},
)
