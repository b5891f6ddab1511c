"""The random draw of a spot-check, reproducible from its seed.

The candidates are put in a fixed order (by code) before drawing, so the same seed over the
same registry gives the same units whatever order storage returned them in; anyone holding the
seed from the audit trail can draw again and see the choice was not picked by hand.
"""

from __future__ import annotations

import random
import secrets

from core.registry import Unit

SEED_BITS = 48  # fits the BIGINT column and stays short enough to read out


def new_seed() -> int:
    return secrets.randbits(SEED_BITS)


def draw(candidates: list[Unit], n: int, seed: int) -> list[Unit]:
    """``n`` units (all of them if fewer), in the order drawn."""
    pool = sorted(candidates, key=lambda u: u.code)
    return random.Random(seed).sample(pool, min(n, len(pool)))
