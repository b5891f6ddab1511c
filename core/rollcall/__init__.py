"""Duty roll-calls (值班调度): scheduled and ad hoc, answered per force, summarised."""

from core.commands import CommandPolicy, register
from core.rollcall.usecases import may_call

register(CommandPolicy("rollcall", may_call))
register(CommandPolicy("sensitive", may_call))
register(CommandPolicy("duty", lambda actor, private: actor.chat_unit is not None))
