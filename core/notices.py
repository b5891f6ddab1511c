"""Notices: what the mechanism wants said to a chat, as data. The delivery worker says it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import IntEnum, StrEnum
from typing import Any


class Priority(IntEnum):
    """Lower goes first. A dispatch order or a red warning is CRITICAL."""

    CRITICAL = 0
    HIGH = 1
    NORMAL = 2
    LOW = 3


class Action(StrEnum):
    """What a button does; short codes because they travel in 64-byte callback data."""

    APPROVE_PLAN = "pa"
    REJECT_PLAN = "pr"
    CONCUR = "ca"
    DISSENT = "cd"
    ORDER_RECEIVED = "or"
    ORDER_EN_ROUTE = "oe"
    ORDER_ON_SCENE = "os"
    ORDER_UNABLE = "ou"
    REINFORCE_APPROVE = "ra"
    REINFORCE_REJECT = "rr"
    WARNING_CONFIRM = "wc"
    ROLLCALL_ON_DUTY = "rd"
    WARNING_UPGRADE = "wu"
    WARNING_CANCEL = "wx"
    REPORT_LINK = "rl"  # 关联事件: choose an open incident for an information report
    REPORT_OPEN = "ro"  # 立为事件: open an incident from it
    TRAFFIC_ARRANGED = "ta"  # 已安排: public security / transport arranged the lanes
    TRAFFIC_NEEDS = "tn"  # 需协调: something needs coordinating (asked what)
    CONSULT_ACCEPT = "ea"  # 接受: an expert takes a consultation
    CONSULT_DECLINE = "ed"  # 无法参加: an expert cannot attend (a reason is asked)
    RESPONSE_AGREE = "ja"  # 同意启动: the other side agrees to a joint response proposal
    REGISTRY_APPLY = "fa"  # 应用: import the registry file an administrator sent
    REGISTRY_DISCARD = "fx"  # 取消: ... or leave the database as it is
    RESPONSE_REFUSE = "jn"  # 暂不启动: ... or not now, with a reason


@dataclass(frozen=True)
class Button:
    label: str  # a template key
    action: Action
    ref: int


@dataclass(frozen=True)
class Mention:
    tg_id: int
    name: str


# A nested value is stored in the outbox as JSON: these keys are its shape, so keep them.
TEXT = "_t"
MOMENT = "_dt"
LINES = "_lines"


def text(key: str, /, **params: Any) -> dict[str, Any]:
    """A parameter that is itself a text to translate in the recipient's language."""
    return {TEXT: key, **params}


def lines(items: list[Any]) -> dict[str, Any]:
    """A parameter of several values, one per line (a plain list is joined on one line)."""
    return {LINES: items}


@dataclass
class Notice:
    """One message to one chat.

    The recipient is a unit (its bound chat is looked up at send time, so a re-bound or
    upgraded chat still gets it) or a person's private chat. With ``edit_key`` set, the
    message first sent under that key in that chat is edited instead of a new one being sent.
    """

    template: str
    params: dict[str, Any] = field(default_factory=dict)
    unit_id: int | None = None
    person_tg_id: int | None = None
    buttons: tuple[tuple[Button, ...], ...] = ()
    priority: Priority = Priority.NORMAL
    edit_key: str | None = None
    mentions: tuple[Mention, ...] = ()
    subject: str = ""
    # Pinned in the chat once sent (quietly); where the bot may not pin, the chat is told once
    # and the notice still counts as delivered.
    pin: bool = False
    # A Telegram file_id: the photo goes first, captioned with the text's first line, then the
    # whole text as usual (so a text of any length arrives whole, and edits touch only it).
    photo: str = ""
    # A file the bot made and stored (core.files): sent first the same way, a picture as a
    # photo, anything else as a document; then the text.
    document: int | None = None
    id: int | None = None
    created_at: datetime | None = None

    def __post_init__(self) -> None:
        if (self.unit_id is None) == (self.person_tg_id is None):
            raise ValueError("a notice goes to exactly one unit or one person")


def moment(at: datetime) -> dict[str, Any]:
    """A parameter that is a point in time, shown in the county's local time."""
    return {MOMENT: at.isoformat()}
