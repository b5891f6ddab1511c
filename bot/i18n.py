"""Texts in the chat's language, from the gettext catalogs in locales/."""

from __future__ import annotations

import html
import logging
import string
from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from babel.messages.pofile import read_po

from locales import CATALOG_DIR

log = logging.getLogger(__name__)


@lru_cache(maxsize=8)
def load_catalog(locale: str) -> dict[str, str]:
    messages: dict[str, str] = {}
    folder = CATALOG_DIR / locale / "LC_MESSAGES"
    for path in sorted(folder.glob("*.po")):
        with path.open("rb") as f:
            catalog = read_po(f, locale=locale)
        for message in catalog:
            if message.id and message.string and not message.fuzzy:
                messages[str(message.id)] = str(message.string)
    return messages


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


class _Params(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class Translator:
    """Renders a key with parameters; parameters are HTML-escaped, templates may hold tags."""

    def __init__(self, default_locale: str, zone: ZoneInfo) -> None:
        self.default = default_locale
        self.zone = zone

    def raw(self, locale: str | None, key: str) -> str:
        catalog = load_catalog(locale or self.default)
        found = catalog.get(key)
        if found is None:
            log.warning("no text for %s in %s", key, locale or self.default)
            found = load_catalog(self.default).get(key, key)
        return found

    def __call__(self, locale: str | None, key: str, **params: Any) -> str:
        """Typed as str so lists of texts stay plain lists; it is an Html all the same."""
        template = self.raw(locale, key)
        values = _Params({k: self.value(locale, v) for k, v in params.items()})
        return Html(string.Formatter().vformat(template, (), values))

    def value(self, locale: str | None, value: Any) -> str:
        """A parameter as HTML: texts escaped exactly once, nested texts and Html as they are."""
        if isinstance(value, Html):
            return value
        if isinstance(value, dict) and "_t" in value:
            inner = {k: v for k, v in value.items() if k != "_t"}
            return self(locale, value["_t"], **inner)
        if isinstance(value, dict) and "_lines" in value:
            return "\n".join(self.value(locale, v) for v in value["_lines"])
        if isinstance(value, dict) and "_dt" in value:
            return self.moment(datetime.fromisoformat(value["_dt"]))
        if isinstance(value, datetime):
            return self.moment(value)
        if isinstance(value, list):
            sep = "、" if (locale or self.default).startswith("zh") else ", "
            return sep.join(self.value(locale, v) for v in value)
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
