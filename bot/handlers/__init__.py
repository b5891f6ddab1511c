"""One Router per feature; bot.app joins them in order."""
