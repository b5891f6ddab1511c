"""Fault injection: make the next calls fail, stall or get flood-limited."""

from __future__ import annotations

from dataclasses import dataclass, field

_DESCRIPTIONS = {
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
    400: "Bad Request: injected fault",
    403: "Forbidden: injected fault",
    404: "Not Found",
    409: "Conflict: injected fault",
}

# Methods that count toward flood limits; rate_limit_next targets them by default.
COUNTED_METHODS = frozenset(
    {
        "sendmessage",
        "senddocument",
        "sendphoto",
        "editmessagetext",
        "editmessagereplymarkup",
        "editmessagecaption",
    }
)


@dataclass
class _Rule:
    kind: str  # "fail", "slow" or "rate_limit"
    remaining: int
    method: str | None
    status: int = 500
    delay: float = 0.0
    retry_after: int = 1

    def matches(self, method: str) -> bool:
        if self.method is not None:
            return self.method.lower() == method
        if self.kind == "rate_limit":
            return method in COUNTED_METHODS
        # A bare rule would otherwise be eaten by the bot's idle getUpdates loop.
        return method != "getupdates"


@dataclass
class Injected:
    """What the server must do to the current call."""

    delay: float = 0.0
    status: int | None = None
    description: str = ""
    retry_after: int | None = None


@dataclass
class Faults:
    rules: list[_Rule] = field(default_factory=list)
    kick_on_send: set[int] = field(default_factory=set)
    upgrade_on_send: set[int] = field(default_factory=set)

    def fail_next(self, count: int = 1, status: int = 500, method: str | None = None) -> None:
        """The next ``count`` calls (of ``method``; any but getUpdates if None) fail."""
        self.rules.append(_Rule("fail", count, method, status=status))

    def slow_next(self, count: int, delay_seconds: float, method: str | None = None) -> None:
        self.rules.append(_Rule("slow", count, method, delay=delay_seconds))

    def rate_limit_next(
        self, count: int = 1, retry_after: int = 1, method: str | None = None
    ) -> None:
        """The next ``count`` send/edit calls get 429, whatever the real limits say."""
        self.rules.append(_Rule("rate_limit", count, method, status=429, retry_after=retry_after))

    def kick_on_next_send(self, chat_id: int) -> None:
        self.kick_on_send.add(chat_id)

    def upgrade_on_next_send(self, chat_id: int) -> None:
        self.upgrade_on_send.add(chat_id)

    def clear(self) -> None:
        self.rules.clear()
        self.kick_on_send.clear()
        self.upgrade_on_send.clear()

    def take(self, method: str) -> Injected:
        """Consume the rules that apply to one call of ``method`` (lower-case)."""
        result = Injected()
        for rule in list(self.rules):
            if not rule.matches(method):
                continue
            if rule.kind == "slow":
                result.delay += rule.delay
            elif result.status is None:
                result.status = rule.status
                if rule.kind == "rate_limit":
                    result.retry_after = rule.retry_after
                    result.description = f"Too Many Requests: retry after {rule.retry_after}"
                else:
                    result.description = _DESCRIPTIONS.get(rule.status, "Injected fault")
            else:
                continue
            rule.remaining -= 1
            if rule.remaining <= 0:
                self.rules.remove(rule)
        return result

    def describe(self) -> dict[str, object]:
        return {
            "rules": [
                {"kind": r.kind, "remaining": r.remaining, "method": r.method} for r in self.rules
            ],
            "kick_on_next_send": sorted(self.kick_on_send),
            "upgrade_on_next_send": sorted(self.upgrade_on_send),
        }
