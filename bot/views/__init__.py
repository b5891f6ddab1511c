"""Pure renderers from core's results to text, testable without Telegram."""
