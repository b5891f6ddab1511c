"""Who may ask for the figures: any bound group; what it sees follows from its unit (the
county for the brigade, the bureau and the county government, a department's forces, a force
itself), so /help and the use case ask the same object and the scope is the use case's."""

from __future__ import annotations

from core.policy import IN_BOUND_GROUP

SEE_STATS = IN_BOUND_GROUP
