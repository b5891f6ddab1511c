"""Traffic support (交通运输保障) as a feature: no command of its own; it answers when a plan's
orders go out (the dispatch chain's after-orders hook) and takes its buttons' taps."""

from __future__ import annotations

from core.feature import Feature
from core.traffic.usecases import request_undeliverable

TRAFFIC = Feature(name="traffic", catalog="traffic",
                  failure_hooks={"traffic": request_undeliverable})
