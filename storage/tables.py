"""The tables. Each feature's tables live beside the others here or in a module of its own."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from storage.types import UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, list[Any]: JSON}


class UnitRow(Base):
    __tablename__ = "units"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str | None] = mapped_column(String(16))
    sector: Mapped[str] = mapped_column(String(64), default="")
    township: Mapped[str] = mapped_column(String(100), default="")
    department_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    capabilities: Mapped[list[Any]] = mapped_column(default=list)
    equipment: Mapped[list[Any]] = mapped_column(default=list)
    materials: Mapped[list[Any]] = mapped_column(default=list)
    data_updated: Mapped[date | None] = mapped_column(Date)
    on_duty: Mapped[int | None] = mapped_column(Integer)
    on_duty_on: Mapped[date | None] = mapped_column(Date)
    chat_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    bound_at: Mapped[datetime | None]


class PersonRow(Base):
    __tablename__ = "people"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tg_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str] = mapped_column(String(32), default="")
    insurance_until: Mapped[date | None] = mapped_column(Date)
    health_check_until: Mapped[date | None] = mapped_column(Date)


class GrantRow(Base):
    __tablename__ = "grants"
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), primary_key=True)


class InviteRow(Base):
    __tablename__ = "invites"
    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    created_by: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    used_in_chat: Mapped[int | None] = mapped_column(BigInteger)


class IdentityStampRow(Base):
    """One row whose version goes up with every write to who someone is (people, grants, units
    and their chats, chat languages), from any process: a bot keeps identities while it stays."""

    __tablename__ = "identity_stamp"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer)


class ChatRow(Base):
    __tablename__ = "chats"
    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    locale: Mapped[str] = mapped_column(String(16))


class AuditRow(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime]
    actor_tg_id: Mapped[int | None] = mapped_column(BigInteger)
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    action: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(64), index=True)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)


class NoticeRow(Base):
    __tablename__ = "notices"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    person_tg_id: Mapped[int | None] = mapped_column(BigInteger)
    template: Mapped[str] = mapped_column(String(64))
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    buttons: Mapped[list[Any]] = mapped_column(default=list)
    mentions: Mapped[list[Any]] = mapped_column(default=list)
    priority: Mapped[int] = mapped_column(Integer)
    edit_key: Mapped[str | None] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(64), default="")
    status: Mapped[str] = mapped_column(String(12), default="pending")
    created_at: Mapped[datetime]
    next_attempt_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    message_ids: Mapped[list[Any]] = mapped_column(default=list)
    done_at: Mapped[datetime | None]
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    pin: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    photo: Mapped[str | None] = mapped_column(String(255))
    document: Mapped[int | None] = mapped_column(ForeignKey("files.id"))

    __table_args__ = (Index("ix_notices_due", "status", "next_attempt_at", "priority"),)


class FileRow(Base):
    """A file the bot made (a report, a chart): what a notice's ``document`` points at."""

    __tablename__ = "files"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    mime: Mapped[str] = mapped_column(String(100))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    made_at: Mapped[datetime]


class PinRefusalRow(Base):
    """A chat where the bot may not pin messages, and was told so (once)."""

    __tablename__ = "pin_refusals"
    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    told_at: Mapped[datetime]


class MessageKeyRow(Base):
    """Which Telegram message carries a live board or decision, so it can be edited later."""

    __tablename__ = "message_keys"
    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    edit_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    message_id: Mapped[int] = mapped_column(BigInteger)  # the last part's, with the buttons
    # Every part's, in order, when the text took more than one message (a board of 200 forces).
    message_ids: Mapped[list[int] | None] = mapped_column(JSON, nullable=True)


class InboxRow(Base):
    __tablename__ = "inbox"
    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    payload: Mapped[dict[str, Any]] = mapped_column()
    received_at: Mapped[datetime]
    handled_at: Mapped[datetime | None] = mapped_column(index=True)
