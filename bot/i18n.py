"""Texts in the chat's language, from the gettext catalogs in locales/."""

from __future__ import annotations

import html
import logging
import string
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from io import BytesIO
from typing import Any
from zoneinfo import ZoneInfo

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from core.notices import LINES, MOMENT, TEXT
from locales import CATALOG_DIR

log = logging.getLogger(__name__)

LIST_SEP = "list.sep"  # the catalogs' separator of a list parameter ("、", ", ")


@dataclass(frozen=True)
class Catalog:
    """One language's texts, every catalog file of it.

    A text with plural forms (``msgid_plural``) names in ``msgid_plural`` the parameter that
    counts; Babel's ngettext picks the form for that number by the catalog's Plural-Forms.
    """

    texts: dict[str, str]  # a plural text in its last (most general) form
    counted: dict[str, str]  # plural text -> the parameter that counts
    plurals: dict[str, list[str]]  # plural text -> its forms
    translations: Translations


@lru_cache(maxsize=8)
def read_catalog(locale: str) -> Catalog:
    texts: dict[str, str] = {}
    counted: dict[str, str] = {}
    plurals: dict[str, list[str]] = {}
    merged: Translations | None = None
    for path in sorted((CATALOG_DIR / locale / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as f:
            catalog = read_po(f, locale=locale)
        for message in catalog:
            forms = _forms(message.string)
            if not message.id or not all(forms) or message.fuzzy:
                continue
            key = _forms(message.id)[0]
            if message.pluralizable:
                counted[key] = _forms(message.id)[1]
                plurals[key] = forms
            texts[key] = forms[-1]
        compiled = BytesIO()
        write_mo(compiled, catalog)
        compiled.seek(0)
        part = Translations(compiled)
        merged = part if merged is None else merged.merge(part)
    return Catalog(texts, counted, plurals, merged or Translations())


def _forms(value: object) -> list[str]:
    """A message's id or text as a list: one item, or several for plural forms."""
    return [str(v) for v in value] if isinstance(value, (tuple, list)) else [str(value or "")]


def load_catalog(locale: str) -> dict[str, str]:
    return read_catalog(locale).texts


def available_locales() -> list[str]:
    return sorted(p.name for p in CATALOG_DIR.iterdir() if (p / "LC_MESSAGES").is_dir())


class Html(str):
    """Text already in Telegram HTML: a parameter of this type is inserted as it is."""


def escape(value: object) -> Html:
    """A person's or the registry's text, shown literally whatever it contains."""
    return Html(html.escape(str(value), quote=False))


def join(items: Iterable[str], sep: str = "\n") -> Html:
    """Several rendered texts as one (each item must already be HTML)."""
    return Html(sep.join(items))


def _count(value: Any) -> int | None:
    """The number a plural text counts by, if its parameter holds one."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    return None


class _Params(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class Translator:
    """Renders a key with parameters; parameters are HTML-escaped, templates may hold tags."""

    def __init__(self, default_locale: str, zone: ZoneInfo) -> None:
        self.default = default_locale
        self.zone = zone

    def raw(self, locale: str | None, key: str, params: dict[str, Any] | None = None) -> str:
        """The template of ``key``; for a plural text, the form for its counting parameter."""
        catalog = read_catalog(locale or self.default)
        if key not in catalog.texts:
            log.warning("no text for %s in %s", key, locale or self.default)
            catalog = read_catalog(self.default)
            if key not in catalog.texts:
                return key
        counted = catalog.counted.get(key)
        n = _count((params or {}).get(counted)) if counted else None
        if counted is None or n is None:
            return catalog.texts[key]
        return str(catalog.translations.ngettext(key, counted, n))

    def forms(self, locale: str | None, key: str) -> list[str]:
        """Every template ``key`` may render with: its plural forms, or its one text."""
        found = read_catalog(locale or self.default).plurals.get(key)
        return list(found) if found else [self.raw(locale, key)]

    def __call__(self, locale: str | None, key: str, **params: Any) -> str:
        """Typed as str so lists of texts stay plain lists; it is an Html all the same."""
        template = self.raw(locale, key, params)
        values = _Params({k: self.value(locale, v) for k, v in params.items()})
        return Html(string.Formatter().vformat(template, (), values))

    def value(self, locale: str | None, value: Any) -> str:
        """A parameter as HTML: texts escaped exactly once, nested texts and Html as they are."""
        if isinstance(value, Html):
            return value
        if isinstance(value, dict) and TEXT in value:
            inner = {k: v for k, v in value.items() if k != TEXT}
            return self(locale, value[TEXT], **inner)
        if isinstance(value, dict) and LINES in value:
            return "\n".join(self.value(locale, v) for v in value[LINES])
        if isinstance(value, dict) and MOMENT in value:
            return self.moment(datetime.fromisoformat(value[MOMENT]))
        if isinstance(value, datetime):
            return self.moment(value)
        if isinstance(value, list):
            return self.raw(locale, LIST_SEP).join(self.value(locale, v) for v in value)
        return escape(value)

    def moment(self, at: datetime) -> str:
        return at.astimezone(self.zone).strftime("%Y-%m-%d %H:%M")

    def for_locale(self, locale: str | None) -> Texts:
        return Texts(self, locale or self.default)


class Texts:
    """A translator bound to one chat's language; handlers get this as ``t``."""

    def __init__(self, translator: Translator, locale: str) -> None:
        self.translator = translator
        self.locale = locale

    def __call__(self, key: str, **params: Any) -> str:
        return self.translator(self.locale, key, **params)
