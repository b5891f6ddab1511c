"""The delivery worker: reads the outbox, most urgent first, and sends at Telegram's pace.

One send per chat at a time keeps each chat's order; the limiter keeps the bot inside
Telegram's limits; every outcome is written back, so a restart resumes where it stopped (a
send in flight at a crash may be repeated, nothing is lost).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
import uuid
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import BufferedInputFile, InlineKeyboardMarkup

from bot.delivery_queue import ChatQueues
from bot.i18n import Translator
from bot.logs import incident_of, log_context
from bot.pacing import Pacer, Reservation, in_context, release_unused
from bot.render import ELLIPSIS, render, shorten, visible
from bot.settings import DeliverySettings
from core.clock import Clock
from core.config import MechanismConfig
from core.county import CountyUow
from core.feature import FailureHook
from core.notices import Priority
from core.ports import Delivery, Queued
from core.usecases.binding import chat_migrated
from core.usecases.delivery import notice_undeliverable, pin_refused
from storage.db import is_transient

log = logging.getLogger(__name__)
SCAN_LIMIT = 20000  # light rows; far more than an hour of sends at Telegram's pace
PAGE = 500  # whole notices read at once: a fan-out starts sending after the first page
# Routine notices (NORMAL and LOW: boards, filing copies, summaries, lesser warnings) leave
# this many of the second's global slots free, so an order, a roll-call or a red warning
# committed meanwhile goes out at once instead of up to a second later; a routine fan-out runs
# at 27 a second instead of 30.
URGENT_HEADROOM = 3
SHOWN_KEPT = 20000  # edited messages whose last text is remembered
PHOTO_CAPTION = 200  # a photo's caption: the first line of the text that follows it
PIN_ATTEMPTS = 3  # a pin that fails for the network or a 5xx; a refusal is not tried again


def _uncounted(outcome: str, seconds: float) -> None:
    pass


def send_outcome(error: BaseException) -> str:
    """The label a failed send is counted under (rescuebot_sends_total{outcome})."""
    if isinstance(error, TelegramRetryAfter):
        return "429"
    if isinstance(error, TelegramMigrateToChat):
        return "migrated"
    if isinstance(error, TelegramForbiddenError):
        return "403"
    if isinstance(error, TelegramServerError):
        return "5xx"
    return "other"


def _shown(text: str, markup: InlineKeyboardMarkup | None) -> tuple[str, str | None]:
    return text, markup.model_dump_json() if markup is not None else None


class DeliveryWorker:
    def __init__(
        self,
        bot: Bot,
        uow: CountyUow,
        translator: Translator,
        clock: Clock,
        config: MechanismConfig,
        settings: DeliverySettings,
        pacer: Pacer,
        failure_hooks: Mapping[str, FailureHook],
        owner: str | None = None,
    ) -> None:
        self.bot, self.uow, self.t, self.clock = bot, uow, translator, clock
        self.config, self.settings = config, settings
        self.pacer = pacer
        # This process's name in the claims: unique even for two processes of one host.
        self.owner = (owner or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}")[:64]
        self._held: dict[int, datetime] = {}  # claimed chats (0: unbound units) -> lease end
        self._renewed = float("-inf")
        self._more = False  # the last claim left chats unclaimed for want of room
        self._releasing: set[int] = set()
        self._chat_wait: dict[int, float] = {}  # the pacing said: not before then
        self.failure_hooks = failure_hooks
        self._wake = asyncio.Event()  # look again: a send finished or something changed
        self._dirty = True  # new notices were committed: read those
        self._last_scan = float("-inf")
        self._high = 0  # the highest notice id read so far
        self._queue = ChatQueues()
        self._in_flight: set[int] = set()
        # Finished here but perhaps still pending in a scan read while they were in flight.
        self._settled: dict[int, float] = {}
        # Superseded here, to be written down; until then a scan may still show them pending.
        self._superseded: dict[int, int] = {}
        self._writing: asyncio.Task[None] | None = None
        self._posted: set[tuple[int, str]] = set()  # (chat, edit key) with a message now
        # What each edited message last showed: a part of a long board that did not change is
        # not edited again, so a tap costs one of the group's 20 edits a minute, not one per
        # part. Forgotten on restart (then every part is edited once).
        self._shown: dict[tuple[int, int], tuple[str, str | None]] = {}
        self._busy_chats: set[int] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._records: asyncio.Queue[tuple[int, int, list[int], asyncio.Future[None]]] = (
            asyncio.Queue()
        )
        # Told each send's outcome and seconds (bot/metrics.py: rescuebot_sends_total, ...).
        self.on_send: Callable[[str, float], None] = _uncounted

    def wake(self) -> None:
        """Called after every commit that added notices."""
        self._dirty = True
        self._wake.set()

    async def run(self) -> None:
        log.info("delivery worker started")
        self._wake.set()
        recorder = asyncio.create_task(self._recorder(), name="delivery-recorder")
        pause = 0.0
        try:
            while True:
                try:
                    delay = await self._pass()
                except Exception as e:
                    # A busy or restarting database is waited out; the outbox keeps every
                    # notice, so the next pass reads again what this one could not.
                    if not is_transient(e):
                        log.exception("a delivery pass failed; trying again")
                    elif pause == 0.0:
                        log.warning("delivery: database busy or unreachable (%s); waiting",
                                    type(e).__name__)
                    self._dirty = True
                    pause = min(max(pause * 2, 0.2), 5.0)
                    await asyncio.sleep(pause)
                    continue
                if pause:
                    log.info("delivery: database answers again")
                    pause = 0.0
                await self._sleep(delay)
        finally:
            recorder.cancel()
            for task in list(self._tasks):
                task.cancel()

    async def _sleep(self, delay: float) -> None:
        if delay <= 0:
            await asyncio.sleep(0)
            return
        # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow a cancellation that
        # arrives as the timeout fires, and the worker would never stop.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(delay):
                await self._wake.wait()

    def _skipped(self, started: float) -> set[int]:
        """Ids a read that began at ``started`` may wrongly show as pending."""
        # A read that began before a send finished may still show it pending: skip those; a
        # read that began after sees the truth (sent, or pending again for a retry).
        fresh = {i for i, at in self._settled.items() if at >= started}
        self._settled = {i: self._settled[i] for i in fresh}
        return self._in_flight | fresh | set(self._superseded)

    async def release_all(self) -> None:
        """On a clean stop: every chat we hold goes back to the pool."""
        if self._held:
            async with self.uow() as uow:
                await uow.claims.release(set(self._held), self.owner)
                await uow.commit()
            self._held.clear()

    def _lease(self) -> timedelta:
        return timedelta(seconds=self.settings.lease_seconds)

    async def _scan(self) -> None:
        """The poll interval's look: renew our claims, claim chats that wait, and read our
        chats' queues, light rows only."""
        self._dirty = False
        started = self._last_scan = time.monotonic()
        now = self.clock.now()
        until = now + self._lease()
        idle = self._idle()
        renew = started - self._renewed >= self.settings.lease_seconds / 3
        held = set(self._held) - idle
        taken: set[int] = set()
        # One transaction: give back the chats emptied since the last look (not one write per
        # chat as each empties), renew when due, claim what room allows, read our queues.
        async with self.uow() as uow:
            await uow.claims.release(idle, self.owner)
            if renew:
                kept = await uow.claims.renew(held, self.owner, until)
                for chat in held - kept:
                    log.warning("delivery: the claim on chat %s was lost; another process "
                                "has it", chat)
                held = kept
            room = self.settings.claim_chats - len(held)
            if room > 0:
                wanted = await uow.claims.candidates(now, room + 1)
                self._more = len(wanted) > room
                taken = await uow.claims.claim(wanted[:room], self.owner, now, until)
            rows = await uow.outbox.queued(now, SCAN_LIMIT, held | taken)
            self._high = max(self._high, await uow.outbox.last_id())
            await uow.commit()
        if renew:
            self._renewed = started
        for chat in idle:
            self._chat_wait.pop(chat, None)
        self._held = {c: until if renew or c in taken else self._held[c] for c in held | taken}
        skip = self._skipped(started)
        old, self._queue = self._queue, ChatQueues()
        for q in rows:
            if q.id not in skip:
                self._queued(q, old.loaded.get(q.id))
        await self._load_heads()

    async def _read_new(self) -> None:
        """After a commit (here, or another process's NOTIFY): only the notices newer than any
        read so far; those of chats nobody holds are claimed, with their whole queue."""
        self._dirty = False
        started = time.monotonic()
        now = self.clock.now()
        async with self.uow() as uow:
            new = await uow.outbox.fresh(self._high, now, PAGE)
        if len(new) == PAGE:
            self._dirty = True  # more to read: the next pass, after starting these
        skip = self._skipped(started)
        want: dict[int, int] = {}
        for q in new:
            self._high = max(self._high, q.id)
            chat = q.chat_id or 0
            if chat in self._held:
                if q.id not in skip:
                    self._queued(q, None)
            else:
                want[chat] = min(q.priority, want.get(chat, q.priority))
        if want:
            # Routine chats up to the room left; urgent ones beyond it (up to as many again),
            # so an order is never stuck behind a routine fan-out that fills the claims, and
            # an urgent fan-out is still shared with the other processes.
            room = self.settings.claim_chats - len(self._held)
            urgent_room = 2 * self.settings.claim_chats - len(self._held)
            order = sorted(want, key=lambda c: want[c])
            chosen = [c for i, c in enumerate(order)
                      if i < room or (want[c] < Priority.NORMAL and i < urgent_room)]
            self._more = self._more or len(chosen) < len(order)
            await self._claim(chosen, started)
        await self._load_heads()

    async def _claim(self, chats: list[int], started: float) -> None:
        """Claim these chats and read their queues (light rows)."""
        if not chats:
            return
        now = self.clock.now()
        until = now + self._lease()
        async with self.uow() as uow:
            got = await uow.claims.claim(chats, self.owner, now, until)
            await uow.commit()
        if not got:
            return
        for chat in got:
            self._held[chat] = until
        async with self.uow() as uow:
            rows = await uow.outbox.queued(now, SCAN_LIMIT, got)
        skip = self._skipped(started)
        for q in rows:
            if q.id not in skip:
                self._queued(q, None)

    async def _renew(self) -> None:
        started = time.monotonic()
        until = self.clock.now() + self._lease()
        async with self.uow() as uow:
            held = await uow.claims.renew(self._held, self.owner, until)
            await uow.commit()
        self._renewed = started
        for chat in set(self._held) - held:
            log.warning("delivery: the claim on chat %s was lost; another process has it", chat)
            self._queue.forget_chat(chat)
        self._held = {c: until for c in held}

    def _idle(self) -> set[int]:
        """Held chats with nothing waiting and nothing in flight."""
        busy = self._queue.chats() | self._busy_chats
        return {c for c in self._held
                if c not in busy and not (c == 0 and self._queue.unbound())}

    def _queued(self, q: Queued, d: Delivery | None) -> None:
        stale = self._queue.add(q, d)
        if stale is not None:
            self._superseded[stale[0]] = stale[1]

    async def _write_superseded(self) -> None:
        """Collapsed edits are written down in a short transaction of their own."""
        batch = dict(self._superseded)
        by: dict[int, list[int]] = {}
        for old, new in batch.items():
            by.setdefault(new, []).append(old)
        try:
            async with self.uow() as uow:
                for new, olds in by.items():
                    await uow.outbox.mark_superseded(olds, new)
                await uow.commit()
        except Exception:
            log.exception("recording %s superseded edits failed; trying again", len(batch))
            return
        done = time.monotonic()
        for old in batch:
            self._superseded.pop(old, None)
            self._settled[old] = done

    async def _pass(self) -> float:
        """Start every send the limits allow now; return how long to wait before the next."""
        self._wake.clear()
        if time.monotonic() - self._last_scan >= self.settings.poll_seconds:
            await self._scan()
        else:
            if time.monotonic() - self._renewed >= self.settings.lease_seconds / 3:
                await self._renew()
            if self._dirty:
                await self._read_new()
        if self._superseded and (self._writing is None or self._writing.done()):
            self._writing = asyncio.create_task(self._write_superseded())
        wait = await self._start_due()
        # Chats wait unclaimed for want of room: give back the emptied ones sooner.
        if (self._more and len(self._held) >= self.settings.claim_chats
                and time.monotonic() - self._last_scan >= self.settings.poll_seconds / 4
                and len(self._idle()) >= self.settings.claim_chats // 2):
            self._last_scan = float("-inf")
        return 0 if self._dirty else wait

    def _is_edit(self, q: Queued) -> bool:
        assert q.chat_id is not None
        return bool(q.edit_key) and (q.has_message or (q.chat_id, q.edit_key) in self._posted)

    def _leased(self, chat: int) -> bool:
        """Our lease on the chat has time left for a send: a send never starts on a lease
        about to end, which another process may take meanwhile."""
        until = self._held.get(chat)
        margin = timedelta(seconds=self.settings.lease_seconds / 4)
        return until is not None and until - self.clock.now() > margin

    async def _start_due(self) -> float:
        now = time.monotonic()
        wait = self.settings.poll_seconds
        full = await self.pacer.global_wait(now)
        if full > 0:  # the usual case in a fan-out: not worth ordering the queue
            return min(wait, full)
        unread = False
        for key, q in self._queue.heads():
            if len(self._tasks) >= self.settings.concurrency:
                return min(wait, 0.002)
            if q.id not in self._queue.loaded:
                unread = True
                continue
            if q.chat_id is None:
                if self._leased(0):
                    self._start(self._queue.take(key), None)
                continue
            if q.chat_id in self._busy_chats or not self._leased(q.chat_id):
                continue
            free = self._chat_wait.get(q.chat_id, 0.0)
            if free > now:
                wait = min(wait, free - now)
                continue
            routine = q.priority >= Priority.NORMAL
            token, after, overall = await self.pacer.try_take(
                q.chat_id, self._is_edit(q), URGENT_HEADROOM if routine else 0, now)
            if token is None:
                if overall:
                    # Heads come most urgent first: every later one meets the same window.
                    return min(wait, max(after, 0.002))
                self._chat_wait[q.chat_id] = now + min(after, 1.0)
                wait = min(wait, after)
                continue
            self._chat_wait.pop(q.chat_id, None)
            self._start(self._queue.take(key), token)
        if unread:
            await self._load_heads()
            return 0
        return wait

    async def _load_heads(self) -> None:
        """The next notice of each chat we hold, whole; gone ones leave the queue."""
        ids = [q.id for _, q in self._queue.heads() if q.id not in self._queue.loaded][:PAGE]
        if ids:
            await self._read(ids)

    async def _read(self, ids: list[int]) -> None:
        started = time.monotonic()
        async with self.uow() as uow:
            found = {d.notice.id: d for d in await uow.outbox.pending(ids)}
        skip = self._skipped(started)
        for q_id in ids:
            d = found.get(q_id)
            if d is None or q_id in skip:
                self._queue.drop(q_id)
            else:
                self._queue.loaded[q_id] = d

    def _start(self, d: Delivery, token: Reservation | None) -> None:
        assert d.notice.id is not None
        self._in_flight.add(d.notice.id)
        context = None
        if d.chat_id is not None:
            self._busy_chats.add(d.chat_id)
            if token is not None:
                context = in_context(token)
        task = asyncio.create_task(self._deliver(d, token), context=context)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _deliver(self, d: Delivery, token: Reservation | None) -> None:
        with log_context(notice_id=d.notice.id, incident=incident_of(d.notice)):
            await self._deliver_now(d, token)

    async def _deliver_now(self, d: Delivery, token: Reservation | None) -> None:
        assert d.notice.id is not None
        try:
            await self._attempt(d)
        except Exception as e:
            if is_transient(e):  # still pending: the next scan finds it
                log.warning("notice %s waits for the database (%s)", d.notice.id,
                            type(e).__name__)
            else:
                log.exception("delivery of notice %s failed unexpectedly", d.notice.id)
                with contextlib.suppress(Exception):
                    await self._retry(d, "internal error", self._backoff(d))
        finally:
            if token is not None:
                with contextlib.suppress(Exception):
                    await release_unused(self.pacer, token)
            if d.chat_id is not None:
                self._busy_chats.discard(d.chat_id)
            self._in_flight.discard(d.notice.id)
            self._settled[d.notice.id] = time.monotonic()
            self._wake.set()

    async def _attempt(self, d: Delivery) -> None:
        notice = d.notice
        assert notice.id is not None
        if d.chat_id is None:
            await self._fail(d, "unbound")
            return
        if notice.edit_key:
            # Read now, not with the batch: an earlier send to this chat may have just
            # recorded the message this one must edit.
            async with self.uow() as uow:
                d.message_ids = await uow.outbox.message_for(d.chat_id, notice.edit_key)
        try:
            message_ids = await self._counted(d)
        except TelegramRetryAfter as e:
            log.warning("429 for chat %s: retry after %s s", d.chat_id, e.retry_after)
            await self._retry(d, "429", float(e.retry_after), count=False)
        except TelegramMigrateToChat as e:
            await self._migrated(d, e.migrate_to_chat_id)
        except TelegramForbiddenError as e:
            await self._fail(d, "kicked" if d.notice.unit_id else "blocked", error=str(e))
        except TelegramBadRequest as e:
            await self._bad_request(d, e)
        except (TelegramServerError, TelegramNetworkError, TimeoutError, OSError) as e:
            await self._retry(d, f"{type(e).__name__}: {e}", self._backoff(d))
        else:
            new_message = not d.message_ids
            await self._record(notice.id, d.chat_id, message_ids)
            if notice.edit_key and message_ids:
                self._posted.add((d.chat_id, notice.edit_key))
            if notice.pin and new_message and message_ids:
                # Delivered and recorded: whatever happens to the pin, the notice is done.
                await self._pin(d, message_ids[-1])  # the text's first part

    async def _counted(self, d: Delivery) -> list[int]:
        started = time.monotonic()
        try:
            message_ids = await self._send(d)
        except Exception as e:
            self.on_send(send_outcome(e), time.monotonic() - started)
            raise
        self.on_send("ok", time.monotonic() - started)
        return message_ids

    async def _record(self, notice_id: int, chat_id: int, message_ids: list[int]) -> None:
        """Wait until the send is written down; the chat stays busy until then."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        await self._records.put((notice_id, chat_id, message_ids, done))
        await done

    async def _recorder(self) -> None:
        """Writes finished sends in batches: what piles up during one commit goes in the next,
        so the record keeps up with Telegram's pace and few sends are ever unrecorded.

        A write that fails (the database busy past its timeout) is tried again, with what
        piled up meanwhile: the sends happened, so they are recorded, never sent again."""
        batch: list[tuple[int, int, list[int], asyncio.Future[None]]] = []
        pause = 0.1
        while True:
            if not batch:
                batch.append(await self._records.get())
            while not self._records.empty():
                batch.append(self._records.get_nowait())
            try:
                async with self.uow() as uow:
                    at = self.clock.now()
                    for notice_id, chat_id, ids, _ in batch:
                        await uow.outbox.mark_sent(notice_id, chat_id, ids, at)
                    await uow.commit()
            except Exception as e:
                log.warning("recording %s sends failed (%s); trying again in %.1f s",
                            len(batch), type(e).__name__, pause)
                await asyncio.sleep(pause)
                pause = min(pause * 2, 5.0)
                continue
            pause = 0.1
            for *_, done in batch:
                if not done.done():
                    done.set_result(None)
            batch = []

    async def _send(self, d: Delivery) -> list[int]:
        assert d.chat_id is not None
        rendered = render(d.notice, self.t, d.locale)
        if d.notice.photo and not d.message_ids:
            await self._send_photo(d, rendered.text)
        if d.notice.document is not None and not d.message_ids:
            await self._send_document(d, d.notice.document, rendered.text)
        ids = []
        for i, part in enumerate(rendered.parts):
            markup = rendered.keyboard if i == len(rendered.parts) - 1 else None
            if i < len(d.message_ids):
                # A long board edits each of its messages: every force stays on it.
                await self._edit(d.chat_id, d.message_ids[i], part, markup)
                ids.append(d.message_ids[i])
            else:
                message = await self.bot.send_message(
                    chat_id=d.chat_id, text=part, parse_mode="HTML", reply_markup=markup)
                ids.append(message.message_id)
                if d.notice.edit_key:
                    self._remember(d.chat_id, message.message_id, part, markup)
        for spare in d.message_ids[len(rendered.parts):]:
            # The text got shorter: a message it no longer needs says so instead of lying.
            await self._edit(d.chat_id, spare, ELLIPSIS, None)
        # The board or decision message is the one with the buttons: the last part.
        return ids[::-1]

    async def _send_photo(self, d: Delivery, text: str) -> None:
        """The photo first, by its file_id, captioned with the text's first line; the whole
        text follows as usual, so it arrives whole whatever its length (a caption holds only
        1,024 characters) and a later edit touches only the text."""
        assert d.chat_id is not None
        caption = shorten(visible(text).split("\n", 1)[0], PHOTO_CAPTION)
        try:
            await self.bot.send_photo(chat_id=d.chat_id, photo=d.notice.photo,
                                      caption=caption or None)
        except TelegramBadRequest as e:
            # A file Telegram no longer has: the text still says what happened.
            log.warning("notice %s: photo refused in chat %s: %s", d.notice.id, d.chat_id,
                        e.message)

    async def _send_document(self, d: Delivery, file_id: int, text: str) -> None:
        """A file the bot made, uploaded first (a picture as a photo), captioned with the
        text's first line; the text follows. A retry after a failure later in the notice
        uploads it again: a duplicate file is better than a report that never arrived."""
        assert d.chat_id is not None
        async with self.uow() as uow:
            stored = await uow.files.get(file_id)
        if stored is None:
            log.error("notice %s: its file %s is gone; sending the text alone", d.notice.id,
                      file_id)
            return
        caption = shorten(visible(text).split("\n", 1)[0], PHOTO_CAPTION) or None
        upload = BufferedInputFile(stored.content, filename=stored.name)
        if stored.is_image:
            await self.bot.send_photo(chat_id=d.chat_id, photo=upload, caption=caption)
        else:
            await self.bot.send_document(chat_id=d.chat_id, document=upload, caption=caption)

    async def _pin(self, d: Delivery, message_id: int) -> None:
        """Pin quietly. A refusal (not an admin allowed to pin) is said once in that chat;
        other failures are tried a few times, then only logged: the notice stays delivered."""
        assert d.chat_id is not None
        for attempt in range(PIN_ATTEMPTS):
            try:
                await self.bot.pin_chat_message(chat_id=d.chat_id, message_id=message_id,
                                                disable_notification=True)
            except TelegramRetryAfter as e:
                await asyncio.sleep(min(float(e.retry_after), self.settings.backoff_max_seconds))
            except (TelegramServerError, TelegramNetworkError, TimeoutError, OSError) as e:
                log.warning("notice %s: pinning in chat %s failed (%s); attempt %s",
                            d.notice.id, d.chat_id, type(e).__name__, attempt + 1)
                await asyncio.sleep(self.settings.backoff_base_seconds * 2 ** attempt)
            except (TelegramBadRequest, TelegramForbiddenError) as e:
                refused = any(w in e.message.lower() for w in ("rights", "admin"))
                log.info("notice %s not pinned in chat %s: %s", d.notice.id, d.chat_id,
                         e.message)
                if refused:
                    await self._pin_outcome(d, refused=True)
                return
            else:
                await self._pin_outcome(d, refused=False)
                return
        log.warning("notice %s: gave up pinning it in chat %s", d.notice.id, d.chat_id)

    async def _pin_outcome(self, d: Delivery, refused: bool) -> None:
        assert d.chat_id is not None
        try:
            async with self.uow() as uow:
                if refused:
                    await pin_refused(uow, d.notice, d.chat_id, self.clock)
                else:
                    await uow.outbox.pin_allowed(d.chat_id)
                await uow.commit()
        except Exception as e:  # best effort: the next pinned notice tries again
            log.warning("recording the pin outcome in chat %s failed (%s)", d.chat_id,
                        type(e).__name__)

    def _remember(self, chat_id: int, message_id: int, text: str,
                  markup: InlineKeyboardMarkup | None) -> None:
        if len(self._shown) >= SHOWN_KEPT:
            self._shown.clear()  # at worst each part is edited once more
        self._shown[(chat_id, message_id)] = _shown(text, markup)

    async def _edit(self, chat_id: int, message_id: int, text: str,
                    markup: InlineKeyboardMarkup | None) -> None:
        if self._shown.get((chat_id, message_id)) == _shown(text, markup):
            return
        try:
            await self.bot.edit_message_text(chat_id=chat_id, message_id=message_id, text=text,
                                             parse_mode="HTML", reply_markup=markup)
        except TelegramBadRequest as e:
            # One part unchanged while another changed: that part is done.
            if "message is not modified" not in e.message.lower():
                raise
        self._remember(chat_id, message_id, text, markup)

    async def _send_fresh(self, d: Delivery) -> None:
        assert d.notice.id is not None and d.chat_id is not None
        try:
            message_ids = await self._send(d)
        except (TelegramBadRequest, TelegramForbiddenError) as e:
            await self._fail(d, "refused", error=str(e))
            return
        await self._record(d.notice.id, d.chat_id, message_ids)

    async def _bad_request(self, d: Delivery, e: TelegramBadRequest) -> None:
        text = e.message.lower()
        assert d.notice.id is not None and d.chat_id is not None
        if "message to edit not found" in text or "message can't be edited" in text:
            # Deleted by someone: post the current content anew, under the same key.
            d.message_ids = []
            await self._send_fresh(d)
        elif "chat not found" in text:
            await self._fail(d, "chat_not_found", error=e.message)
        else:
            log.error("notice %s refused by Telegram: %s", d.notice.id, e.message)
            await self._fail(d, "refused", error=e.message)

    async def _migrated(self, d: Delivery, new_chat_id: int) -> None:
        assert d.chat_id is not None
        log.info("chat %s became supergroup %s; moving the binding", d.chat_id, new_chat_id)
        async with self.uow() as uow:
            await chat_migrated(uow, d.chat_id, new_chat_id, self.clock)
            await uow.commit()
        self.pacer.forget(d.chat_id)
        self._forget(d.chat_id)  # the notice is still pending; the next scan sends it anew

    async def _fail(self, d: Delivery, reason: str, error: str = "") -> None:
        log.warning("notice %s undeliverable (%s) %s", d.notice.id, reason, error)
        gone = d.chat_id if reason == "kicked" else None
        async with self.uow() as uow:
            await notice_undeliverable(uow, d.notice, reason, self.clock, self.config,
                                       self.failure_hooks, chat_gone=gone)
            await uow.commit()
        if gone is not None:
            self._forget(gone)

    def _forget(self, chat_id: int) -> None:
        """The chat moved or is gone: what waits for it is looked up again at the next scan."""
        self._queue.forget_chat(chat_id)
        self._last_scan = float("-inf")
        self._wake.set()

    def _backoff(self, d: Delivery) -> float:
        s = self.settings
        return float(min(s.backoff_max_seconds, s.backoff_base_seconds * 2 ** min(d.attempts, 10)))

    async def _retry(self, d: Delivery, error: str, delay: float, count: bool = True) -> None:
        assert d.notice.id is not None
        if count and d.attempts + 1 >= self.settings.max_attempts:
            await self._fail(d, "gave_up", error=error)
            return
        at = self.clock.now() + timedelta(seconds=delay)
        async with self.uow() as uow:
            await uow.outbox.retry_later(d.notice.id, at, error)
            await uow.commit()
