"""Refusals the mechanism gives; each carries a code the adapters render in the chat's language."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A request refused by the rules. Nothing was changed when it is raised."""

    def __init__(self, code: str, /, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    def __repr__(self) -> str:
        return f"DomainError({self.code!r}, {self.params!r})"


class NotAllowed(DomainError):
    """The actor lacks the role, or acts from the wrong chat."""


class NotFound(DomainError):
    """The thing named does not exist."""


class Conflict(DomainError):
    """The thing is no longer in a state that allows this (already decided, used, expired)."""
