"""The Telegram adapter (aiogram 3): settings, app factory, handlers, delivery worker."""
