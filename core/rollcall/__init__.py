"""Duty roll-calls (值班调度): scheduled and ad hoc, answered per force, summarised."""
