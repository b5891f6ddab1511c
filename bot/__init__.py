"""The Telegram adapter (aiogram 3): settings, app factory, handlers, delivery worker."""

from bot.lean_types import defer_aiogram_builds

# Before anything imports aiogram: its types are built when first used, not all at import.
defer_aiogram_builds()
