"""What the delivery worker knows is waiting: per chat, in the order it must be sent.

The outbox is read in three ways, each costing what it finds: on a commit, only the notices
newer than the last read; every poll interval, a light scan of ids, chats and keys (for
retries coming due and commits another process made); and a notice's text and buttons only
when it is next in its chat. Of several edits of one message, only the newest is kept.
"""

from __future__ import annotations

import bisect

from core.ports import Delivery, Queued

ChatKey = int | tuple[str, int]


def chat_key(chat_id: int | None, notice_id: int) -> ChatKey:
    # A notice with no chat (its unit is unbound) is a queue of its own: it fails at once.
    return chat_id if chat_id is not None else ("unbound", notice_id)


def queued(d: Delivery) -> Queued:
    assert d.notice.id is not None
    return Queued(d.notice.id, int(d.notice.priority), d.chat_id, d.notice.edit_key,
                  has_message=False)


class ChatQueues:
    def __init__(self) -> None:
        self._chats: dict[ChatKey, list[tuple[int, int, Queued]]] = {}
        self._keys: dict[tuple[ChatKey, str], Queued] = {}
        self._where: dict[int, ChatKey] = {}
        self.loaded: dict[int, Delivery] = {}

    def __len__(self) -> int:
        return sum(len(q) for q in self._chats.values())

    def add(self, q: Queued, d: Delivery | None = None) -> tuple[int, int] | None:
        """Queue a notice; returns (superseded id, by id) when an edit made another stale."""
        key = chat_key(q.chat_id, q.id)
        stale = None
        edit = q.edit_key
        if edit:
            other = self._keys.get((key, edit))
            if other is not None:
                if other.id == q.id:
                    return None
                if other.id > q.id:
                    return (q.id, other.id)
                self._remove(key, other)
                stale = (other.id, q.id)
                q = Queued(q.id, q.priority, q.chat_id, edit, q.has_message or other.has_message)
            self._keys[(key, edit)] = q
        elif q.id in self._where:
            return None
        bisect.insort(self._chats.setdefault(key, []), (q.priority, q.id, q))
        self._where[q.id] = key
        if d is not None:
            self.loaded[q.id] = d
        return stale

    def _remove(self, key: ChatKey, q: Queued) -> None:
        items = self._chats[key]
        items.remove((q.priority, q.id, q))
        if not items:
            del self._chats[key]
        del self._where[q.id]
        if q.edit_key and self._keys.get((key, q.edit_key)) is q:
            del self._keys[(key, q.edit_key)]
        self.loaded.pop(q.id, None)

    def chats(self) -> set[int]:
        """The chats with something waiting."""
        return {key for key in self._chats if isinstance(key, int)}

    def unbound(self) -> bool:
        """Notices of units without a chat wait."""
        return any(not isinstance(key, int) for key in self._chats)

    def heads(self) -> list[tuple[ChatKey, Queued]]:
        """The next notice of every chat, most urgent first."""
        firsts = [(items[0][0], items[0][1], key) for key, items in self._chats.items()]
        firsts.sort(key=lambda t: (t[0], t[1]))
        return [(key, self._chats[key][0][2]) for *_, key in firsts]

    def take(self, key: ChatKey) -> Delivery:
        q = self._chats[key][0][2]
        d = self.loaded[q.id]
        self._remove(key, q)
        return d

    def drop(self, notice_id: int) -> None:
        key = self._where.get(notice_id)
        if key is None:
            return
        for *_, q in self._chats[key]:
            if q.id == notice_id:
                self._remove(key, q)
                return

    def forget_chat(self, chat_id: int) -> None:
        for *_, q in list(self._chats.get(chat_id, ())):
            self._remove(chat_id, q)
